"""Admin views of contact records (联系服务记录) and their follow-ups (问题跟踪): Wagtail's generic
views narrowed to the rows the user may see (liaison.scoping), the record form with its follow-up
rows and materials saved in one transaction, the materials served privately, and the follow-up
status form, whose rules live in liaison.services."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column, Table, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenMultipleView, ChosenView
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter, log

from base.attachments import EXTENSION_BY_TYPE
from experts.filters import ExpertSearchForm
from experts.models import Expert
from staff.scoping import LevelScopedIndexMixin, LevelScopedObjectMixin, ensure_in_scope

from .. import services
from ..forms.contacts import FollowUpStatusForm, expert_label
from ..models import ContactAttachment, ContactRecord, FollowUp, FollowUpStatus, Leader
from ..models.contacts import OPEN_FOLLOW_UP_STATUSES
from .contacts_filters import ContactFilterSet, FollowUpFilterSet

EXPERT_NAMES_SHOWN = 3
TYPE_BY_EXTENSION = {extension: mime for mime, extension in EXTENSION_BY_TYPE.items()}


def count_of(queryset, field):
    """A subquery counting the rows of `queryset` whose `field` is the outer row (0 when none)."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def overdue_days(follow_up, today=None):
    """How many days an open follow-up is past its due date (0 if it is not)."""
    if not follow_up.is_open:
        return 0
    return max(((today or timezone.localdate()) - follow_up.due_on).days, 0)


# Contact records ---------------------------------------------------------------------------


class ContactIndexView(LevelScopedIndexMixin, generic.IndexView):
    filterset_class = ContactFilterSet
    add_item_label = "登记联系记录"

    def get_base_queryset(self):
        experts = Expert.objects.only("name").order_by("name", "pk")
        return (
            super()
            .get_base_queryset()
            .annotate(
                expert_count=count_of(ContactRecord.experts.through.objects, "contactrecord"),
                open_follow_ups=count_of(FollowUp.objects.filter(status__in=OPEN_FOLLOW_UP_STATUSES), "record"),
            )
            .prefetch_related(
                Prefetch("leaders", queryset=Leader.objects.only("name", "body", "level")),
                Prefetch("experts", queryset=experts[:EXPERT_NAMES_SHOWN], to_attr="first_experts"),
            )
        )

    def search_queryset(self, queryset):
        # Searching crosses the many-to-many relations: by subquery, so that each record is listed once.
        if not self.is_searching:
            return queryset
        return queryset.filter(pk__in=super().search_queryset(ContactRecord.objects.all()).values("pk"))

    def get_edit_url(self, instance):
        if services.may_change_contact(self.request.user, instance):
            return super().get_edit_url(instance)
        return None

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "date",
                label="日期",
                sort_key="date",
                get_url=self.get_inspect_url,
                accessor=lambda r: f"{r.date:%Y-%m-%d}",
            ),
            Column("kind", label="联系事由", accessor="get_kind_display", sort_key="kind"),
            Column("method", label="方式", accessor="get_method_display"),
            Column(
                "leaders", label="参加领导", accessor=lambda r: "、".join(leader.name for leader in r.leaders.all())
            ),
            Column("experts", label="联系专家", accessor=experts_summary),
            Column("level", label="登记属地", accessor="get_level_display", sort_key="level"),
            Column("open_follow_ups", label="未办结问题", sort_key="open_follow_ups"),
        ]


def experts_summary(record):
    """ "3人：甲、乙、丙" or, for a group, "20人：甲、乙、丙等"."""
    names = "、".join(expert.name for expert in record.first_experts)
    more = "等" if record.expert_count > len(record.first_experts) else ""
    return f"{record.expert_count}人：{names}{more}"


class ContactFormMixin:
    """The record, its follow-up rows and its materials are saved in the transaction Wagtail's
    form_valid opens: any error leaves nothing behind, files on disk included."""

    template_name = "liaison/contacts/contact_form.html"

    def save_instance(self):
        record = super().save_instance()
        user, stored = self.request.user, []
        try:
            save_follow_ups(self.form, user)
            save_materials(self.form, record, user, stored)
            services.mark_must_visits_done(record)
        except BaseException:
            for file in stored:  # the rows roll back with the transaction; the files must go too
                file.storage.delete(file.name)
            raise
        return record

    def get_success_url(self):
        return reverse("liaison_contacts:inspect", args=[self.object.pk])


def save_follow_ups(form, user):
    for row in form.follow_ups.save(commit=False):
        action = "wagtail.edit" if row.pk else "wagtail.create"
        row.save()
        log(instance=row, action=action, user=user)


def save_materials(form, record, user, stored):
    """Stores the new materials (each file written is added to `stored`) and removes those ticked
    for removal, whose files go once the transaction has committed."""
    for upload, name in form.cleaned_data["attachments"]:
        attachment = ContactAttachment(record=record, name=name, uploaded_by=user)
        attachment.file.save(upload.name, upload, save=False)
        stored.append(attachment.file)
        attachment.save()
        log(instance=record, action="liaison.contact.attachment_added", user=user, data={"name": name})
    for attachment in form.cleaned_data.get("remove_attachments") or []:
        file = attachment.file
        attachment.delete()
        transaction.on_commit(lambda file=file: file.storage.delete(file.name))
        log(instance=record, action="liaison.contact.attachment_removed", user=user, data={"name": attachment.name})


