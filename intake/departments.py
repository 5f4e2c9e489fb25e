"""A department's own screens (菜单“本部门承办事项”): the items assigned to the department a user
belongs to, and the department's steps on them (intake.workflow.DEPARTMENT_ACTIONS).

A department user (group 承办部门, linked to one department by DepartmentMembership) sees only
the items assigned to their department in the department's level; any other item answers 404,
as if it did not exist. They see the matter and the history, the expert's name and unit, and the
expert's phone and e-mail masked: the department reaches the expert through the office, which
keeps the contact data and the attachment. Superusers see every department's items.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from . import forms, workflow
from .models import DepartmentMembership, IntakeItem, Status
from .viewsets import IntakeItemTable, ItemActionView, StatusColumn, local_date

MENU_LABEL = "本部门承办事项"


def user_department(user):
    """The department whose items `user` handles, or None (not a department user, or not linked to one)."""
    if not user.is_authenticated or not user.is_active or not user.has_perm("intake.handle_intakeitem"):
        return None
    cached = getattr(user, "_intake_department", False)
    if cached is False:
        membership = DepartmentMembership.objects.select_related("department").filter(user=user).first()
        cached = user._intake_department = membership.department if membership else None
    return cached


def handles_items(user):
    return user.is_authenticated and user.is_active and (user.is_superuser or user_department(user) is not None)


def department_items(user):
    """The items assigned to the user's department, within its level (a county's department never sees
    another county's item, even one the office left assigned to it when moving the item)."""
    if user.is_superuser and user.is_active:
        return IntakeItem.objects.filter(department__isnull=False)
    department = user_department(user)
    if department is None:
        return IntakeItem.objects.none()
    return IntakeItem.objects.filter(department=department, level=department.level)


class DepartmentAccessMixin:
    """Refuses anyone who handles no department's items, before any item is looked up."""

    def dispatch(self, request, *args, **kwargs):
        if not handles_items(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_item(self):
        return get_object_or_404(department_items(self.request.user).with_overdue(), pk=self.kwargs["pk"])


class DepartmentItemFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label="状态",
        choices=[
            (status.value, status.label)
            for status in (*workflow.DEPARTMENT_STATUSES, Status.CLOSED, Status.FOLLOWED_UP)
        ],
    )

    class Meta:
        model = IntakeItem
        fields = []


class DepartmentItemIndexView(DepartmentAccessMixin, IndexView):
    model = IntakeItem
    table_class = IntakeItemTable  # the office queue's row marks: overdue, supervised
    permission_policy = None  # access is the department's (DepartmentAccessMixin), not a model permission
    any_permission_required = None
    page_title = MENU_LABEL
    header_icon = "mail"
    index_url_name = "intake_dept:index"
    index_results_url_name = "intake_dept:index_results"
    filterset_class = DepartmentItemFilterSet
    default_ordering = "-assigned_at"
    paginate_by = 30

    def get_base_queryset(self):
        return department_items(self.request.user).with_overdue()

    @property
    def columns(self):
        # On a phone: the number, the subject, the status and the deadline (a date wraps there at its hyphen).
        return [
            TitleColumn(
                "tracking_number",
                label="查询号",
                get_url=lambda item: reverse("intake_dept:inspect", args=[item.pk]),
                sort_key="tracking_number",
                classname="list-nowrap intake-number",
            ),
            Column("subject", label="主题", classname="list-key"),
            Column("get_kind_display", label="类别", sort_key="kind", classname="list-wide-only"),
            StatusColumn("status", label="状态", sort_key="status"),
            Column(
                "completion_due",
                label="办结期限",
                sort_key="completion_due",
                accessor=lambda item: local_date(item.completion_due),
            ),
            Column(
                "assigned_at",
                label="交办时间",
                sort_key="assigned_at",
                accessor=lambda item: local_date(item.assigned_at),
                classname="list-nowrap list-wide-only",
            ),
        ]


class DepartmentItemView(DepartmentAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """One item as its department sees it: the matter, deadlines, what waits for the office, the history."""

    template_name = "intake/admin/department_item.html"
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        self.item = item = self.get_item()
        context = super().get_context_data(**kwargs)
        context.update(
            item=item,
            steps=item.steps.select_related("actor"),
            actions=[
                (action, reverse("intake_dept:action", args=[item.pk, action.name]))
                for action in workflow.DEPARTMENT_ACTIONS.values()
                if action.allowed_for(item)
            ],
        )
        return context

    def get_page_title(self):
        return "承办事项"

    def get_page_subtitle(self):
        return str(self.item)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("intake_dept:index"), "label": MENU_LABEL},
            {"url": "", "label": self.item.tracking_number},
        ]


class DepartmentItemActionView(DepartmentAccessMixin, ItemActionView):
    """A department's step on one of its items: the office's action view with the department's steps."""

    actions = workflow.DEPARTMENT_ACTIONS
    inspect_url_name = "intake_dept:inspect"
    steps = {
        "accept": (forms.NoteForm, lambda item, user, data: workflow.start(item, user, note=data["note"])),
        "extend": (
            forms.ExtensionRequestForm,
            lambda item, user, data: workflow.request_extension(
                item, user, due_date=data["due_date"], reason=data["reason"]
            ),
        ),
        "propose": (forms.ProposeReplyForm, lambda item, user, data: workflow.propose_reply(item, user, data["reply"])),
    }

    def get_object(self):
        return self.get_item()

    def may_act(self, user):
        return True  # DepartmentAccessMixin let them in, and the item is their department's

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("intake_dept:index"), "label": MENU_LABEL},
            {"url": reverse("intake_dept:inspect", args=[self.item.pk]), "label": self.item.tracking_number},
            {"url": "", "label": self.action.label},
        ]


class DepartmentMenuItem(MenuItem):
    def is_shown(self, request):
        return handles_items(request.user)


class DepartmentItemViewSet(ViewSet):
    icon = "mail"
    menu_label = MENU_LABEL
    menu_order = 290
    url_prefix = "intake/department"
    name = "intake_dept"
    add_to_admin_menu = True
    menu_item_class = DepartmentMenuItem

    def get_urlpatterns(self):
        return [
            path("", DepartmentItemIndexView.as_view(), name="index"),
            path("results/", DepartmentItemIndexView.as_view(results_only=True), name="index_results"),
            path("<int:pk>/", DepartmentItemView.as_view(), name="inspect"),
            path("<int:pk>/step/<str:action>/", DepartmentItemActionView.as_view(), name="action"),
        ]
