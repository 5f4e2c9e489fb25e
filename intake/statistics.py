"""Monthly statistics of the intake queue (月度统计), on screen and as XLSX or CSV."""

import statistics
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from staff.exports import Percent, Sheet, export_response, log_export
from staff.scoping import sees_model, visible_rows

from .models import ITEM_ACTIONS, Channel, IntakeItem, Kind, Satisfaction, Status
from .workdays import working_days_between

DONE_STATUSES = [Status.CLOSED, Status.FOLLOWED_UP]


@dataclass
class MonthlyFigures:
    month: datetime
    received: int
    by_channel: list
    by_kind: list
    by_status: list
    closed: int
    median_working_days: float | None
    on_time_share: float | None
    followed_up: int
    by_satisfaction: list
    satisfied_share: float | None


def counts(queryset, field, choices):
    found = dict(queryset.order_by().values_list(field).annotate(count=Count("pk")))
    return [(label, found.get(value, 0)) for value, label in choices]


def share(part, whole):
    return part / whole if whole else None


def month_bounds(month):
    start = timezone.make_aware(datetime(month.year, month.month, 1))
    following = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, timezone.make_aware(following)


def monthly_figures(items, month):
    """Figures for the items in `items` (already narrowed to the user's levels) for one month."""
    start, end = month_bounds(month)
    received = items.filter(received_at__gte=start, received_at__lt=end)
    closed = list(
        items.filter(status__in=DONE_STATUSES, closed_at__gte=start, closed_at__lt=end).values_list(
            "received_at", "closed_at", "completion_due"
        )
    )
    handling_days = [
        working_days_between(timezone.localdate(received_at), timezone.localdate(closed_at))
        for received_at, closed_at, _ in closed
    ]
    on_time = sum(1 for _, closed_at, due in closed if due and timezone.localdate(closed_at) <= due)
    followed = items.filter(status=Status.FOLLOWED_UP, followed_up_at__gte=start, followed_up_at__lt=end)
    by_satisfaction = counts(followed, "satisfaction", Satisfaction.choices)
    followed_count = sum(count for _, count in by_satisfaction)
    return MonthlyFigures(
        month=start,
        received=received.count(),
        by_channel=counts(received, "channel", Channel.choices),
        by_kind=counts(received, "kind", Kind.choices),
        by_status=counts(received, "status", Status.choices),
        closed=len(closed),
        median_working_days=statistics.median(handling_days) if handling_days else None,
        on_time_share=share(on_time, len(closed)),
        followed_up=followed_count,
        by_satisfaction=by_satisfaction,
        satisfied_share=share(followed_count - dict(by_satisfaction)[Satisfaction.DISSATISFIED.label], followed_count),
    )


def percent(value):
    return None if value is None else Percent(value)


def figures_as_rows(figures):
    """The same table for the screen and the spreadsheets: numbers stay numbers, a unit goes into the label."""
    return [
        ("本月登记", [("登记总数", figures.received)]),
        ("按渠道", figures.by_channel),
        ("按类别", figures.by_kind),
        ("按当前状态（本月登记的事项）", figures.by_status),
        (
            "办理时效（本月办结的事项）",
            [
                ("办结数", figures.closed),
                ("办理用时中位数（个工作日）", figures.median_working_days),
                ("按期办结率", percent(figures.on_time_share)),
            ],
        ),
        (
            "满意度（本月回访的事项）",
            [
                *figures.by_satisfaction,
                ("回访数", figures.followed_up),
                ("满意率（含基本满意）", percent(figures.satisfied_share)),
            ],
        ),
    ]


class MonthForm(forms.Form):
    month = forms.DateField(
        label="月份",
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "请按“年-月”选择月份，例如 2026-11。"},
    )


class MonthlyStatisticsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "intake/admin/statistics.html"
    page_title = "来信来访月度统计"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not sees_model(request.user, IntakeItem, ITEM_ACTIONS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        self.form = MonthForm(request.GET or {"month": timezone.localdate().strftime("%Y-%m")})
        month = self.form.cleaned_data["month"] if self.form.is_valid() else timezone.localdate().replace(day=1)
        items = visible_rows(request.user, IntakeItem, ITEM_ACTIONS)
        self.figures = monthly_figures(items, month)
        if request.GET.get("export") in ("csv", "xlsx"):
            return self.export(request.GET["export"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form, figures=self.figures, rows=figures_as_rows(self.figures), **kwargs
        )

    def export(self, export_format):
        month = f"{self.figures.month:%Y-%m}"
        log_export(self.request, "intake.export", IntakeItem, f"导出来信来访月度统计（{month}）", self.figures.received)
        rows = [(heading, label, value) for heading, pairs in figures_as_rows(self.figures) for label, value in pairs]
        sheet = Sheet(f"{self.figures.month:%Y年%m月}", ["分类", "项目", "数值"], rows)
        return export_response(export_format, sheet, f"来信来访月度统计-{month}", f"intake-statistics-{month}")