class ContactCreateView(ContactFormMixin, generic.CreateView):
    page_title = "登记联系记录"
    success_message = "已登记联系记录：%(object)s。"

    def get_breadcrumbs_items(self):
        *items, last = super().get_breadcrumbs_items()
        return [*items, {**last, "label": self.page_title}]  # Wagtail's "New: …" has no Chinese translation


class ContactEditView(ContactFormMixin, LevelScopedObjectMixin, generic.EditView):
    object_action = "change"
    success_message = "已保存联系记录：%(object)s。"

    def setup(self, request, *args, **kwargs):
        # The record first: one outside the user's rows is a 404 before any permission is checked.
        super().setup(request, *args, **kwargs)
        self.object = self.get_object()

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def get_object(self, queryset=None):
        record = super().get_object(queryset)
        if not services.may_change_contact(self.request.user, record):
            raise PermissionDenied
        return record


class ContactInspectView(LevelScopedObjectMixin, generic.InspectView):
    page_title = "联系记录详情"
    template_name = "liaison/contacts/contact_inspect.html"

    def get_edit_url(self):
        if services.may_change_contact(self.request.user, self.object):
            return super().get_edit_url()
        return None

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button("操作日志", url=reverse("liaison_contacts:history", args=[self.object.pk]), icon_name="history"),
        ]

    def get_context_data(self, **kwargs):
        record = self.object
        return {
            **super().get_context_data(**kwargs),
            "leaders": record.leaders.all(),
            "experts": record.experts.select_related("unit").order_by("name", "pk"),
            "follow_ups": with_overdue_days(record.follow_ups.select_related("expert")),
            "attachments": record.attachments.all(),
            "must_visits_done": record.must_visits_done.select_related("leader", "expert"),
        }


class ContactHistoryView(LevelScopedObjectMixin, generic.HistoryView):
    any_permission_required = ["add", "change", "delete", "view"]  # a leader reads the log of their own records


class ContactUsageView(LevelScopedObjectMixin, generic.UsageView):
    pass


class ContactDeleteView(LevelScopedObjectMixin, generic.DeleteView):
    pass


class ContactAttachmentView(View):
    """Serves a record's material to whoever may see the record, and logs that they did."""

    def get(self, request, pk):
        attachment = get_object_or_404(ContactAttachment.objects.select_related("record"), pk=pk)
        ensure_in_scope(request.user, attachment.record)
        log(
            instance=attachment.record,
            action="liaison.contact.attachment_viewed",
            user=request.user,
            data={"name": attachment.name},
        )
        # Named and typed by what the content is, whatever the name it came with; a PDF is downloaded.
        extension = attachment.extension
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=extension == "pdf",
            filename=f"{Path(attachment.name).stem}.{extension}",
            content_type=TYPE_BY_EXTENSION[extension],
        )


# The expert chooser of the record form: the experts the user may put in a record, several at once.


class ContactExpertListMixin:
    filter_form_class = ExpertSearchForm
    per_page = 20

    def get_object_list(self):
        return services.experts_to_contact(self.request.user).select_related("unit").order_by("name", "pk")

    @property
    def columns(self):
        title, *others = super().columns
        title.label = "姓名"
        return [title, *others, Column("unit", label="工作单位"), Column("get_level_display", label="属地")]


class ContactExpertChooseView(ContactExpertListMixin, ChooseView):
    pass


class ContactExpertChooseResultsView(ContactExpertListMixin, ChooseResultsView):
    pass


class ContactExpertChosenMixin:
    def get_display_title(self, instance):
        return expert_label(instance)


class ContactExpertChosenView(ContactExpertChosenMixin, ChosenView):
    def get_object(self, pk):
        return services.experts_to_contact(self.request.user).select_related("unit").get(pk=pk)


class ContactExpertChosenMultipleView(ContactExpertChosenMixin, ChosenMultipleView):
    def get_objects(self, pks):
        ids = [pk for pk in pks if pk.isdigit()]
        return services.experts_to_contact(self.request.user).select_related("unit").filter(pk__in=ids)


# Follow-ups --------------------------------------------------------------------------------


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


class FollowUpInspectView(LevelScopedObjectMixin, generic.InspectView):
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


# Log actions (registered in liaison/wagtail_hooks.py) ---------------------------------------


class FollowUpStatusFormatter(LogFormatter):
    label = "更新办理状态"

    def format_message(self, log_entry):
        data = log_entry.data or {}
        before, after = (FollowUpStatus(data[key]).label if data.get(key) else "—" for key in ("before", "after"))
        return f"办理状态：{before} → {after}"

    def format_comment(self, log_entry):
        return (log_entry.data or {}).get("outcome", "")


class AttachmentFormatter(LogFormatter):
    verb = ""

    def format_message(self, log_entry):
        return f"{self.verb}材料：{(log_entry.data or {}).get('name', '')}"


def register_contact_log_actions(actions):
    actions.register_action("liaison.followup.status")(FollowUpStatusFormatter)
    for action, verb in (("attachment_added", "上传"), ("attachment_removed", "删除"), ("attachment_viewed", "查看")):
        formatter = type(
            "ContactAttachmentFormatter", (AttachmentFormatter,), {"label": f"{verb}联系记录材料", "verb": verb}
        )
        actions.register_action(f"liaison.contact.{action}")(formatter)
