"""Spreadsheet imports of experts, run by the background worker (`experts.import_jobs`).

An import holds the uploaded file until the worker has read it, the parsed rows until the
import ends, and its result (row-numbered errors, or how many experts were stored) for the
user who started it. Only `experts.import_jobs` changes an import's state.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from staff.levels import Level
from staff.scoping import restrict_to_scope


class ImportState(models.TextChoices):
    CHECKING = "checking", "检查中"
    READY = "ready", "待确认"
    IMPORTING = "importing", "导入中"
    IMPORTED = "imported", "已导入"
    REFUSED = "refused", "有错误，未导入"
    CANCELLED = "cancelled", "已取消"
    FAILED = "failed", "出错，未导入"
    EXPIRED = "expired", "已过期，未导入"


RUNNING_STATES = [ImportState.CHECKING, ImportState.IMPORTING]  # a task is queued or running
OPEN_STATES = [*RUNNING_STATES, ImportState.READY]  # not ended: the parsed rows are still kept


class ExpertImportQuerySet(models.QuerySet):
    def for_user(self, user):
        """The imports `user` started, within the user's level (staff.scoping) like other expert records."""
        return restrict_to_scope(self.filter(started_by=user), user)


class ExpertImport(models.Model):
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField("属地", max_length=20, choices=Level.choices, db_index=True)
    file_name = models.CharField("文件名", max_length=255)
    state = models.CharField("状态", max_length=20, choices=ImportState.choices, default=ImportState.CHECKING)
    upload = models.BinaryField("上传的文件", null=True)  # until the worker has read it
    rows = models.JSONField("解析出的行", null=True)  # [[row number, {heading: text}], ...] until the import ends
    total = models.PositiveIntegerField("数据行数", default=0)
    checked = models.PositiveIntegerField("已检查行数", default=0)
    file_error = models.TextField("文件错误", blank=True)
    row_results = models.JSONField("检查结果", default=list)  # [{"number", "name", "errors" (HTML)}, ...]
    imported = models.PositiveIntegerField("已导入人数", default=0)
    # Where the confirmation came from: each imported expert's log entry carries it (security.audit).
    confirmed_from = models.CharField("确认导入的客户端地址", max_length=64, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    queued_at = models.DateTimeField("排队时间", default=timezone.now)
    worker_started_at = models.DateTimeField("开始处理时间", null=True)  # None while the current task waits
    updated_at = models.DateTimeField("最近进展", default=timezone.now)  # abandoned imports are judged by it
    finished_at = models.DateTimeField("结束时间", null=True)
    seen_at = models.DateTimeField("查看结果时间", null=True)

    objects = ExpertImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "专家导入"
        verbose_name_plural = "专家导入"

    def __str__(self):
        return f"{self.file_name}（{self.get_state_display()}）"

    def get_absolute_url(self):
        return reverse("experts:import_status", args=[self.pk])

    @property
    def is_running(self):
        return self.state in RUNNING_STATES

    @property
    def is_waiting(self):
        """Queued, and no worker has taken the task up yet."""
        return self.is_running and self.worker_started_at is None

    @property
    def error_rows(self):
        return [row for row in self.row_results if row["errors"]]
