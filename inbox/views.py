"""The city office's list of the messages the portal could not register, and 已人工处理."""

import django_filters
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import log

from .forms import HandledForm
from .models import MailboxMessage, State

NOT_TAKEN = [State.HELD, State.HANDLED]


class HeldFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label="状态", choices=[(state.value, state.label) for state in NOT_TAKEN], empty_label="全部"
    )

    class Meta:
        model = MailboxMessage
        fields = []


class HeldMessageIndexView(generic.IndexView):
    model = MailboxMessage
    permission_required = "view"
    filterset_class = HeldFilterSet
    page_title = "未能登记的邮件"
    header_icon = "mail"
    paginate_by = 30
    default_ordering = "-recorded_at"
    index_url_name = "inbox_message:index"
    index_results_url_name = "inbox_message:index_results"

    def get_base_queryset(self):
        # Held first: what still waits for staff.
        return MailboxMessage.objects.filter(state__in=NOT_TAKEN).select_related("handled_by")

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.request.GET.get("ordering"):
            queryset = queryset.order_by("-state", "-recorded_at", "-pk")  # "held" sorts after "handled"
        return queryset

    def handle_url(self, message):
        return reverse("inbox_message:handle", args=[message.pk])

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "subject",
                label="邮件主题",
                accessor=lambda message: message.subject or "（无主题）",
                get_url=self.handle_url,
                sort_key="subject",
            ),
            Column("sender", label="发件人", accessor="masked_sender"),
            Column("sent_at", label="邮件日期", accessor="sent_local", sort_key="sent_at"),
            Column("reason", label="未能登记原因"),
            Column("state", label="状态", accessor="get_state_display", sort_key="state"),
            Column("handled", label="处理情况", accessor=handled_label),
        ]


def handled_label(message):
    if message.state != State.HANDLED:
        return f"已移至邮箱文件夹“{message.folder}”，待处理"
    who = message.handled_by.get_full_name() or message.handled_by.get_username() if message.handled_by else ""
    return f"{timezone.localtime(message.handled_at):%Y-%m-%d} {who}：{message.handled_note}"


class HandledView(PermissionCheckedMixin, generic.base.WagtailAdminTemplateMixin, FormView):
    """Marks a held message 已人工处理, with what staff did (and the item they entered, if any)."""

    model = MailboxMessage
    permission_required = "change"
    form_class = HandledForm
    template_name = "inbox/handled.html"
    header_icon = "mail"
    page_title = "标记为已人工处理"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.message = get_object_or_404(MailboxMessage, pk=kwargs["pk"], state__in=NOT_TAKEN)

    def get_page_title(self):
        return "邮件处理情况" if self.message.state == State.HANDLED else self.page_title

    def get_page_subtitle(self):
        return self.message.subject or "（无主题）"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("inbox_message:index"), "label": "未能登记的邮件"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "message": self.message,
            "action_url": self.request.get_full_path(),
            "submit_button_label": "标记为已人工处理",
            "submit_button_active_label": "正在保存…",
        }

    def form_valid(self, form):
        with transaction.atomic():
            message = MailboxMessage.objects.select_for_update().get(pk=self.message.pk)
            if message.state != State.HELD:
                messages.error(self.request, "这封邮件已由他人标记为已人工处理。")
                return redirect("inbox_message:index")
            item = form.cleaned_data["tracking_number"]
            message.state = State.HANDLED
            message.item = item
            message.handled_by = self.request.user
            message.handled_at = timezone.now()
            message.handled_note = form.cleaned_data["note"]
            message.save()
            log(
                message,
                "inbox.handled",
                user=self.request.user,
                data={"note": message.handled_note, "item": item.tracking_number if item else ""},
            )
        messages.success(self.request, f"已标记为已人工处理：{message.subject or '（无主题）'}")
        return redirect("inbox_message:index")
