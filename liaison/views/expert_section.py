"""The liaison section of an expert's detail view (/admin/experts/inspect/<pk>/): their pairings,
contacts, reports and follow-ups, newest first, as far as the viewer may see each.

Registered under experts' `expert_detail_sections` hook in liaison/wagtail_hooks.py, so that the
expert database names no liaison code.
"""

from wagtail.admin.ui.components import Component

from staff.scoping import sees_model, visible_rows

from ..models import ContactRecord, EventReport, FollowUp, Pairing
from .reports import read_details

ROWS = 20  # newest rows of each list; the section says how many there are in all


def newest(rows):
    """(the first ROWS of `rows`, how many there are in all); two queries."""
    return list(rows[:ROWS]), rows.count()


class ExpertLiaisonSection(Component):
    template_name = "liaison/coverage/expert_section.html"

    def __init__(self, request, expert):
        self.request, self.user = request, request.user
        self.expert = expert

    def rows(self, model):
        """The expert's rows of `model` the viewer may see, or None when the viewer sees none of that model."""
        if not sees_model(self.user, model):
            return None
        return visible_rows(self.user, model).filter(**{"experts" if model is ContactRecord else "expert": self.expert})

    def get_context_data(self, parent_context):
        lists = {}
        if (pairings := self.rows(Pairing)) is not None:
            lists["pairings"] = newest(pairings.select_related("leader").order_by("-started_on", "-pk"))
        if (contacts := self.rows(ContactRecord)) is not None:
            lists["contacts"] = newest(contacts.prefetch_related("leaders").order_by("-date", "-pk"))
        if (reports := self.rows(EventReport)) is not None:
            shown, count = newest(reports.order_by("-event_date", "-pk"))
            for report in shown:  # reading a sensitive report's details here is logged like anywhere else
                report.readable, report.shown_details = read_details(self.request, report, "expert_detail")
            lists["reports"] = (shown, count)
        if (follow_ups := self.rows(FollowUp)) is not None:
            lists["follow_ups"] = newest(follow_ups.select_related("record").order_by("-record__date", "-pk"))
        return {"lists": lists, "rows": ROWS, "shown": bool(lists)}
