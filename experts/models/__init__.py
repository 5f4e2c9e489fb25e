from .pages import ExpertDirectoryPage

__all__ = ["ExpertDirectoryPage"]
