"""Admin views of leaders, their offices, pairings (结对联系) and the quota (每名领导至少直接联系2名专家人才):
Wagtail's generic model views narrowed to the rows each user may see (liaison/scoping.py), and the
screens Wagtail has no generic view for (ending a pairing, the quota summary)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets import Button, HeaderButton, ListingButton
from wagtail.permissions import policy_registry

from experts.models import Expert
from experts.widgets import plain_ids
from staff.levels import Level
from staff.scoping import (
    ALL_LEVELS,
    LevelScopedIndexMixin,
    LevelScopedObjectMixin,
    ensure_in_scope,
    sees_model,
    visible_rows,
)

from .. import services
from ..filters.leaders import LeaderFilterSet, PairingFilterSet
from ..forms.leaders import EndPairingForm
from ..models import Leader, Pairing
from ..models.people import PAIRING_QUOTA, body_name
from ..scoping import office_level


def may(user, action, model):
    return policy_registry.get_by_type(model).user_has_permission(user, action)


def add_pairing_url(leader):
    return f"{reverse('liaison_pairing:add')}?{urlencode({'leader': leader.pk})}"


def local_date(day):
    return f"{day:%Y-%m-%d}" if day else "—"


class QuotaColumn(Column):
    """A leader's active pairings, with 少于2名 in words (read by screen readers too) when under quota."""

    cell_template_name = "liaison/leaders/quota_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["under_quota"] = instance.active and instance.active_pairings < PAIRING_QUOTA
        context["quota"] = PAIRING_QUOTA
        return context


class ScopedHistoryView(LevelScopedObjectMixin, generic.HistoryView):
    pass


class ScopedUsageView(LevelScopedObjectMixin, generic.UsageView):
    pass


class ScopedDeleteView(LevelScopedObjectMixin, generic.DeleteView):
    pass


class ScopedEditView(LevelScopedObjectMixin, generic.EditView):
    object_action = "change"

    def setup(self, request, *args, **kwargs):
        # Looked up before the permission check: a row the user cannot see is a 404 for everyone.
        super().setup(request, *args, **kwargs)
        self.object = self.get_object()


# Leaders ---------------------------------------------------------------------------------


class LeaderIndexView(LevelScopedIndexMixin, generic.IndexView):
    filterset_class = LeaderFilterSet

    def get_base_queryset(self):
        return services.leaders_with_pairing_counts(super().get_base_queryset()).select_related("user")

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "name", label="姓名", sort_key="name", get_url=self.get_inspect_url
            ),
            # Right after the name, so that the warning shows on a phone without scrolling sideways.
            QuotaColumn("active_pairings", label="在联专家", sort_key="active_pairings"),
            Column("post", label="职务"),
            Column("body", label="所在班子", accessor="body_name", sort_key="body"),
            Column("level", label="属地", accessor="get_level_display", sort_key="level"),
            Column("active", label="在任", accessor=lambda leader: "在任" if leader.active else "已离任"),
            Column(
                "user", label="登录账号", accessor=lambda leader: leader.user.get_username() if leader.user else "—"
            ),
        ]


class LeaderCreateView(generic.CreateView):
    page_title = "新建"


class LeaderInspectView(LevelScopedObjectMixin, generic.InspectView):
    template_name = "liaison/leaders/leader_inspect.html"
    page_title = "详情"

    def get_body_display_value(self):
        return self.object.body_name

    def get_active_display_value(self):
        return "在任" if self.object.active else "已离任"

    def get_user_display_value(self):
        return self.object.user.get_username() if self.object.user else "未关联"

    @cached_property
    def header_buttons(self):
        user, leader = self.request.user, self.object
        buttons = []
        if self.user_has_permission_for_instance("change", leader):
            buttons.append(HeaderButton("编辑", url=self.get_edit_url(), icon_name="edit", priority=10))
        if leader.active and may(user, "add", Pairing):
            buttons.append(HeaderButton("新建结对", url=add_pairing_url(leader), icon_name="plus", priority=20))
        return buttons

    @cached_property
    def header_more_buttons(self):
        buttons = [
            Button("操作日志", url=reverse("liaison_leader:history", args=[self.object.pk]), icon_name="history")
        ]
        if delete_url := self.get_delete_url():
            buttons.append(Button("删除（仅限录入错误）", url=delete_url, icon_name="bin", priority=90))
        return buttons

    def get_context_data(self, **kwargs):
        pairings = list(
            visible_rows(self.request.user, Pairing)
            .filter(leader=self.object)
            .select_related("expert__unit")
            .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "-pk")
        )
        active_count = sum(pairing.is_active for pairing in pairings)
        return super().get_context_data(pairings=pairings, active_count=active_count, quota=PAIRING_QUOTA, **kwargs)


# Leader offices --------------------------------------------------------------------------


class OfficeIndexView(LevelScopedIndexMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("members")

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "office", label="办公室", accessor=str, get_url=self.get_inspect_url
            ),
            Column("level", label="属地", accessor="get_level_display", sort_key="level"),
            Column(
                "members",
                label="工作人员",
                accessor=lambda office: "、".join(user.get_username() for user in office.members.all()) or "—",
            ),
        ]


class OfficeCreateView(generic.CreateView):
    page_title = "新建"


class OfficeInspectView(LevelScopedObjectMixin, generic.InspectView):
    template_name = "liaison/leaders/office_inspect.html"
    page_title = "详情"

    def get_body_display_value(self):
        return body_name(self.object.body, self.object.level)

    def get_members_display_value(self):
        return "、".join(user.get_username() for user in self.object.members.all()) or "—"

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button("操作日志", url=reverse("liaison_office:history", args=[self.object.pk]), icon_name="history"),
        ]

    def get_context_data(self, **kwargs):
        leaders = visible_rows(self.request.user, Leader).filter(body=self.object.body, level=self.object.level)
        leaders = leaders.in_plan_order()
        return super().get_context_data(leaders=services.leaders_with_pairing_counts(leaders), **kwargs)


