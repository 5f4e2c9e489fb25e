from django.core.management.base import BaseCommand, CommandError

from inbox.fetch import MailboxError, Report, configured, fetch_mailbox


class Command(BaseCommand):
    help = "读取人才邮箱（IMAP）中的未读邮件，登记为“电子邮箱”渠道的来信来访事项；不能登记的移至人工处理文件夹。"

    def handle(self, *args, **options):
        if not configured():
            self.stdout.write("未配置人才邮箱（INBOX_IMAP_HOST 为空），未读取邮件。")
            return
        report = Report()
        try:
            fetch_mailbox(report)
        except MailboxError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(report))
