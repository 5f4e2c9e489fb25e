from django.conf import settings
from django.db import models

from staff.levels import Level


class WorkbookState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "正在生成"
    DONE = "done", "已完成"
    FAILED = "failed", "生成失败"


class YearlyWorkbook(models.Model):
    """A yearly report workbook built in the background (workbench.workbooks): its progress and its file,
    which only the user who asked for it downloads."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField("年度")
    level = models.CharField("属地", max_length=20, choices=Level.choices, blank=True, help_text="空：全市")
    state = models.CharField("状态", max_length=20, choices=WorkbookState.choices, default=WorkbookState.QUEUED)
    sections_done = models.PositiveSmallIntegerField("已完成部分", default=0)
    sections_total = models.PositiveSmallIntegerField("共几部分", default=0)
    file_name = models.CharField("文件", max_length=100, blank=True)
    rows = models.PositiveIntegerField("在库专家", default=0)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度工作报告工作簿"

    def __str__(self):
        return f"{self.year}年度工作报告（{self.get_level_display() or '全市'}）"
