"""Admin views of contact records (联系服务记录): Wagtail's generic views narrowed to the rows the
user may see (liaison.scoping), the record form with its follow-up rows and materials saved in one
transaction, and the materials served privately. The follow-ups' own views are in follow_ups.py."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter, log

from base.attachments import EXTENSION_BY_TYPE
from experts.models import Expert
from security.audit import AuditedViewMixin
from staff.scoping import LevelScopedIndexMixin, LevelScopedObjectMixin, ensure_in_scope

from .. import services
from ..filters.contacts import ContactFilterSet
from ..models import ContactAttachment, ContactRecord, FollowUp, Leader
from ..models.contacts import OPEN_FOLLOW_UP_STATUSES
from ..scoping import county_reading
from .follow_ups import FollowUpStatusFormatter, with_overdue_days

EXPERT_NAMES_SHOWN = 3
TYPE_BY_EXTENSION = {extension: mime for mime, extension in EXTENSION_BY_TYPE.items()}


def count_of(queryset, field):
    """A subquery counting the rows of `queryset` whose `field` is the outer row (0 when none)."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# Contact records ---------------------------------------------------------------------------


class ContactIndexView(LevelScopedIndexMixin, generic.IndexView):
    filterset_class = ContactFilterSet
    add_item_label = "登记联系记录"

    def get_base_queryset(self):
        experts = Expert.objects.only("name").order_by("name", "pk")
        prefetches = [
            Prefetch("leaders", queryset=Leader.objects.only("name", "body", "level")),
            Prefetch("experts", queryset=experts[:EXPERT_NAMES_SHOWN], to_attr="first_experts"),
        ]
        if county := county_reading(self.request.user, None):
            # For the records of other levels, where only the county's own experts are named.
            own = experts.filter(level=county)[:EXPERT_NAMES_SHOWN]
            prefetches.append(Prefetch("experts", queryset=own, to_attr="first_own_experts"))
        return (
            super()
            .get_base_queryset()
            .annotate(
                expert_count=count_of(ContactRecord.experts.through.objects, "contactrecord"),
                open_follow_ups=count_of(FollowUp.objects.filter(status__in=OPEN_FOLLOW_UP_STATUSES), "record"),
            )
            .prefetch_related(*prefetches)
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
            Column("experts", label="联系专家", accessor=lambda r: experts_summary(r, self.request.user)),
            Column("level", label="登记属地", accessor="get_level_display", sort_key="level"),
            Column("open_follow_ups", label="未办结问题", sort_key="open_follow_ups"),
        ]


def experts_summary(record, user):
    """The count and the first names: 3人：甲、乙、丙, or for a larger group 20人：甲、乙、丙等;
    only the names `user` may read (county_reading)."""
    named = record.first_own_experts if county_reading(user, record) else record.first_experts
    names = "、".join(expert.name for expert in named)
    more = "等" if record.expert_count > len(named) else ""
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


class ContactInspectView(AuditedViewMixin, LevelScopedObjectMixin, generic.InspectView):
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
        experts = record.experts.select_related("unit").order_by("name", "pk")
        follow_ups = record.follow_ups.select_related("expert")
        visits = record.must_visits_done.select_related("leader", "expert")
        if county := county_reading(self.request.user, record):
            experts = experts.filter(level=county)
            follow_ups, visits = follow_ups.filter(expert__level=county), visits.filter(expert__level=county)
        experts = list(experts)
        return {
            **super().get_context_data(**kwargs),
            "leaders": record.leaders.all(),
            "experts": experts,
            "experts_not_shown": record.experts.count() - len(experts),
            "follow_ups": with_overdue_days(follow_ups),
            "attachments": record.attachments.all(),
            "must_visits_done": visits,
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


# Log actions (registered in liaison/wagtail_hooks.py) ---------------------------------------


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
