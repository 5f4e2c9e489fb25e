"""Who sees which records: the rules behind every scoped list.

Two scopes, applied together:
- the level (属地): city staff see every level, a county's staff only their county;
- the unit: a unit liaison (单位联络员) sees only the rows of the units tied to them
  (`experts.Unit.liaisons`, read here as the user's `liaison_units`).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.views import chooser
from wagtail.snippets.views.chooser import SnippetChooserViewSet

from .levels import Level
from .roles import UNIT_LIAISONS

ALL_LEVELS = None  # the scope of city staff and superusers
ALL_UNITS = None  # the unit scope of everyone but unit liaisons


def level_scope(user):
    """The level whose records `user` may see; ALL_LEVELS for city staff; "" for none."""
    if not user.is_authenticated or not user.is_active:
        return ""
    if user.is_superuser:
        return ALL_LEVELS
    cached = getattr(user, "_portal_level_scope", False)
    if cached is not False:
        return cached
    from .models import StaffProfile  # here, not above: staff.models builds its log tables on this module

    level = StaffProfile.objects.filter(user=user).values_list("level", flat=True).first() or ""
    scope = ALL_LEVELS if level == Level.CITY else level
    user._portal_level_scope = scope
    return scope


def unit_scope(user):
    """ALL_UNITS, or for a unit liaison the set of the pks of the units tied to them (maybe empty)."""
    if not user.is_authenticated or user.is_superuser:
        return ALL_UNITS
    cached = getattr(user, "_portal_unit_scope", False)
    if cached is not False:
        return cached
    scope = ALL_UNITS
    if user.groups.filter(name=UNIT_LIAISONS).exists():
        scope = set(user.liaison_units.values_list("pk", flat=True))
    user._portal_unit_scope = scope
    return scope


def restrict_to_scope(queryset, user, field="level", unit_field=None):
    """`queryset` narrowed to the rows whose `field` lies in the user's level, and for a unit liaison
    to the rows whose `unit_field` (a lookup to the unit's pk) is one of their units; a model without
    a `unit_field` shows a unit liaison nothing."""
    scope = level_scope(user)
    if not scope and scope is not ALL_LEVELS:
        return queryset.none()
    if scope is not ALL_LEVELS:
        queryset = queryset.filter(**{field: scope})
    units = unit_scope(user)
    if units is ALL_UNITS:
        return queryset
    if unit_field is None:
        return queryset.none()
    return queryset.filter(**{f"{unit_field}__in": units})


def in_scope(user, level, unit_id=None):
    """Whether a row of `level` (and, for unit-scoped models, of the unit `unit_id`) is in the user's scope."""
    scope = level_scope(user)
    if not (scope is ALL_LEVELS or (bool(scope) and scope == level)):
        return False
    units = unit_scope(user)
    return units is ALL_UNITS or (unit_id is not None and unit_id in units)


class LevelScopedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the user's groups, rows limited to the user's level.

    Register it per model with `wagtail.permissions.register_permission_policy`;
    `level_field` names the field (or lookup path) that holds a row's level.
    """

    def __init__(self, model, level_field="level", unit_field=None):
        super().__init__(model)
        self.level_field = level_field
        self.unit_field = unit_field  # a lookup to the row's unit pk, for unit liaisons; None: not unit-scoped

    @staticmethod
    def _value_of(instance, path):
        value = instance
        for part in path.split("__"):
            if value is None:  # an empty link on the way (a public answer without its item): no level
                return None
            value = getattr(value, part)
        return value

    def user_has_permission_for_instance(self, user, action, instance):
        unit = self._value_of(instance, self.unit_field) if self.unit_field else None
        unit_id = getattr(unit, "pk", unit)  # a path such as "unit" ends on the unit itself
        return self.user_has_permission(user, action) and in_scope(
            user, self._value_of(instance, self.level_field), unit_id
        )

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = super().instances_user_has_any_permission_for(user, actions)
        return restrict_to_scope(queryset, user, self.level_field, self.unit_field)


# Admin views ----------------------------------------------------------------------------------
# The rows a view offers come from the model's registered permission policy (for scoped models
# a LevelScopedPermissionPolicy), so lists, detail pages and forms follow the same rule.

ANY_ACTION = ("add", "change", "delete", "view")


def visible_rows(user, model, actions=ANY_ACTION):
    """The rows of `model` the user may do any of `actions` on, by the model's registered policy."""
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, actions)


def sees_model(user, model, actions=ANY_ACTION):
    """Whether the user may do any of `actions` on some rows of `model`."""
    return policy_registry.get_by_type(model).user_has_any_permission(user, actions)


def ensure_in_scope(user, instance, action=None, actions=ANY_ACTION):
    """`instance` back if the user may see it, else 404, as if it did not exist.

    Seeing means having any of `actions` on it (for scoped models: in the user's level).
    With `action`, a user who may see the row but not do `action` on it gets 403.
    """
    policy = policy_registry.get_by_type(type(instance))
    if not policy.user_has_any_permission_for_instance(user, actions, instance):
        raise Http404
    if action and not policy.user_has_permission_for_instance(user, action, instance):
        raise PermissionDenied
    return instance


class LevelScopedIndexMixin:
    """Listings (and their exports) hold only the rows the user may do any of `scope_actions` on."""

    scope_actions = ANY_ACTION

    def get_base_queryset(self):
        return visible_rows(self.request.user, self.model, self.scope_actions)


class LevelScopedObjectMixin:
    """The view's object passes `ensure_in_scope`: 404 outside the user's level, 403 without `object_action`.

    Wraps the `get_object` of the view it is mixed into (a Wagtail generic view, or any
    class that looks the object up).
    """

    scope_actions = ANY_ACTION
    object_action = None

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        return ensure_in_scope(self.request.user, instance, self.object_action, self.scope_actions)


class LevelScopedChooserMixin:
    """A chooser's views (list, results, chosen) offer only the rows the user may see, and refuse
    a user who may see none."""

    def dispatch(self, request, *args, **kwargs):
        if not sees_model(request.user, self.model_class):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        return visible_rows(self.request.user, self.model_class)

    def get_object(self, pk):
        return visible_rows(self.request.user, self.model_class).get(pk=pk)

    def get_objects(self, pks):
        return visible_rows(self.request.user, self.model_class).filter(pk__in=pks)


def _scoped_chooser_view(view_class):
    return type(f"Scoped{view_class.__name__}", (LevelScopedChooserMixin, view_class), {})


class PolicyChooserViewSet(SnippetChooserViewSet):
    """A snippet's chooser that follows the model's registered permission policy, like its other views."""

    choose_view_class = _scoped_chooser_view(chooser.ChooseView)
    choose_results_view_class = _scoped_chooser_view(chooser.ChooseResultsView)
    chosen_view_class = _scoped_chooser_view(chooser.SnippetChosenView)
    chosen_multiple_view_class = _scoped_chooser_view(chooser.SnippetChosenMultipleView)
    create_view_class = _scoped_chooser_view(chooser.SnippetCreateView)
