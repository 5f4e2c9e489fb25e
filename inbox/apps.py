from django.apps import AppConfig


class InboxConfig(AppConfig):
    """The talent mailbox (人才邮箱, lbsrcb@126.com) read over IMAP into the intake queue."""

    name = "inbox"
    verbose_name = "人才邮箱"
