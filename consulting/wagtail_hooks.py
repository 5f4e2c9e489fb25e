from wagtail import hooks

from .viewsets import VIEWSETS, chapter


@hooks.register("register_admin_viewset")
def register_consulting_admin():
    return chapter.group(*VIEWSETS)
