import argparse
import datetime

from django.core.management.base import BaseCommand

from reminders.sending import send_reminders


def date_argument(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from error


class Command(BaseCommand):
    help = "向每位有待办事项的领导和工作人员发送当天的待办提醒邮件（每人每天一封；没有待办事项不发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将发送的提醒，不发送也不记录。")
        parser.add_argument("--date", type=date_argument, help="按这一天计算待办事项（YYYY-MM-DD），默认今天。")

    def handle(self, *args, dry_run=False, date=None, **options):
        reminders = send_reminders(date, dry_run=dry_run)
        for reminder in reminders:
            user = reminder.user
            self.stdout.write(f"{user.get_username()} <{user.email}>：{reminder.item_count} 项，{reminder.outcome}")
            if dry_run:
                self.stdout.write(f"  主题：{reminder.subject}")
                self.stdout.write("".join(f"  {line}\n" for line in reminder.body.splitlines()))
        self.stdout.write(f"共 {len(reminders)} 人有待办事项。")
