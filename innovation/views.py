"""The innovation chapter's own touches on the programme's views: amounts in yuan on the detail
page, and the overview's totals of this year's amounts by kind."""

from django.db.models import Count, Sum

from programme.coverage import ChapterIndexView
from programme.views import ProgrammeInspectView
from staff.scoping import visible_rows

from .models import SupportKind, SupportRecord, yuan


class SupportInspectView(ProgrammeInspectView):
    def get_kind_display_value(self):
        return self.object.kind_text

    def get_amount_display_value(self):
        return self.object.amount_text


class SupportChapterIndexView(ChapterIndexView):
    """The overview, with this year's support by kind among the rows the user sees (one query)."""

    template_name = "innovation/chapter_index.html"

    def get_context_data(self, **kwargs):
        # The chapter opens only to those who see its one kind (ChapterPageMixin).
        context = super().get_context_data(**kwargs)
        rows = (
            visible_rows(self.request.user, SupportRecord)
            .filter(date__year=context["year"])
            .order_by()
            .values("kind")
            .annotate(records=Count("pk"), amount=Sum("amount"))
        )
        by_kind = {row["kind"]: row for row in rows}
        totals = [
            (label, by_kind[value]["records"], by_kind[value]["amount"])
            for value, label in SupportKind.choices
            if value in by_kind
        ]
        if totals:
            amounts = [amount for _, _, amount in totals if amount is not None]
            totals.append(("合计", sum(row[1] for row in totals), sum(amounts) if amounts else None))
        # Kinds without any amount (a posting) show a dash, not 0.00.
        context["amount_totals"] = [(label, n, "—" if a is None else yuan(a)) for label, n, a in totals]
        return context
