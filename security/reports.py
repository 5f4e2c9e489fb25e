"""The audit report (报告 → 审计日志, /admin/reports/audit/): every log table's entries in one list, with
who, when, what, on which record, from which address and with which result; filtered and exported.

Built on Wagtail's site history (`LogEntriesView`: one UNION over the log tables, then the page's
entries fetched per table), with the export of every staff report (staff.reports, logged). Who
reads which entries is decided here only, by `audit_scope`.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import TextInput
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.history import HistoryFilterSet
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import PageLogEntry

from staff.reports import FlatUnionMixin, ReportExportMixin
from staff.roles import CITY_OFFICE, COUNTY_OFFICE
from staff.scoping import ALL_LEVELS, level_scope

from .audit import FAILURE, SUCCESS

ALL_ENTRIES = "all"
OWN_LEVEL = "own_level"


def audit_scope(user):
    """Which entries `user` reads: ALL_ENTRIES (superusers, 市委人才办), OWN_LEVEL (县级人才办: what
    each log table's `viewable_by_user` lets through, which follows the county), or None (no report)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ALL_ENTRIES
    groups = set(user.groups.values_list("name", flat=True))
    scope = level_scope(user)
    if CITY_OFFICE in groups and scope is ALL_LEVELS:
        return ALL_ENTRIES
    if COUNTY_OFFICE in groups and scope:
        return OWN_LEVEL
    return None


def entries_for(user, log_model, scope):
    """The entries of `log_model` that `user`, of audit scope `scope`, reads."""
    if scope == ALL_ENTRIES:
        return log_model.objects.all()
    return log_model.objects.viewable_by_user(user)


class AuditFilterSet(HistoryFilterSet):
    """Wagtail's history filters (action, user, date range), over every table the user reads, and
    the client address (its beginning: "10.2." finds a subnet) and a search of record and user."""

    ip = django_filters.CharFilter(label="客户端地址", method="filter_ip", widget=TextInput(attrs={"dir": "ltr"}))
    q = django_filters.CharFilter(label="搜索记录或用户", method="filter_text")

    class Meta:
        model = PageLogEntry
        fields = []

    def __init__(self, *args, entries, **kwargs):
        self.entries = entries  # one queryset per log table, as the user reads them
        super().__init__(*args, **kwargs)
        for name, label in (("action", "操作"), ("user", "用户"), ("timestamp", "日期")):
            if name in self.filters:  # Wagtail drops the action and user filters when there is nothing to choose
                self.filters[name].label = label

    def get_action_choices(self):
        actions = set()
        for entries in self.entries:
            actions.update(entries.get_actions())
        return [choice for choice in log_action_registry.get_choices() if choice[0] in actions]

    def get_users_queryset(self):
        user_ids = set()
        for entries in self.entries:
            user_ids.update(entries.get_user_ids())
        User = get_user_model()
        return User.objects.filter(pk__in=user_ids).order_by(User.USERNAME_FIELD)

    def filter_ip(self, queryset, name, value):
        return queryset.filter(data__ip__startswith=value.strip()) if value.strip() else queryset

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(label__icontains=value)
            | Q(user__username__icontains=value)
            | Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
        )


class EntriesPaginator(WagtailPaginator):
    # Wagtail names the count after the union's first model ("3 导出日志"): these are entries of every table.
    verbose_name = verbose_name_plural = "条日志记录"


class AuditReportView(FlatUnionMixin, ReportExportMixin, LogEntriesView):
    page_title = "审计日志"
    header_icon = "history"
    template_name = "security/audit_report.html"
    results_template_name = "security/audit_report_results.html"
    filterset_class = AuditFilterSet
    index_url_name = "security_audit"
    index_results_url_name = "security_audit_results"
    paginate_by = 50
    paginator_class = EntriesPaginator

    export_filename = "审计日志"
    export_ascii_filename = "audit-log"
    export_model = PageLogEntry  # entries of every log table, like site history's export
    list_export = ["timestamp", "user_display_name", "action", "label", "content_type", "client_address", "result"]
    export_headings = {
        "timestamp": "时间",
        "user_display_name": "用户",
        "action": "操作",
        "label": "对象",
        "content_type": "类型",
        "client_address": "客户端地址",
        "result": "结果",
    }

    def dispatch(self, request, *args, **kwargs):
        self.scope = audit_scope(request.user)
        if self.scope is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return self.export_filename

    @cached_property
    def log_models(self):
        return list(log_action_registry.get_log_entry_models())

    @cached_property
    def entries(self):
        return [entries_for(self.request.user, log_model, self.scope) for log_model in self.log_models]

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "entries": self.entries}

    def entries_of(self, log_model):
        # The entries `audit_scope` gives instead of `viewable_by_user`'s.
        return entries_for(self.request.user, log_model, self.scope)

    def decorate_paginated_queryset(self, queryset):
        entries = super().decorate_paginated_queryset(queryset)
        for entry in entries:
            data = entry.data or {}
            entry.client_address = data.get("ip", "")
            entry.result = data.get("result", "")
            entry.failed = entry.result == FAILURE
        return entries

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "success": SUCCESS}


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return audit_scope(request.user) is not None


def audit_menu_item():
    return AuditMenuItem("审计日志", reverse("security_audit"), name="audit-log", icon_name="history", order=1050)
