from wagtail.admin.ui.components import Component

from staff.scoping import sees_model

from .models import MailboxMessage, State


class HeldMailPanel(Component):
    """A line on the dashboard while the mailbox holds messages the portal could not register."""

    name = "inbox"
    order = 151  # under 来信来访
    template_name = "inbox/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        if not sees_model(self.request.user, MailboxMessage, ["view"]):
            return {"held": 0}
        return {"held": MailboxMessage.objects.filter(state=State.HELD).count()}
