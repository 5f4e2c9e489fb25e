from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from .panels import PANELS


@hooks.register("construct_homepage_panels")
def add_workbench_panels(request, panels):
    panels.extend(panel(request) for panel in PANELS)


@hooks.register("insert_global_admin_css")
def workbench_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("workbench/dashboard.css"))
