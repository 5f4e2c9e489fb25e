"""Admin views of the expert database: the generic model views narrowed to the user's level,
and the screens Wagtail has no generic view for (removal, restoration, yearly review; the
import's screens are in `import_views.py`)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, ProtectedError, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.permissions import policy_registry

from security.audit import AuditedViewMixin
from security.reveal import RevealView, reveal_field
from staff.exports import log_export
from staff.scoping import LevelScopedIndexMixin, LevelScopedObjectMixin, ensure_in_scope

from . import exports, services
from .filters import ExpertFilterSet, UnitFilterSet
from .forms import RemovalForm, StatusChangeForm
from .models import Expert, ExpertStatus, StatusChangeKind, TalentTeam
from .privacy import handles_subject_requests
from .reviews import YearlyReview, review_years
from .widgets import plain_ids

# Other apps add sections to an expert's detail view: a function registered under this hook is
# given the request and the expert and returns a component to render below the record (or None).
DETAIL_SECTIONS_HOOK = "expert_detail_sections"


def mask_mobile(mobile):
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) == 11 else ("****" if mobile else "")


def mask_email(email):
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""


def masked_contact(expert):
    """Phone and e-mail as a list shows them: enough to tell people apart, not to reach them."""
    parts = [part for part in (mask_mobile(expert.mobile), mask_email(expert.email)) if part]
    return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts)) or "—"


# Expert ----------------------------------------------------------------------------------


class ExpertIndexView(LevelScopedIndexMixin, generic.IndexView):
    filterset_class = ExpertFilterSet

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("unit")

    def filter_queryset(self, queryset):
        # Removed experts leave the list unless the status filter asks for them.
        queryset = super().filter_queryset(queryset)
        if not (self.filters.is_valid() and self.filters.form.cleaned_data.get("status")):
            queryset = queryset.filter(status=ExpertStatus.ACTIVE)
        return queryset

    @cached_property
    def columns(self):
        # The title opens the detail view, where history, removal and restoration are.
        title = self._get_title_column_class(TitleColumn)(
            "name", label="姓名", sort_key="name", get_url=self.get_inspect_url
        )
        # On a phone (base/static/base/admin_lists.css): the name, the unit and the specialty.
        return [
            title,
            Column("unit", label="工作单位", accessor="unit.name", sort_key="unit__name", classname="list-key"),
            Column("specialty", label="专业领域", classname="list-key"),
            Column(
                "title_level",
                label="职称级别",
                accessor="get_title_level_display",
                sort_key="title_level",
                classname="list-wide-only",
            ),
            Column(
                "talent_team",
                label="人才队伍",
                accessor="get_talent_team_display",
                sort_key="talent_team",
                classname="list-wide-only",
            ),
            Column("level", label="属地", accessor="get_level_display", sort_key="level", classname="list-wide-only"),
            Column("contact", label="联系方式", accessor=masked_contact, classname="list-wide-only"),
            Column(
                "joined_on",
                label="入库日期",
                accessor=lambda expert: f"{expert.joined_on:%Y-%m-%d}",
                sort_key="joined_on",
                classname="list-wide-only",
            ),
            Column(
                "status", label="状态", accessor="get_status_display", sort_key="status", classname="list-wide-only"
            ),
        ]

    @cached_property
    def show_export_buttons(self):
        return True

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons.copy()
        if self.user_has_permission("add"):
            buttons.append(Button("从 Excel 导入", url=reverse("experts:import"), icon_name="upload", priority=95))
            buttons.append(
                Button("下载导入模板", url=reverse("experts:import_template"), icon_name="doc-full", priority=96)
            )
        if self.user_has_permission("change"):
            buttons.append(Button("年度调整", url=reverse("experts_review:index"), icon_name="tasks", priority=97))
        return buttons

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.export(request.GET["export"])
        return super().get(request, *args, **kwargs)

    def export(self, export_format):
        queryset = self.get_queryset()
        log_export(
            self.request,
            "experts.export",
            Expert,
            f"导出专家名单（{export_format.upper()}）",
            queryset.count(),
            format=export_format,
            query=self.request.GET.urlencode(),
        )
        return exports.export_response(export_format, queryset)


class ExpertCreateView(generic.CreateView):
    page_title = "新建"

    def save_instance(self):
        return services.create_expert(self.form, user=self.request.user)


class ExpertEditView(AuditedViewMixin, LevelScopedObjectMixin, generic.EditView):
    # The form holds the full phone and e-mail (they cannot be corrected unseen): opening it is logged.
    audit_via = "edit"

    def save_instance(self):
        consent_before = self.form.initial.get("public_profile_consent", False)
        expert = super().save_instance()
        services.notice_consent_withdrawal(expert, consent_before=consent_before, user=self.request.user)
        return expert


class ReadableInspectMixin:
    """Detail views in plain Chinese: 是/否 for flags, "—" for blanks, "、" between several values,
    times in Beijing time (Wagtail's template would `localize` the stored UTC time as it is)."""

    page_title = "详情"

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, datetime.datetime):
            return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
        if value is None or value == "":
            return "—"
        if field is not None and field.many_to_many:
            return "、".join(str(item) for item in getattr(self.object, field_name).all()) or "—"
        return value


