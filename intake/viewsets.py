"""The staff side (menu "来信来访"): the queue, workflow steps, statistics, reply templates, public answers."""

import datetime

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, Table, TitleColumn
from wagtail.admin.views.generic import (
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    InspectView,
    UsageView,
)
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import SnippetViewSet

from security.audit import AuditedViewMixin
from security.reveal import RevealView, reveal_field
from staff.exports import ListExportMixin
from staff.levels import Level
from staff.scoping import (
    LevelScopedIndexMixin,
    LevelScopedObjectMixin,
    PolicyChooserViewSet,
    restrict_to_scope,
    sees_model,
)

from . import forms, public_answers, statistics, workflow
from .anonymise import draft_public_answer, matching_experts
from .models import (
    ITEM_ACTIONS,
    Channel,
    Department,
    IntakeItem,
    Kind,
    PublicAnswer,
    ReplyState,
    ReplyTemplate,
    Status,
)
from .models.records import mask_email, mask_mobile


def local_date(day):
    """A date, or the Beijing-time date of a stored (UTC) time."""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day)
    return f"{day:%Y-%m-%d}" if day else ""


def item_policy():
    return policy_registry.get_by_type(IntakeItem)


class ItemLookupMixin:
    """The item named in the URL, with its deadline and overdue flag."""

    def get_object(self, *args, **kwargs):
        return get_object_or_404(IntakeItem.objects.with_overdue(), pk=self.kwargs["pk"])


class ScopedItemMixin(LevelScopedObjectMixin, ItemLookupMixin):
    """Only items of the user's levels exist for them: another county's item is a 404."""

    scope_actions = ITEM_ACTIONS


class OverdueFilter(django_filters.BooleanFilter):
    def filter(self, queryset, value):
        if value is None:
            return queryset
        overdue = queryset.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class AssigneeFilter(django_filters.ModelChoiceFilter):
    """Staff named as in the assign form: full name and level, never the login name."""

    field_class = forms.StaffChoiceField


def assignee_choices(request):
    return forms.assignable_staff(request.user)


def department_choices(request):
    return restrict_to_scope(Department.objects.all(), request.user)


AWAITING_REPLY, AWAITING_EXTENSION = "reply", "extension"


class AwaitingOfficeFilter(django_filters.ChoiceFilter):
    """Items where a department waits for the office: a proposed reply to review, a request for more time."""

    def filter(self, queryset, value):
        if value == AWAITING_REPLY:
            return queryset.filter(reply_state=ReplyState.PROPOSED)
        if value == AWAITING_EXTENSION:
            return queryset.filter(extension_due__isnull=False)
        return queryset


class IntakeItemFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(label="状态", choices=Status.choices)
    channel = django_filters.MultipleChoiceFilter(label="渠道", choices=Channel.choices)
    kind = django_filters.MultipleChoiceFilter(label="类别", choices=Kind.choices)
    overdue = OverdueFilter(label="已超期")
    supervised = django_filters.BooleanFilter(label="督办")
    assignee = AssigneeFilter(label="承办人", queryset=assignee_choices)
    department = django_filters.ModelChoiceFilter(label="承办部门", queryset=department_choices)
    awaiting = AwaitingOfficeFilter(
        label="待人才办决定",
        choices=[(AWAITING_REPLY, "拟答复待审核"), (AWAITING_EXTENSION, "延期申请待审批")],
    )
    level = django_filters.MultipleChoiceFilter(label="属地", choices=Level.choices)
    received_at = django_filters.DateFromToRangeFilter(label="登记日期")

    class Meta:
        model = IntakeItem
        fields = []


class IntakeItemTable(Table):
    def get_row_classname(self, instance):
        classes = []
        if getattr(instance, "is_overdue", False):
            classes.append("intake-row--overdue")
        if instance.supervised and instance.status in (
            Status.NEW,
            Status.ACCEPTED,
            Status.ASSIGNED,
            Status.IN_PROGRESS,
        ):
            classes.append("intake-row--supervised")
        return " ".join(classes)


class StatusColumn(Column):
    cell_template_name = "intake/admin/status_cell.html"


