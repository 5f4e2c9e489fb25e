"""Admin views of the programme's records: Wagtail's generic views narrowed to the rows the user
may see (the kind's policy, programme/kinds.py), changed only by the office that recorded them,
each opening of a record logged; and the attendance form of an activity with invitations."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.log_actions import LogFormatter, log

from experts.models import Expert
from experts.views import ReadableInspectMixin
from liaison.scoping import office_level
from liaison.views.contacts import count_of
from security.audit import AuditedViewMixin
from staff.exports import ListExportMixin
from staff.scoping import ALL_LEVELS, LevelScopedIndexMixin, LevelScopedObjectMixin, ensure_in_scope

from .models import AttendanceStatus

EXPERT_NAMES_SHOWN = 3
ATTENDANCE_ACTION = "programme.attendance"
BOOKKEEPING = ("level", "created_at", "updated_at", "id")  # shown last on a record's detail page


def may_change(user, record):
    """Only the office that recorded a record changes it (the city office any): a county reading a
    city round that names its experts reads it, and leaves it as the city recorded it."""
    level = office_level(user)
    return level is ALL_LEVELS or (bool(level) and level == record.level)


def own_county(user, record):
    """The county whose experts alone `user` may read among an activity's experts: a county's office
    reading another level's activity learns only its own experts' names. None: every expert."""
    level = office_level(user)
    if not level or level is ALL_LEVELS or record.level == level:
        return None
    return level


def attendances_shown(user, record):
    rows = record.attendances.select_related("expert__unit").order_by("expert__name", "expert_id")
    if county := own_county(user, record):
        rows = rows.filter(expert__level=county)
    return rows


class ChangedByRecorderMixin:
    """Edit and delete: the record first (outside the user's rows: 404), then `may_change` (403)."""

    object_action = "change"

    def get_object(self, queryset=None):
        record = super().get_object(queryset)
        if not may_change(self.request.user, record):
            raise PermissionDenied
        return record


class ProgrammeIndexView(ListExportMixin, LevelScopedIndexMixin, generic.IndexView):
    kind = None
    list_columns = ()  # the kind's own columns, after the date

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if not self.kind.is_activity:
            return queryset.select_related("expert__unit")
        experts = Expert.objects.only("name", "level").order_by("name", "pk")
        prefetches = [Prefetch("attendances__expert", queryset=experts)]
        return queryset.annotate(
            expert_count=count_of(self.kind.attendance_model.objects.all(), "activity")
        ).prefetch_related(*prefetches)

    def search_queryset(self, queryset):
        # Searching crosses the experts: by subquery, so that each row is listed once.
        if not self.is_searching:
            return queryset
        return queryset.filter(pk__in=super().search_queryset(self.model.objects.all()).values("pk"))

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if may_change(self.request.user, instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if may_change(self.request.user, instance) else None

    @cached_property
    def columns(self):
        title = self._get_title_column_class(TitleColumn)(
            "date",
            label=self.export_headings.get("date") or self.model._meta.get_field("date").verbose_name,
            sort_key="date",
            get_url=self.get_inspect_url,
            accessor=lambda r: f"{r.date:%Y-%m-%d}",
        )
        if self.kind.is_activity:
            experts = Column("experts", label="专家", accessor=lambda r: experts_summary(r, self.request.user))
        else:
            experts = Column("expert", label="专家", accessor=lambda r: expert_name(r.expert), sort_key="expert__name")
        level = Column("level", label="登记属地", accessor="get_level_display", sort_key="level")
        return [title, *self.list_columns, experts, level]

    def to_row_dict(self, item):
        """Each exported field as the list shows it: choices by their label, an activity's experts
        (`experts`) by name, as far as the exporter may read them."""
        row = {}
        for name in self.list_export:
            if name == "experts":
                row[name] = "、".join(a.expert.name for a in attendances_of(item, self.request.user))
            elif getattr(self.model._meta.get_field(name), "choices", None):
                row[name] = getattr(item, f"get_{name}_display")()
            else:
                row[name] = getattr(item, name)
        return row

    def get_heading(self, queryset, field):
        return self.export_headings.get(field) or super().get_heading(queryset, field)


def attendances_of(record, user):
    """The record's attendances as prefetched, narrowed as `attendances_shown` narrows them."""
    county = own_county(user, record)
    rows = sorted(record.attendances.all(), key=lambda a: (a.expert.name, a.expert_id))
    return [a for a in rows if county is None or a.expert.level == county]


def experts_summary(record, user):
    """3人：甲、乙、丙, or for a larger group 20人：甲、乙、丙等; only the names `user` may read."""
    shown = attendances_of(record, user)
    names = "、".join(a.expert.name for a in shown[:EXPERT_NAMES_SHOWN])
    more = "等" if record.expert_count > min(len(shown), EXPERT_NAMES_SHOWN) else ""
    return f"{record.expert_count}人：{names}{more}" if names else f"{record.expert_count}人"


def expert_name(expert):
    return f"{expert.name}（{expert.unit.name}）"


class ToInspectMixin:
    """After saving, the record's detail page."""

    inspect_url_name = None

    def get_success_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])