# Pairings --------------------------------------------------------------------------------


class PairingIndexView(LevelScopedIndexMixin, generic.IndexView):
    filterset_class = PairingFilterSet

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("leader", "expert__unit")

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "leader",
                label="联系领导",
                accessor="leader.name",
                sort_key="leader__name",
                get_url=self.get_inspect_url,
            ),
            Column(
                "expert", label="专家", accessor=lambda pairing: f"{pairing.expert.name}（{pairing.expert.unit.name}）"
            ),
            Column(
                "started_on",
                label="开始日期",
                accessor=lambda pairing: local_date(pairing.started_on),
                sort_key="started_on",
            ),
            Column(
                "ended_on", label="结束日期", accessor=lambda pairing: local_date(pairing.ended_on), sort_key="ended_on"
            ),
            Column("status", label="状态", accessor=lambda pairing: "进行中" if pairing.is_active else "已结束"),
        ]

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.is_active and self.user_has_permission("change"):
            url = reverse("liaison_pairing:end", args=[instance.pk])
            buttons.append(ListingButton("结束结对", url=url, icon_name="minus", priority=30))
        return buttons


class PairingCreateView(generic.CreateView):
    page_title = "新建结对"

    def get_initial(self):
        # Links from a leader's page and the quota screen name the leader (or the expert) to pair.
        return {
            key: self.request.GET[key] for key in ("leader", "expert") if plain_ids([self.request.GET.get(key, "")])
        }

    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class PairingInspectView(LevelScopedObjectMixin, generic.InspectView):
    template_name = "liaison/leaders/pairing_inspect.html"
    page_title = "详情"

    def get_fields(self):
        return []  # the template lays the pairing out itself

    @cached_property
    def header_buttons(self):
        if self.object.is_active and self.user_has_permission_for_instance("change", self.object):
            url = reverse("liaison_pairing:end", args=[self.object.pk])
            return [HeaderButton("结束结对", url=url, icon_name="minus", priority=10)]
        return []

    @cached_property
    def header_more_buttons(self):
        buttons = [
            Button("操作日志", url=reverse("liaison_pairing:history", args=[self.object.pk]), icon_name="history")
        ]
        if self.user_has_permission_for_instance("change", self.object):
            buttons.insert(0, Button("修改开始日期", url=self.get_edit_url(), icon_name="edit", priority=10))
        return buttons

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            pairing=self.object, expert_link=sees_model(self.request.user, Expert), **kwargs
        )


class EndPairingView(generic.base.WagtailAdminTemplateMixin, FormView):
    """结束结对: the date and reason, through services.end_pairing (which logs it)."""

    form_class = EndPairingForm
    template_name = "liaison/leaders/end_pairing.html"
    header_icon = "minus"
    page_title = "结束结对"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        pairing = get_object_or_404(Pairing.objects.select_related("leader", "expert__unit"), pk=kwargs["pk"])
        self.pairing = ensure_in_scope(request.user, pairing, "change")

    def dispatch(self, request, *args, **kwargs):
        if not self.pairing.is_active:
            messages.warning(request, f"该结对已于{self.pairing.ended_on:%Y-%m-%d}结束。")
            return redirect("liaison_pairing:inspect", self.pairing.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.pairing)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("liaison_pairing:index"), "label": Pairing._meta.verbose_name_plural},
            {"url": reverse("liaison_pairing:inspect", args=[self.pairing.pk]), "label": str(self.pairing)},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            pairing=self.pairing,
            action_url=self.request.path,
            submit_button_label="确认结束",
            submit_button_active_label="正在保存…",
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.end_pairing(self.pairing, ended_on=data["ended_on"], note=data["note"], user=self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"已结束结对：{self.pairing}。")
        return redirect("liaison_pairing:inspect", self.pairing.pk)


# Quota -----------------------------------------------------------------------------------


class QuotaView(generic.base.WagtailAdminTemplateMixin, TemplateView):
    """每名领导至少直接联系2名专家人才: per level the active leaders and those under quota, then the list
    of leaders under quota, each with a link to add a pairing."""

    template_name = "liaison/leaders/quota.html"
    page_title = "结对名额"
    header_icon = "warning"
    per_page = 50

    def dispatch(self, request, *args, **kwargs):
        if not sees_model(request.user, Leader):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        user = self.request.user
        leaders = visible_rows(user, Leader)
        counts = services.quota_by_level(leaders)
        # The city office sees every level (a county without leaders shows as 0), a county its own.
        scope = office_level(user)
        levels = [level for level in Level if scope is ALL_LEVELS or level == scope or level in counts]
        level = self.request.GET.get("level", "")
        if level not in levels:
            level = ""
        under = services.under_quota(leaders.filter(level=level) if level else leaders)
        page = Paginator(under.in_plan_order(), self.per_page).get_page(self.request.GET.get("p"))
        rows = []
        for row_level in levels:
            if not level or row_level == level:
                active, under_count = counts.get(row_level, (0, 0))
                rows.append({"level": row_level, "active": active, "under": under_count, "met": active - under_count})
        return super().get_context_data(
            levels=levels,
            level=level,
            rows=rows,
            total={key: sum(row[key] for row in rows) for key in ("active", "under", "met")},
            page_obj=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            quota=PAIRING_QUOTA,
            may_add_pairing=may(user, "add", Pairing),
            **kwargs,
        )
