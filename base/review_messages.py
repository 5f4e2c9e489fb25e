"""The page editor's message after a review step is approved (the after_edit_page hook).

Kept apart from base/workflows.py, which Wagtail imports while its models are still loading."""

from django.contrib import messages as django_messages
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.models import TaskState, WorkflowState


def approval_message(page):
    """Which step approved the page, and where it went: to the next step, or published."""
    state = page.workflow_states.order_by("-created_at", "-pk").first()
    approved = state.task_states.filter(status=TaskState.STATUS_APPROVED).order_by("-finished_at", "-pk").first()
    title = page.get_admin_display_title()
    if state.status == WorkflowState.STATUS_IN_PROGRESS:
        return f"页面“{title}”已通过“{approved.task.name}”，已转交“{state.current_task_state.task.name}”。"
    return f"页面“{title}”已通过“{approved.task.name}”，已发布。"


def announce_approval(request, page):
    """Says what an approval in the editor did, in place of Wagtail's 页面已被更新 (added by its
    EditView.add_save_confirmation_message for every save, naming no step)."""
    if "action-workflow-action" not in request.POST or request.POST.get("workflow-action-name") != "approve":
        return
    updated = messages.render(
        _("Page '%(page_title)s' has been updated.") % {"page_title": page.get_admin_display_title()}, None
    )
    storage = django_messages.get_messages(request)
    # Reading the storage consumes its messages: every one but Wagtail's is added back.
    for message in list(storage):
        if message.message != updated:
            storage.add(message.level, message.message, message.extra_tags)
    messages.success(request, approval_message(page))