class YesNoColumn(Column):
    """A flag in words, the same on screen and for screen readers."""

    def get_value(self, instance):
        return "是" if super().get_value(instance) else "否"


class IntakeItemIndexView(ListExportMixin, LevelScopedIndexMixin, IndexView):
    table_class = IntakeItemTable
    scope_actions = ITEM_ACTIONS
    export_action = "intake.export"
    export_ascii_filename = "intake-items"

    def get_base_queryset(self):
        return super().get_base_queryset().with_overdue().select_related("assignee", "department")


class IntakeItemCreateView(CreateView):
    page_title = "登记新事项"

    def save_instance(self):
        item = self.form.save(commit=False)
        self.query_code = workflow.receive(item, actor=self.request.user)
        return item

    def get_success_message(self, instance):
        return (
            f"已登记“{instance.subject}”。查询号 {instance.tracking_number}，查询码 {self.query_code}："
            "请告知来信人凭此查询办理进度（查询码不会再次显示）。"
        )

    def get_success_url(self):
        return reverse("intake_item:inspect", args=[self.object.pk])


class IntakeItemEditView(AuditedViewMixin, ScopedItemMixin, EditView):
    page_title = "修改登记信息"
    object_action = "change"
    # The form holds the submitter's full phone and e-mail (they cannot be corrected unseen): opening it is logged.
    audit_via = "edit"


class IntakeItemInspectView(AuditedViewMixin, ScopedItemMixin, InspectView):
    template_name = "intake/admin/item_inspect.html"
    page_title = "事项详情"
    fields = []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        policy = item_policy()
        can_change = policy.user_has_permission_for_instance(user, "change", item)
        context.update(
            item=item,
            mobile_field=reveal_field(self.request, item, "mobile", mask_mobile(item.mobile), "intake_item:reveal"),
            email_field=reveal_field(self.request, item, "email", mask_email(item.email), "intake_item:reveal"),
            steps=item.steps.select_related("actor"),
            actions=[
                (action, reverse("intake_item:action", args=[item.pk, action.name]))
                for action in workflow.ACTIONS.values()
                if action.allowed_for(item)
                and (can_change if action.permission == "change" else user.has_perm("intake.supervise_intakeitem"))
            ],
            can_change=can_change,
            experts=matching_experts(item, user) if can_change and item.expert_id is None else [],
            can_draft_answer=can_change
            and item.publish_consent
            and item.has_official_reply
            and not PublicAnswer.objects.filter(item=item).exists(),
        )
        return context


class ItemRevealView(ScopedItemMixin, RevealView):
    """The submitter's full phone or e-mail, for whoever may open the item, logged (security.reveal)."""

    model = IntakeItem
    fields = ("mobile", "email")
    detail_url_name = "intake_item:inspect"


class IntakeItemHistoryView(ScopedItemMixin, HistoryView):
    pass


class IntakeItemDeleteView(ScopedItemMixin, DeleteView):
    pass


class IntakeItemUsageView(ScopedItemMixin, UsageView):
    pass