class ExpertInspectView(AuditedViewMixin, LevelScopedObjectMixin, ReadableInspectMixin, generic.InspectView):
    def get_mobile_display_value(self):
        return reveal_field(self.request, self.object, "mobile", mask_mobile(self.object.mobile), "experts:reveal")

    def get_email_display_value(self):
        return reveal_field(self.request, self.object, "email", mask_email(self.object.email), "experts:reveal")

    @cached_property
    def header_buttons(self):
        buttons = []
        if self.user_has_permission_for_instance("change", self.object):
            buttons.append(HeaderButton("编辑", url=self.get_edit_url(), icon_name="edit", priority=10))
            if self.object.is_active:
                url, label, icon = reverse("experts:remove", args=[self.object.pk]), "调出", "minus"
            else:
                url, label, icon = reverse("experts:restore", args=[self.object.pk]), "恢复入库", "plus"
            buttons.append(HeaderButton(label, url=url, icon_name=icon, priority=20))
        return buttons

    @cached_property
    def header_more_buttons(self):
        buttons = [Button("操作日志", url=reverse("experts:history", args=[self.object.pk]), icon_name="history")]
        if handles_subject_requests(self.request.user):
            pk = self.object.pk
            url = reverse("experts:subject_access", args=[pk])
            buttons.append(Button("导出本人数据", url=url, icon_name="download", priority=1010))
            url = reverse("experts:anonymise", args=[pk])
            buttons.append(Button("匿名化处理", url=url, icon_name="warning", priority=1020))
        if delete_url := self.get_delete_url():
            buttons.append(Button("删除（仅限录入错误）", url=delete_url, icon_name="bin", priority=90))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_changes"] = self.object.status_changes.select_related("made_by").order_by(
            "-date", "-created_at", "-pk"
        )
        context["annual_reviews"] = self.object.annual_reviews.select_related("reviewed_by")
        sections = (section(self.request, self.object) for section in hooks.get_hooks(DETAIL_SECTIONS_HOOK))
        context["detail_sections"] = [section for section in sections if section is not None]
        return context


class ExpertRevealView(LevelScopedObjectMixin, RevealView):
    """The full phone or e-mail of an expert the user may open, logged (security.reveal)."""

    model = Expert
    fields = ("mobile", "email")
    detail_url_name = "experts:inspect"


class StatusChangeView(generic.base.WagtailAdminTemplateMixin, FormView):
    """调出 or 恢复入库 for one expert, with the date, reason and basis the history keeps."""

    kind = None
    form_class = StatusChangeForm
    template_name = "experts/admin/status_change.html"
    header_icon = "user"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        expert = get_object_or_404(Expert.objects.select_related("unit"), pk=kwargs["pk"])
        self.expert = ensure_in_scope(request.user, expert, "change")

    def get_page_title(self):
        return f"{StatusChangeKind(self.kind).label}：{self.expert.name}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("experts:index"), "label": "专家人才"},
            {"url": reverse("experts:inspect", args=[self.expert.pk]), "label": self.expert.name},
            {"url": "", "label": StatusChangeKind(self.kind).label},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "expert": self.expert, "kind": self.kind}

    def get_success_url(self):
        next_url = self.request.POST.get("next") or self.request.GET.get("next", "")
        if next_url.startswith("/") and not next_url.startswith("//"):
            return next_url
        return reverse("experts:inspect", args=[self.expert.pk])

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "expert": self.expert,
            "action_url": self.request.get_full_path(),
            "submit_button_label": f"确认{StatusChangeKind(self.kind).label}",
            "next": self.request.GET.get("next", ""),
        }

    def form_valid(self, form):
        try:
            self.change(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"已{StatusChangeKind(self.kind).label}：{self.expert.name}。")
        return redirect(self.get_success_url())


