from wagtail.admin.ui.components import Component
from wagtail.permissions import policy_registry

from .models import IntakeItem, Status

PANEL_ROWS = 5


class IntakeDashboardPanel(Component):
    """The dashboard's "来信来访" panel: what waits, what is late, what the office supervises."""

    name = "intake"
    order = 150
    template_name = "intake/admin/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        policy = policy_registry.get_by_type(IntakeItem)
        user = self.request.user
        if not policy.user_has_any_permission(user, ["view", "change"]):
            return {"shown": False}
        items = (
            policy.instances_user_has_any_permission_for(user, ["view", "change"])
            .open()
            .with_overdue()
            .select_related("assignee", "department")
            .order_by("deadline", "pk")
        )
        return {
            "shown": True,
            "waiting": items.filter(status=Status.NEW).count(),
            "overdue_count": items.overdue().count(),
            "supervised": list(items.filter(supervised=True)[:PANEL_ROWS]),
            "overdue": list(items.overdue()[:PANEL_ROWS]),
            "mine": list(items.filter(assignee=user)[:PANEL_ROWS]),
        }