class ProgrammeCreateView(ToInspectMixin, generic.CreateView):
    def get_page_title(self):
        return f"登记{self.model._meta.verbose_name}"

    def get_breadcrumbs_items(self):
        *items, last = super().get_breadcrumbs_items()
        return [*items, {**last, "label": self.get_page_title()}]  # Wagtail's "New: …" is untranslated


class ProgrammeEditView(ToInspectMixin, ChangedByRecorderMixin, LevelScopedObjectMixin, generic.EditView):
    pass


class ProgrammeDeleteView(ChangedByRecorderMixin, LevelScopedObjectMixin, generic.DeleteView):
    object_action = "delete"


class ProgrammeHistoryView(LevelScopedObjectMixin, generic.HistoryView):
    pass


class ProgrammeUsageView(LevelScopedObjectMixin, generic.UsageView):
    pass


class ProgrammeInspectView(AuditedViewMixin, LevelScopedObjectMixin, ReadableInspectMixin, generic.InspectView):
    kind = None
    marks_attendance = False
    attendance_url_name = None
    history_url_name = None
    template_name = "programme/inspect.html"

    def get_page_title(self):
        return f"{self.model._meta.verbose_name}详情"

    def get_edit_url(self):
        return super().get_edit_url() if may_change(self.request.user, self.object) else None

    def get_delete_url(self):
        return super().get_delete_url() if may_change(self.request.user, self.object) else None

    def get_fields(self):
        # The record's own fields first, then which office recorded it and when.
        fields = [name for name in super().get_fields() if name != "recorded_by"]
        return [name for name in fields if name not in BOOKKEEPING] + [name for name in BOOKKEEPING if name in fields]

    def get_expert_display_value(self):
        return expert_name(self.object.expert)

    @cached_property
    def header_buttons(self):
        buttons = []
        if edit_url := self.get_edit_url():
            buttons.append(HeaderButton("编辑", url=edit_url, icon_name="edit", priority=10))
            if self.marks_attendance:
                url = reverse(self.attendance_url_name, args=[self.object.pk])
                buttons.append(HeaderButton("登记参加情况", url=url, icon_name="circle-check", priority=20))
        return buttons

    @cached_property
    def header_more_buttons(self):
        buttons = [Button("操作日志", url=reverse(self.history_url_name, args=[self.object.pk]), icon_name="history")]
        if delete_url := self.get_delete_url():
            buttons.append(Button("删除", url=delete_url, icon_name="bin", priority=90))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.kind.is_activity:
            attendances = list(attendances_shown(self.request.user, self.object))
            context["attendances"] = attendances
            context["attendances_not_shown"] = self.object.attendances.count() - len(attendances)
            context["shows_status"] = self.marks_attendance
        return context


class AttendanceForm(forms.Form):
    """One status per invited expert: 已邀请, 已参加 or 未参加."""

    def __init__(self, *args, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendances = attendances
        for attendance in attendances:
            self.fields[f"status_{attendance.pk}"] = forms.ChoiceField(
                label=expert_name(attendance.expert),
                choices=AttendanceStatus.choices,
                initial=attendance.status,
                widget=forms.RadioSelect,
                error_messages={"required": "请选择参加情况。", "invalid_choice": "请从列出的参加情况中选择。"},
            )

    def rows(self):
        return [(attendance, self[f"status_{attendance.pk}"]) for attendance in self.attendances]


class AttendanceView(generic.base.WagtailAdminTemplateMixin, FormView):
    """Who of an activity's invitees attended (its recording office marks them all at once)."""

    model = None
    template_name = "programme/attendance.html"
    form_class = AttendanceForm
    header_icon = "circle-check"
    inspect_url_name = None
    index_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        record = get_object_or_404(self.model, pk=kwargs["pk"])
        self.record = ensure_in_scope(request.user, record, "change")
        if not may_change(request.user, self.record):
            raise PermissionDenied

    def get_page_title(self):
        return f"登记参加情况：{self.record}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": self.model._meta.verbose_name_plural},
            {"url": reverse(self.inspect_url_name, args=[self.record.pk]), "label": str(self.record)},
            {"url": "", "label": "登记参加情况"},
        ]

    def get_form_kwargs(self):
        attendances = self.record.attendances.select_related("expert__unit").order_by("expert__name", "expert_id")
        return {**super().get_form_kwargs(), "attendances": list(attendances)}

    def form_valid(self, form):
        changed = {}
        with transaction.atomic():
            for attendance in form.attendances:
                status = form.cleaned_data[f"status_{attendance.pk}"]
                if status != attendance.status:
                    attendance.status = status
                    attendance.save(update_fields=["status"])
                    changed[attendance.expert.name] = AttendanceStatus(status).label
            if changed:
                log(instance=self.record, action=ATTENDANCE_ACTION, user=self.request.user, data={"changed": changed})
        messages.success(self.request, f"已保存参加情况（{len(changed)}人有变动）。")
        return redirect(self.inspect_url_name, self.record.pk)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "record": self.record,
            "action_url": self.request.get_full_path(),
            "inspect_url": reverse(self.inspect_url_name, args=[self.record.pk]),
        }


class AttendanceFormatter(LogFormatter):
    label = "登记参加情况"

    def format_message(self, log_entry):
        changed = (log_entry.data or {}).get("changed", {})
        return "登记参加情况：" + "；".join(f"{name} {status}" for name, status in changed.items())