class RemoveView(StatusChangeView):
    kind = StatusChangeKind.REMOVED
    form_class = RemovalForm
    header_icon = "minus"

    def change(self, data):
        services.remove_expert(
            self.expert, date=data["date"], reason=data["reason"], basis=data["basis"], user=self.request.user
        )


class RestoreView(StatusChangeView):
    kind = StatusChangeKind.RESTORED
    header_icon = "plus"

    def change(self, data):
        services.restore_expert(self.expert, date=data["date"], basis=data["basis"], user=self.request.user)


# Unit ------------------------------------------------------------------------------------


class UnitIndexView(LevelScopedIndexMixin, generic.IndexView):
    filterset_class = UnitFilterSet

    def get_base_queryset(self):
        active = Q(experts__status=ExpertStatus.ACTIVE)
        return super().get_base_queryset().annotate(active_experts=Count("experts", filter=active))

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "name", label="单位名称", sort_key="name", get_url=self.get_inspect_url
            ),
            Column("unit_type", label="单位类型", accessor="get_unit_type_display", sort_key="unit_type"),
            Column("level", label="属地", accessor="get_level_display", sort_key="level"),
            Column("active_experts", label="在库专家", sort_key="active_experts"),
        ]


class UnitCreateView(generic.CreateView):
    page_title = "新建"


class UnitEditView(LevelScopedObjectMixin, generic.EditView):
    pass


class UnitDeleteView(LevelScopedObjectMixin, generic.DeleteView):
    """A unit is deleted only when no expert record names it."""

    def form_valid(self, form):
        if self.object.experts.exists():
            messages.error(self.request, "该单位下还有专家记录，不能删除。")
            return redirect(reverse("experts_unit:inspect", args=[self.object.pk]))
        return super().form_valid(form)


class UnitInspectView(LevelScopedObjectMixin, ReadableInspectMixin, generic.InspectView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(self.object.experts.order_by("status", "name", "pk"), 50)
        context["experts_page"] = paginator.get_page(self.request.GET.get("p"))
        return context


class ScopedDeleteView(LevelScopedObjectMixin, generic.DeleteView):
    """An expert is deleted (an entry made by mistake) only while no follow-up or service record names
    them: those rows protect the expert (on_delete=PROTECT), and Django refuses before deleting anything."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request, "该专家已有问题跟踪、关心关爱等服务记录，不能删除。专家离开专家库请使用“调出”。"
            )
            return redirect(reverse("experts:inspect", args=[self.object.pk]))


class ScopedHistoryView(LevelScopedObjectMixin, generic.HistoryView):
    pass


class ScopedUsageView(LevelScopedObjectMixin, generic.UsageView):
    pass


# Yearly review -------------------------------------------------------------------------


class YearlyReviewView(generic.base.WagtailAdminTemplateMixin, TemplateView):
    """年度调整: a year's active experts with their review mark, bulk confirmation and the year's summary."""

    template_name = "experts/admin/yearly_review.html"
    page_title = "年度调整"
    header_icon = "tasks"
    per_page = 50

    def dispatch(self, request, *args, **kwargs):
        if not policy_registry.get_by_type(Expert).user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def years(self):
        return review_years()

    @cached_property
    def year(self):
        try:
            year = int(self.request.GET.get("year") or self.request.POST.get("year", ""))
        except ValueError:
            year = timezone.localdate().year
        return year if year in self.years else self.years[0]

    @cached_property
    def review(self):
        return YearlyReview(self.year, self.request.user)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = self.request.GET.get("shown", "")
        experts = self.review.experts(reviewed={"yes": True, "no": False}.get(shown))
        page = Paginator(experts, self.per_page).get_page(self.request.GET.get("p"))
        context.update(
            years=self.years,
            year=self.year,
            shown=shown,
            page_obj=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            review=self.review,
            teams=TalentTeam.choices,
            can_confirm=self.year == timezone.localdate().year,
        )
        return context

    def post(self, request, *args, **kwargs):
        if self.year != timezone.localdate().year:
            messages.error(request, "只能确认本年度的年度调整。")
        else:
            ids = plain_ids(request.POST.getlist("expert"))
            experts = list(self.review.experts().filter(pk__in=ids))
            confirmed = services.confirm_reviews(experts, year=self.year, user=request.user)
            if confirmed:
                messages.success(request, f"已确认 {confirmed} 名专家的{self.year}年度调整。")
            else:
                messages.warning(request, "没有新确认的专家：请勾选尚未确认的专家。")
        return redirect(f"{reverse('experts_review:index')}?{request.GET.urlencode()}")
