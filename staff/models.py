from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from wagtail.models import BaseLogEntry, BaseLogEntryManager

from .levels import Level
from .scoping import ANY_ACTION, level_scope, restrict_to_scope, sees_model, visible_rows


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


# Log tables ------------------------------------------------------------------------------------
# Wagtail's site history (Reports → 站点历史) lists what each log table's `viewable_by_user` lets
# through. Its shared ModelLogEntry lets through every entry of a model the user has any permission
# on, whatever the row's level; so scoped records log to tables of their own, scoped here.


class RecordLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs[self.model.record_field] = instance
        return super().log_action(instance, action, **kwargs)

    def for_instance(self, instance):
        return self.filter(**{self.model.record_field: instance})

    def viewable_by_user(self, user):
        # The entries of the rows the user may see, as the logged model's permission policy says.
        if user.is_superuser:
            return self.all()
        record = self.model._meta.get_field(self.model.record_field)
        rows = visible_rows(user, record.related_model, self.model.scope_actions)
        return self.filter(**{f"{record.name}__in": rows.values("pk")})


class RecordLogEntry(BaseLogEntry):
    """Log entries of one level-scoped model, shown to those who may see the logged row.

    A subclass adds the foreign key to the logged model (`on_delete=DO_NOTHING, db_constraint=False`,
    so that history outlives the row), names it in `record_field`, and is registered for the model
    with `actions.register_model(Model, LogEntryModel)` in the app's `register_log_actions` hook.
    """

    record_field = ""
    scope_actions = ANY_ACTION  # what a user must be allowed to do on a row to see its entries

    objects = RecordLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        abstract = True
        ordering = ["-timestamp", "-id"]

    def __str__(self):
        return f"{type(self).__name__} {self.pk}: {self.action} on {self.record_field} {self.object_id}"

    @property
    def object_id(self):
        return getattr(self, f"{self.record_field}_id")


class ExportLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        """`instance` is a `staff.exports.Export`: the model, label and row count of one export."""
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
        # Site history shows the exports of the user's level, of the models the user may see;
        # an export of site history itself (logged as a log model) to all, as site history is open to all.
        entries = restrict_to_scope(self.all(), user)
        if user.is_superuser:
            return entries
        content_types = [ContentType.objects.get_for_id(pk) for pk in entries.get_content_type_ids() if pk]
        visible = [
            content_type.pk
            for content_type in content_types
            if (model := content_type.model_class()) and (issubclass(model, BaseLogEntry) or sees_model(user, model))
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
