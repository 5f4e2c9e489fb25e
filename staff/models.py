from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from wagtail.models import BaseLogEntry, BaseLogEntryManager
from wagtail.permissions import policy_registry

from .levels import Level


class StaffProfile(models.Model):
    """What the user model lacks: the level (属地) whose records a staff member works on.

    市本级 sees every level; a county sees only its own. A user without a profile
    sees no scoped record at all (superusers excepted): access fails closed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile", verbose_name="用户"
    )
    level = models.CharField("属地", max_length=20, choices=Level.choices)

    class Meta:
        verbose_name = "工作人员属地"
        verbose_name_plural = "工作人员属地"

    def __str__(self):
        return f"{self.user.get_username()}（{self.get_level_display()}）"


class ExportLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        """`instance` is a `staff.exports.Export`: the model, label and row count of one export."""
        from .scoping import level_scope

        data = {"rows": instance.rows, **(kwargs.pop("data", None) or {})}
        user = kwargs.get("user")
        return self.create(
            content_type=ContentType.objects.get_for_model(instance.model),
            label=instance.label,
            action=action,
            timestamp=timezone.now(),
            level=(level_scope(user) if user else None) or Level.CITY,
            data=data,
            **kwargs,
        )

    def viewable_by_user(self, user):
        # Site history shows the exports of the user's level, of the models the user may see.
        from .scoping import ANY_ACTION, restrict_to_scope

        entries = restrict_to_scope(self.all(), user)
        if user.is_superuser:
            return entries
        content_types = [ContentType.objects.get_for_id(pk) for pk in entries.get_content_type_ids() if pk]
        visible = [
            content_type.pk
            for content_type in content_types
            if content_type.model_class()
            and policy_registry.get_by_type(content_type.model_class()).user_has_any_permission(user, ANY_ACTION)
        ]
        return entries.filter(content_type_id__in=visible)


class ExportLogEntry(BaseLogEntry):
    """Log entries of exports (many rows at once), kept apart so that each level sees only its own.

    `level` is the exporter's: 市本级 for city staff and superusers, whose exports span every level.
    """

    level = models.CharField("属地", max_length=20, choices=Level.choices, db_index=True)

    objects = ExportLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = "导出日志"
        verbose_name_plural = "导出日志"

    def __str__(self):
        return f"ExportLogEntry {self.pk}: {self.action} of {self.data.get('rows')} rows"

    @property
    def object_id(self):
        return None  # an export concerns many rows: site history shows its label without a link
