"""The party development file's detail page: its milestones as one ordered timeline."""

from programme.views import ProgrammeInspectView

from .models import MILESTONES, OPENED_ON


class PartyDevelopmentInspectView(ProgrammeInspectView):
    def get_fields(self):
        return [name for name in super().get_fields() if name not in MILESTONES]

    def get_field_label(self, field_name, field):
        return OPENED_ON if field_name == "date" else super().get_field_label(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["milestones"] = self.object.milestones()
        context["stage"] = self.object.stage
        return context
