"""Who sees which level's records: the one rule behind every county-scoped list."""

from wagtail.permission_policies import ModelPermissionPolicy

from .levels import Level
from .models import StaffProfile

ALL_LEVELS = None  # the scope of city staff and superusers


def level_scope(user):
    """The level whose records `user` may see; ALL_LEVELS for city staff; "" for none."""
    if not user.is_authenticated or not user.is_active:
        return ""
    if user.is_superuser:
        return ALL_LEVELS
    cached = getattr(user, "_portal_level_scope", False)
    if cached is not False:
        return cached
    level = StaffProfile.objects.filter(user=user).values_list("level", flat=True).first() or ""
    scope = ALL_LEVELS if level == Level.CITY else level
    user._portal_level_scope = scope
    return scope


def restrict_to_scope(queryset, user, field="level"):
    """`queryset` narrowed to the rows whose `field` lies in the user's scope."""
    scope = level_scope(user)
    if scope is ALL_LEVELS:
        return queryset
    if not scope:
        return queryset.none()
    return queryset.filter(**{field: scope})


def in_scope(user, level):
    scope = level_scope(user)
    return scope is ALL_LEVELS or (bool(scope) and scope == level)


class LevelScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the user's groups, rows limited to the user's level.

    Register it per model with `wagtail.permissions.register_permission_policy`;
    `level_field` names the field (or lookup path) that holds a row's level.
    """

    def __init__(self, model, level_field="level"):
        super().__init__(model)
        self.level_field = level_field

    def _level_of(self, instance):
        value = instance
        for part in self.level_field.split("__"):
            value = getattr(value, part)
        return value

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and in_scope(user, self._level_of(instance))

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = super().instances_user_has_any_permission_for(user, actions)
        return restrict_to_scope(queryset, user, self.level_field)
