"""The sign-in audit table and the per-user cut-off that signs a user out everywhere."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from wagtail.models import BaseLogEntry, BaseLogEntryManager


def may_manage_sign_in(user):
    """Superusers and the city office (市委人才办) see the sign-in log and lift lockouts, reset 2FA ..."""
    from staff.roles import CITY_OFFICE

    return user.is_active and (user.is_superuser or user.groups.filter(name=CITY_OFFICE).exists())


class SignInLogEntryManager(BaseLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        """`instance` is a `security.audit.AccountEvent`: the account (None for an unknown username) and
        the username as typed."""
        data = kwargs.pop("data", None) or {}
        return self.create(
            content_type=ContentType.objects.get_for_model(get_user_model()),
            object_id=str(instance.account.pk) if instance.account else None,
            label=instance.username,
            action=action,
            timestamp=timezone.now(),
            data=data,
            **kwargs,
        )

    def for_instance(self, instance):
        return self.filter(object_id=str(instance.pk))

    def viewable_by_user(self, user):
        return self.all() if may_manage_sign_in(user) else self.none()


class SignInLogEntry(BaseLogEntry):
    """Sign-ins, failed sign-ins (an unknown username too), sign-outs, lockouts and two-factor events.

    `label` is the username as typed, `object_id` the account's id when it exists, `user` who acted
    (the person signing in, or the administrator who lifted a lockout). No permission exists on this
    model, so no admin screen can change or delete an entry.
    """

    # None, not "", without an account: site history looks the ids up as user keys (with_instances).
    object_id = models.CharField("账号ID", max_length=255, null=True, blank=True, db_index=True)  # noqa: DJ001

    objects = SignInLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        verbose_name = "登录日志"
        verbose_name_plural = "登录日志"
        ordering = ["-timestamp", "-id"]
        default_permissions = ()

    def __str__(self):
        return f"SignInLogEntry {self.pk}: {self.action} by {self.label}"


class SessionCutoff(models.Model):
    """Sessions of the user signed in before `signed_out_at` end at their next request (security.sessions)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_cutoff", verbose_name="用户"
    )
    signed_out_at = models.DateTimeField("在所有设备退出的时间")

    class Meta:
        verbose_name = "会话失效时间"
        verbose_name_plural = "会话失效时间"

    def __str__(self):
        return f"{self.user} {timezone.localtime(self.signed_out_at):%Y-%m-%d %H:%M}"
