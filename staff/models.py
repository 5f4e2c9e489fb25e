from django.conf import settings
from django.db import models

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
