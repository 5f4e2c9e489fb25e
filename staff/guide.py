"""使用指南: the portal's own short guide for staff, in place of Wagtail's English editor guide.

Each section names the groups that can use what it describes; a user reads only those (a superuser
reads all), so nobody is sent to a screen their role cannot open.
"""

from django.views.generic import TemplateView
from wagtail.admin.views import generic

from .roles import (
    CITY_OFFICE,
    COUNTY_OFFICE,
    DEPARTMENT_USERS,
    EDITORIAL_GROUPS,
    LEADER_OFFICES,
    LEADERS,
    UNIT_LIAISONS,
)

OFFICES = {CITY_OFFICE, COUNTY_OFFICE}
# Section key (the template's block for it) -> the groups it is written for.
SECTIONS = {
    "workbench": OFFICES,
    "experts": OFFICES,
    "liaison": OFFICES,
    "leader": {LEADERS},
    "leader_office": {LEADER_OFFICES},
    "unit_liaison": {UNIT_LIAISONS},
    "programme": OFFICES,
    "intake": OFFICES,
    "department": {DEPARTMENT_USERS},
    "inbox": {CITY_OFFICE},
    "exports": OFFICES,
    "pages": set(EDITORIAL_GROUPS),
}


def sections_for(user):
    """The keys of the sections `user` can use, in the guide's order."""
    if user.is_superuser:
        return list(SECTIONS)
    groups = set(user.groups.values_list("name", flat=True))
    return [key for key, readers in SECTIONS.items() if readers & groups]


class GuideView(generic.base.WagtailAdminTemplateMixin, TemplateView):
    template_name = "staff/guide.html"
    page_title = "使用指南"
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(sections=sections_for(self.request.user), **kwargs)
