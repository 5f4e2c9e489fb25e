"""What the review workflow (编辑提交 → 审核 → 终审) does when its last step is approved."""


def publish_approved(workflow_state, user=None):
    """Publishes the approved revision as the approver, who holds no publish permission of their own.

    Wagtail's default (`wagtail.workflows.publish_workflow_state`) checks the approver's publish
    permission, which would let them publish without the review too; here only the approval of
    the whole workflow publishes (settings.WAGTAIL_FINISH_WORKFLOW_ACTION).
    """
    workflow_state.content_object.get_latest_revision().publish(user=user, skip_permission_checks=True)
