from wagtail import hooks

from base import scheduled_jobs

from . import retention
from .dashboard import HeldMailPanel
from .fetch import scheduled_fetch
from .viewsets import MailboxViewSet

hooks.register(scheduled_jobs.HOOK, scheduled_fetch)
hooks.register(scheduled_jobs.HOOK, retention.clear_expired)


@hooks.register("register_admin_viewset")
def register_mailbox_viewset():
    return MailboxViewSet()


@hooks.register("register_log_actions")
def register_mailbox_log_actions(actions):
    actions.register_action("inbox.held", "邮件未能登记", "邮件未能登记")
    actions.register_action("inbox.handled", "邮件已人工处理", "邮件已人工处理")


@hooks.register("construct_homepage_panels")
def add_held_mail_panel(request, panels):
    panels.append(HeldMailPanel(request))
