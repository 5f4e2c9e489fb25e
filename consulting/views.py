"""A group's lead, named only to those who may read the lead's name: a county reading another
level's group reads its own experts only (programme.views.own_county), the lead among them."""

from django.utils.functional import cached_property
from wagtail.admin.ui.tables import Column

from programme.views import ProgrammeIndexView, ProgrammeInspectView, expert_name, own_county

OTHER_LEVEL_LEAD = "（其他属地的专家）"


def lead_shown(user, group, *, with_unit=False):
    lead = group.lead
    if lead is None:
        return ""
    county = own_county(user, group)
    if county and lead.level != county:
        return OTHER_LEVEL_LEAD
    return expert_name(lead) if with_unit else lead.name


class IndustryGroupIndexView(ProgrammeIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("lead")

    @cached_property
    def columns(self):
        *head, experts, level = super().columns
        lead = Column("lead", label="组长", accessor=lambda row: lead_shown(self.request.user, row))
        return [*head, lead, experts, level]

    def to_row_dict(self, item):
        return {**super().to_row_dict(item), "lead": lead_shown(self.request.user, item)}


class IndustryGroupInspectView(ProgrammeInspectView):
    def get_lead_display_value(self):
        return lead_shown(self.request.user, self.object, with_unit=True) or "—"