class ItemActionView(ScopedItemMixin, WagtailAdminTemplateMixin, FormView):
    """One workflow step on one item: the form, then the function in intake.workflow."""

    template_name = "intake/admin/item_action.html"
    header_icon = "mail"
    steps = {
        "accept": (forms.NoteForm, lambda item, user, data: workflow.accept(item, user, note=data["note"])),
        "reject": (forms.RejectForm, lambda item, user, data: workflow.reject(item, user, data["reason"])),
        "assign": (
            forms.AssignForm,
            lambda item, user, data: workflow.assign(
                item,
                user,
                assignee=data["assignee"],
                department=data["department"],
                due_date=data["due_date"],
                instruction=data["note"],
            ),
        ),
        "start": (forms.NoteForm, lambda item, user, data: workflow.start(item, user, note=data["note"])),
        "arrange": (
            forms.ArrangeForm,
            lambda item, user, data: workflow.arrange(
                item,
                user,
                leader=data["leader"],
                leader_text=data["leader_text"],
                meeting_at=data["meeting_at"],
                place=data["place"],
            ),
        ),
        "close": (forms.CloseForm, lambda item, user, data: workflow.close(item, user, data["reply"])),
        "follow_up": (
            forms.FollowUpForm,
            lambda item, user, data: workflow.follow_up(
                item, user, satisfaction=data["satisfaction"], note=data["note"]
            ),
        ),
        "reopen": (forms.ReopenForm, lambda item, user, data: workflow.reopen(item, user, data["reason"])),
        "supervise": (forms.SuperviseForm, lambda item, user, data: workflow.supervise(item, user, data["comment"])),
        "approve_reply": (
            forms.ApproveReplyForm,
            lambda item, user, data: workflow.approve_reply(item, user, data["reply"]),
        ),
        "return_reply": (
            forms.ReturnReplyForm,
            lambda item, user, data: workflow.return_reply(item, user, data["reason"]),
        ),
        "decide_extension": (
            forms.ExtensionDecisionForm,
            lambda item, user, data: workflow.decide_extension(
                item, user, approve=data["decision"] == forms.APPROVE, note=data["note"]
            ),
        ),
    }

    actions = workflow.ACTIONS
    inspect_url_name = "intake_item:inspect"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in self.steps:
            raise Http404
        self.action = self.actions[kwargs["action"]]
        self.item = self.get_object()
        if not self.may_act(request.user):
            raise PermissionDenied
        if not self.action.allowed_for(self.item):
            messages.error(request, f"该事项当前状态为“{self.item.get_status_display()}”，不能{self.action.label}。")
            return redirect(self.inspect_url_name, self.item.pk)
        return super().dispatch(request, *args, **kwargs)

    def may_act(self, user):
        if self.action.permission == "supervise":
            return user.has_perm("intake.supervise_intakeitem")
        return item_policy().user_has_permission_for_instance(user, "change", self.item)

    def get_page_title(self):
        return self.action.label

    def get_page_subtitle(self):
        return str(self.item)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("intake_item:index"), "label": IntakeItem._meta.verbose_name_plural},
            {"url": reverse("intake_item:inspect", args=[self.item.pk]), "label": self.item.tracking_number},
            {"url": "", "label": self.action.label},
        ]

    def get_form_class(self):
        return self.steps[self.action.name][0]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "item": self.item, "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            item=self.item,
            action=self.action,
            submit_button_label=self.action.label,
            submit_button_active_label="正在保存…",
            action_url=self.request.path,
            **kwargs,
        )

    def form_valid(self, form):
        perform = self.steps[self.action.name][1]
        try:
            perform(self.item, self.request.user, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"已{self.action.label}：{self.item.tracking_number}")
        return redirect(self.inspect_url_name, self.item.pk)


class ItemAttachmentView(ScopedItemMixin, View):
    """Serves an item's attachment to staff who may see the item, and logs that they did."""

    def get(self, request, *args, **kwargs):
        item = self.get_object()
        if not item.attachment:
            raise Http404
        log(item, "intake.attachment_viewed", user=request.user)
        extension = item.attachment.name.rsplit(".", 1)[-1]
        return FileResponse(
            item.attachment.open("rb"),
            as_attachment=extension == "pdf",
            filename=f"{item.tracking_number}-附件.{extension}",
        )


class LinkExpertView(ScopedItemMixin, View):
    """Links the item to the expert record it concerns (one of the matches offered on the item page)."""

    object_action = "change"

    def post(self, request, *args, **kwargs):
        item = self.get_object()
        expert = next(
            (e for e in matching_experts(item, request.user) if str(e.pk) == request.POST.get("expert")), None
        )
        if expert is None:
            raise Http404
        item.expert = expert
        item.save(update_fields=["expert"])
        log(item, "intake.expert_linked", user=request.user, data={"expert": expert.pk})
        messages.success(request, f"已关联专家：{expert.name}")
        return redirect("intake_item:inspect", item.pk)


class ReissueQueryCodeView(ScopedItemMixin, View):
    """A new query code for an expert who lost theirs, shown once to the staff member who tells them."""

    object_action = "change"

    def post(self, request, *args, **kwargs):
        item = self.get_object()
        query_code = workflow.new_query_code(item, request.user)
        messages.success(request, f"新的查询码：{query_code}（原查询码已失效；请告知来信人，此码不会再次显示）。")
        return redirect("intake_item:inspect", item.pk)


