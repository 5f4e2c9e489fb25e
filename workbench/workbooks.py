"""The yearly report's workbook: built in the request when it is small, by the background worker when not.

The rule: a report whose level holds more than INLINE_EXPERTS active experts (the city's year on a
full database) is built by the `reports` queue's worker (bin/serve runs it), the user following its
progress on a status page; a smaller one (a county's year: well under a second) is sent at once.
The file the worker writes lives in WORKBENCH_WORKBOOK_ROOT, outside MEDIA_ROOT: only the user who
asked for it downloads it, through the admin, while they may still see the report.
"""

import datetime
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from staff.exports import write_xlsx

from .models import WorkbookState, YearlyWorkbook
from .yearly import YearlyReport, may_see_report, workbook_sheets

QUEUE = "reports"
INLINE_EXPERTS = 2000
EXPORT_ACTION = "workbench.yearly_export"
STALLED_AFTER = datetime.timedelta(minutes=1)  # queued this long: no worker is taking the queue's tasks


def filename(report):
    return (
        f"{report.year}年度工作报告-{report.level_label}.xlsx",
        f"yearly-report-{report.year}-{report.level or 'all'}.xlsx",
    )


def builds_inline(report):
    return report.value(report.active) <= INLINE_EXPERTS


def workbook_path(job):
    return Path(settings.WORKBENCH_WORKBOOK_ROOT) / job.file_name


def start_workbook(report):
    job = YearlyWorkbook.objects.create(
        user=report.user,
        year=report.year,
        level=report.level,
        sections_total=len(report.builders()),
        rows=report.value(report.active),
    )
    build_workbook.enqueue(job.pk)
    return job


@task(backend="background", queue_name=QUEUE)
def build_workbook(job_id):
    job = YearlyWorkbook.objects.filter(pk=job_id, state=WorkbookState.QUEUED).first()
    if job is None:
        return "gone"
    user = get_user_model().objects.get(pk=job.user_id)
    if not may_see_report(user):  # the user's role changed while the job waited
        YearlyWorkbook.objects.filter(pk=job.pk).update(state=WorkbookState.FAILED, finished_at=timezone.now())
        return "refused"
    YearlyWorkbook.objects.filter(pk=job.pk).update(state=WorkbookState.RUNNING)
    report = YearlyReport(user, job.year, job.level)
    root = Path(settings.WORKBENCH_WORKBOOK_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    name = f"{job.pk}-{secrets.token_hex(8)}.xlsx"

    def progress(done):
        YearlyWorkbook.objects.filter(pk=job.pk).update(sections_done=done)

    try:
        with open(root / name, "wb") as output:
            write_xlsx(workbook_sheets(report, progress), output)
    except Exception:
        (root / name).unlink(missing_ok=True)
        YearlyWorkbook.objects.filter(pk=job.pk).update(state=WorkbookState.FAILED, finished_at=timezone.now())
        raise  # the worker logs it with the task
    YearlyWorkbook.objects.filter(pk=job.pk).update(
        state=WorkbookState.DONE, file_name=name, finished_at=timezone.now()
    )
    return "done"


KEEP = datetime.timedelta(days=1)


def prune_workbooks(now=None):
    """Deletes the workbooks (and their files) asked for over a day ago: a year's figures go stale."""
    old = YearlyWorkbook.objects.filter(created_at__lt=(now or timezone.now()) - KEEP)
    for job in old.exclude(file_name=""):
        workbook_path(job).unlink(missing_ok=True)
    return old.delete()[0]
