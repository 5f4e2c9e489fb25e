from wagtail.admin.ui.components import Component

from staff.scoping import sees_model, visible_rows

from .models import ITEM_ACTIONS, IntakeItem, Status

PANEL_ROWS = 5


class IntakeDashboardPanel(Component):
    """The dashboard's "来信来访" panel: what waits, what is late, what the office supervises."""

    name = "intake"
    order = 150
    template_name = "intake/admin/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        user = self.request.user
        if not sees_model(user, IntakeItem, ITEM_ACTIONS):
            return {"shown": False}
        items = (
            visible_rows(user, IntakeItem, ITEM_ACTIONS)
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