class DraftPublicAnswerView(ScopedItemMixin, View):
    """Starts an anonymised public answer from an answered item whose submitter agreed to publication."""

    object_action = "change"

    def post(self, request, *args, **kwargs):
        item = self.get_object()
        if not request.user.has_perm("intake.add_publicanswer"):
            raise PermissionDenied
        if not (item.publish_consent and item.has_official_reply):
            messages.error(request, "只有来信人同意公开且已办结答复的事项才能生成公开答复。")
            return redirect("intake_item:inspect", item.pk)
        answer = draft_public_answer(item, request.user)
        messages.success(request, "已生成公开答复草稿，请核对已隐去个人信息后提交审核发布。")
        return redirect("intake_public_answer:edit", answer.pk)


class IntakeItemViewSet(ModelViewSet):
    model = IntakeItem
    icon = "mail"
    menu_label = "事项队列"
    menu_order = 100
    url_prefix = "intake/items"
    name = "intake_item"
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False  # a copy would skip workflow.receive: no tracking number, no first step
    index_view_class = IntakeItemIndexView
    add_view_class = IntakeItemCreateView
    edit_view_class = IntakeItemEditView
    inspect_view_class = IntakeItemInspectView
    history_view_class = IntakeItemHistoryView
    delete_view_class = IntakeItemDeleteView
    usage_view_class = IntakeItemUsageView
    filterset_class = IntakeItemFilterSet
    search_fields = ["tracking_number", "subject", "message", "name", "unit", "reply"]
    list_per_page = 30
    ordering = ["-received_at", "-pk"]
    export_filename = "来信来访事项"
    list_export = [
        "tracking_number",
        "received_at",
        "get_channel_display",
        "get_kind_display",
        "get_level_display",
        "get_status_display",
        "subject",
        "name",
        "unit",
        "contact_summary",
        "handler",
        "acceptance_due",
        "completion_due",
        "closed_at",
        "get_satisfaction_display",
        "overdue_label",
        "supervised_label",
    ]
    export_headings = {
        "get_channel_display": "渠道",
        "get_kind_display": "类别",
        "get_level_display": "属地",
        "get_status_display": "状态",
        "contact_summary": "联系方式（已脱敏）",
        "handler": "承办",
        "get_satisfaction_display": "满意度",
        "overdue_label": "是否超期",
        "supervised_label": "是否督办",
    }
    panels = [
        FieldRowPanel([FieldPanel("channel"), FieldPanel("kind"), FieldPanel("level")], heading="来源"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name"), FieldPanel("unit")]),
                FieldRowPanel([FieldPanel("mobile"), FieldPanel("email")]),
            ],
            heading="来信人",
        ),
        MultiFieldPanel([FieldPanel("subject"), FieldPanel("message"), FieldPanel("attachment")], heading="事项"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("preferred_leader"), FieldPanel("preferred_leader_text")]),
                FieldRowPanel([FieldPanel("preferred_date_from"), FieldPanel("preferred_date_to")]),
            ],
            heading="预约约见（仅预约约见类填写）",
        ),
        MultiFieldPanel([FieldPanel("expert"), FieldPanel("publish_consent")], heading="关联"),
    ]

    def get_form_class(self, for_update=False):
        return forms.StaffEntryForm

    @cached_property
    def list_display(self):
        return [
            TitleColumn(
                "tracking_number",
                label="查询号",
                get_url=lambda item: reverse("intake_item:inspect", args=[item.pk]),
                sort_key="tracking_number",
                classname="list-nowrap intake-number",
            ),
            # On a phone: the number, the subject and the status (its tags say 已超期 and 督办).
            Column("subject", label="主题", classname="list-key"),
            Column("get_channel_display", label="渠道", sort_key="channel", classname="list-wide-only"),
            Column("get_kind_display", label="类别", sort_key="kind", classname="list-wide-only"),
            StatusColumn("status", label="状态", sort_key="status"),
            Column(
                "deadline",
                label="期限",
                sort_key="deadline",
                accessor=lambda item: local_date(item.deadline),
                classname="list-wide-only",
            ),
            Column("handler", label="承办", classname="list-wide-only"),
            Column("get_level_display", label="属地", sort_key="level", classname="list-wide-only"),
            Column(
                "received_at",
                label="登记时间",
                sort_key="received_at",
                accessor="received_local",
                classname="list-wide-only",
            ),
        ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/step/<str:action>/", ItemActionView.as_view(), name="action"),
            path("<int:pk>/attachment/", ItemAttachmentView.as_view(), name="attachment"),
            path("<int:pk>/reveal/<str:field>/", ItemRevealView.as_view(), name="reveal"),
            path("<int:pk>/expert/", LinkExpertView.as_view(), name="link_expert"),
            path("<int:pk>/public-answer/", DraftPublicAnswerView.as_view(), name="draft_answer"),
            path("<int:pk>/query-code/", ReissueQueryCodeView.as_view(), name="reissue_code"),
        ]


class IntakeMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_model(request.user, IntakeItem, ITEM_ACTIONS)


class StatisticsViewSet(ViewSet):
    icon = "table"
    menu_label = "月度统计"
    menu_order = 200
    url_prefix = "intake/statistics"
    name = "intake_statistics"
    menu_item_class = IntakeMenuItem

    def get_urlpatterns(self):
        return [path("", statistics.MonthlyStatisticsView.as_view(), name="index")]


class ReplyTemplateViewSet(SnippetViewSet):
    model = ReplyTemplate
    icon = "doc-full"
    menu_label = "答复模板"
    menu_order = 400
    url_prefix = "intake/reply-templates"
    list_display = [
        "title",
        # An empty kind means the template serves every kind (the field's help text).
        Column(
            "kind",
            label="适用类别",
            sort_key="kind",
            accessor=lambda template: template.get_kind_display() or "全部类别",
        ),
        YesNoColumn("active", label="启用", sort_key="active"),
    ]
    list_filter = ["kind", "active"]
    search_fields = ["title", "body"]
    chooser_viewset_class = PolicyChooserViewSet


class PublicAnswerViewSet(SnippetViewSet):
    model = PublicAnswer
    icon = "help"
    menu_label = "公开答复"
    menu_order = 300
    url_prefix = "intake/public-answers"
    admin_url_namespace = "intake_public_answer"
    copy_view_enabled = False  # an answer belongs to one item
    index_view_class = public_answers.AnswerIndexView
    add_view_class = public_answers.AnswerCreateView
    edit_view_class = public_answers.AnswerEditView
    delete_view_class = public_answers.AnswerDeleteView
    usage_view_class = public_answers.AnswerUsageView
    history_view_class = public_answers.AnswerHistoryView
    preview_on_edit_view_class = public_answers.AnswerPreviewOnEditView
    revisions_view_class = public_answers.AnswerRevisionView
    revisions_compare_view_class = public_answers.AnswerRevisionsCompareView
    revisions_unschedule_view_class = public_answers.AnswerRevisionsUnscheduleView
    unpublish_view_class = public_answers.AnswerUnpublishView
    preview_on_add_view_class = public_answers.AnswerPreviewOnCreateView
    chooser_viewset_class = public_answers.AnswerChooserViewSet
    list_display = ["question_title", "kind", "answered_on"]
    list_filter = ["kind"]
    search_fields = ["question_title", "question", "answer"]


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "group"
    menu_label = "承办部门"
    menu_order = 500
    url_prefix = "intake/departments"
    name = "intake_department"
    add_to_admin_menu = False
    list_display = [
        "name",
        Column("get_level_display", label="属地", sort_key="level"),
        "contact_email",
        YesNoColumn("active", label="可交办", sort_key="active"),
    ]
    list_filter = ["level", "active"]
    search_fields = ["name"]
    # Its users are linked here by the city office; a superuser creates their accounts (group 承办部门).
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("level")]),
            FieldPanel("contact_email"),
            FieldPanel("active"),
            FieldPanel("members"),
        ],
        base_form_class=forms.DepartmentForm,
    )


class IntakeViewSetGroup(ViewSetGroup):
    menu_label = "来信来访"
    menu_icon = "mail"
    menu_order = 300
    items = [IntakeItemViewSet, StatisticsViewSet, PublicAnswerViewSet, ReplyTemplateViewSet, DepartmentViewSet]
