from django.core.management.base import BaseCommand, CommandError

from base.scheduled_jobs import run_all


class Command(BaseCommand):
    help = "运行定时任务（定时发布、清理已完成的后台任务等），由定时器每分钟运行一次。"

    def handle(self, *args, **options):
        if failed := run_all():
            raise CommandError(f"以下定时任务失败：{'、'.join(failed)}（详见日志）。")
