"""Admin views of the follow-ups (问题跟踪) of the problems raised in contact records: the list with
overdue items standing out, the detail, the log, and the status form, whose rules live in
liaison.services."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column, Table, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from security.audit import AuditedViewMixin
from staff.scoping import LevelScopedIndexMixin, LevelScopedObjectMixin, ensure_in_scope

from .. import services
from ..filters.contacts import FollowUpFilterSet
from ..forms.contacts import FollowUpStatusForm
from ..models import FollowUp, FollowUpStatus


def overdue_days(follow_up, today=None):
    """How many days an open follow-up is past its due date (0 if it is not)."""
    if not follow_up.is_open:
        return 0
    return max(((today or timezone.localdate()) - follow_up.due_on).days, 0)


def with_overdue_days(follow_ups):
    today = timezone.localdate()
    rows = list(follow_ups)
    for follow_up in rows:
        follow_up.overdue_days = overdue_days(follow_up, today)
    return rows


class FollowUpTable(Table):
    def get_row_classname(self, instance):
        return "liaison-row--overdue" if instance.overdue_days else ""


class StatusColumn(Column):
    cell_template_name = "liaison/contacts/follow_up_status_cell.html"


class FollowUpIndexView(LevelScopedIndexMixin, generic.IndexView):
    filterset_class = FollowUpFilterSet
    table_class = FollowUpTable
    template_name = "liaison/contacts/follow_up_index.html"
    search_fields = ["problem", "owner", "expert__name"]
    search_backend_name = None

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("expert", "record")

    def get_table(self, object_list):
        return super().get_table(with_overdue_days(object_list))

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "expert", label="专家", accessor="expert.name", sort_key="expert__name", get_url=self.get_inspect_url
            ),
            StatusColumn("status", label="办理状态", sort_key="status"),
            Column("due_on", label="办结时限", accessor=lambda row: f"{row.due_on:%Y-%m-%d}", sort_key="due_on"),
            Column("problem", label="反映的问题", accessor=lambda row: shorten(row.problem)),
            Column("owner", label="责任单位或责任人"),
            Column("leader_attention", label="领导直接过问", accessor=lambda row: "是" if row.leader_attention else ""),
        ]


def shorten(text, length=40):
    text = " ".join(text.split())
    return text if len(text) <= length else f"{text[:length]}…"


class FollowUpInspectView(AuditedViewMixin, LevelScopedObjectMixin, generic.InspectView):
    page_title = "问题跟踪详情"
    template_name = "liaison/contacts/follow_up_inspect.html"

    def get_object(self, queryset=None):
        follow_up = super().get_object(queryset)
        follow_up.overdue_days = overdue_days(follow_up)
        return follow_up

    def get_edit_url(self):
        if self.user_has_permission_for_instance("change", self.object):
            return super().get_edit_url()
        return None

    @cached_property
    def header_more_buttons(self):
        buttons = []
        if edit_url := self.get_edit_url():
            buttons.append(Button("更新办理状态", url=edit_url, icon_name="edit", priority=10))
        buttons.append(
            Button("操作日志", url=reverse("liaison_followups:history", args=[self.object.pk]), icon_name="history")
        )
        return buttons

    def get_context_data(self, **kwargs):
        record = self.object.record
        return {
            **super().get_context_data(**kwargs),
            "record": record,
            "leaders": record.leaders.all(),
        }


class FollowUpHistoryView(LevelScopedObjectMixin, generic.HistoryView):
    any_permission_required = ["add", "change", "delete", "view"]


class FollowUpStatusView(generic.base.WagtailAdminTemplateMixin, FormView):
    """更新办理状态 of one follow-up: the rules and the log are liaison.services'."""

    form_class = FollowUpStatusForm
    template_name = "liaison/contacts/follow_up_status.html"
    header_icon = "tasks"
    page_title = "更新办理状态"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        follow_up = get_object_or_404(FollowUp.objects.select_related("expert", "record"), pk=kwargs["pk"])
        self.follow_up = ensure_in_scope(request.user, follow_up, "change")
        self.follow_up.overdue_days = overdue_days(follow_up)

    def get_page_subtitle(self):
        return str(self.follow_up)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("liaison_followups:index"), "label": "问题跟踪"},
            {"url": reverse("liaison_followups:inspect", args=[self.follow_up.pk]), "label": str(self.follow_up)},
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "follow_up": self.follow_up}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "follow_up": self.follow_up,
            "action_url": self.request.get_full_path(),
            "submit_button_label": "保存办理状态",
        }

    def form_valid(self, form):
        follow_up = services.change_follow_up_status(
            self.follow_up,
            status=form.cleaned_data["status"],
            outcome=form.cleaned_data["outcome"],
            user=self.request.user,
        )
        messages.success(self.request, f"已更新办理状态：{follow_up.get_status_display()}。")
        return redirect("liaison_followups:inspect", follow_up.pk)


class FollowUpStatusFormatter(LogFormatter):
    label = "更新办理状态"

    def format_message(self, log_entry):
        data = log_entry.data or {}
        before, after = (FollowUpStatus(data[key]).label if data.get(key) else "—" for key in ("before", "after"))
        return f"办理状态：{before} → {after}"

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("outcome", "")
