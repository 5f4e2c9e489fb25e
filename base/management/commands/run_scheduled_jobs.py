import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger("portal")


def scheduled_jobs():
    """(name, command arguments) of each job, in the order they run."""
    return [
        # Pages and snippets scheduled for a later time go live, or expire.
        ("publish_scheduled", []),
        # Finished background tasks keep their arguments, a receipt's query code among them.
        (
            "prune_db_task_results",
            [
                "--backend=background",
                "--queue-name=*",
                f"--min-age-days={settings.FINISHED_TASK_RETENTION_DAYS}",
                "--verbosity=0",
            ],
        ),
    ]


class Command(BaseCommand):
    help = "运行定时任务：定时发布的页面上线或下线，清理已完成的后台任务。由定时器每分钟运行一次。"

    def handle(self, *args, **options):
        failed = []
        for name, arguments in scheduled_jobs():
            try:
                call_command(name, *arguments, stdout=self.stdout, stderr=self.stderr)
            except Exception:
                # One failing job must not keep the others from running.
                logger.exception("Scheduled job %s failed", name)
                failed.append(name)
        if failed:
            raise CommandError(f"以下定时任务失败：{'、'.join(failed)}（详见日志）。")
