"""Materials attached to a contact record (《工作方案》四(二): leader offices "record contacts and
attach materials"): kept outside MEDIA_ROOT and served only to those who may see the record."""

from django.conf import settings
from django.db import models

from base.attachments import private_storage, random_file_name


def contact_attachment_storage():
    return private_storage(settings.LIAISON_ATTACHMENT_ROOT)


class ContactAttachment(models.Model):
    record = models.ForeignKey(
        "liaison.ContactRecord", verbose_name="联系记录", on_delete=models.CASCADE, related_name="attachments"
    )
    # On disk a random name with the extension of what the content is (base.attachments).
    file = models.FileField("文件", upload_to=random_file_name, storage=contact_attachment_storage, max_length=200)
    name = models.CharField("原文件名", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = "联系记录材料"
        verbose_name_plural = "联系记录材料"

    def __str__(self):
        return self.name

    @property
    def extension(self):
        return self.file.name.rsplit(".", 1)[-1]
