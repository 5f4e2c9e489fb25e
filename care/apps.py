from django.apps import AppConfig


class CareConfig(AppConfig):
    """关心专家身心健康 (《工作方案》三(五)): checkups, recuperation, the medical green channel,
    health lectures and family support."""

    name = "care"
    verbose_name = "关心关爱"

    def ready(self):
        from . import kinds  # noqa: F401 - registers the kinds and their row policies before any request
