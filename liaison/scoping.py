"""Who sees which liaison records. Unlike the expert records, the rows follow who the user is:

- the city talent office (市委人才办) and superusers: every row;
- a county's talent office (县级人才办): the rows that touch its county;
- a leader (领导): their own rows;
- a leader's office (领导办公室): the rows of the leaders of its body and level;
- a unit liaison (单位联络员): the rows of their units' experts (staff.scoping's unit scope).

Each model's policy names the lookups that lead from a row to a level, a leader and a unit. A user
in several roles sees the union; model permissions (from the groups) decide what they may do.
"""

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from staff.roles import CITY_OFFICE, COUNTY_OFFICE
from staff.scoping import ALL_LEVELS, ALL_UNITS, level_scope, unit_scope


def _group_names(user):
    cached = getattr(user, "_portal_group_names", None)
    if cached is None:
        cached = user._portal_group_names = set(user.groups.values_list("name", flat=True))
    return cached


def office_level(user):
    """ALL_LEVELS for the city office and superusers, a county for its office's staff, "" for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return ""
    if user.is_superuser:
        return ALL_LEVELS
    groups = _group_names(user)
    if CITY_OFFICE in groups or COUNTY_OFFICE in groups:
        return level_scope(user)
    return ""


def own_leader(user):
    """The Leader whose login `user` is, or None."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_portal_leader"):
        from .models import Leader

        user._portal_leader = Leader.objects.filter(user=user).first()
    return user._portal_leader


def office_bodies(user):
    """(body, level) of each leader's office the user works in."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_portal_office_bodies"):
        user._portal_office_bodies = list(user.leader_offices.values_list("body", "level"))
    return user._portal_office_bodies


def county_reading(user, record):
    """The county whose experts alone `user` may read among a contact record's participants: a
    county's office reading another level's record (a city-wide symposium, say) learns the names
    and problems of its own county's experts only. None: they read every participant."""
    level = office_level(user)
    if not level or level is ALL_LEVELS or (record is not None and record.level == level):
        return None
    return level


def leaders_q(user, leader_path):
    """Rows whose leader (`leader_path`; "" for a Leader row itself) is the user's own or one of their
    offices' leaders; None if neither."""
    prefix = f"{leader_path}__" if leader_path else ""
    conditions = Q()
    if leader := own_leader(user):
        conditions |= Q(**{f"{prefix}pk": leader.pk})
    for body, level in office_bodies(user):
        conditions |= Q(**{f"{prefix}body": body, f"{prefix}level": level})
    return conditions or None


class LiaisonPolicy(ModelPermissionPolicy):
    """Model permissions from the user's groups; rows as the module docstring says."""

    def __init__(self, model, *, level_paths, leader_path=None, unit_path=None, leader_while=None):
        super().__init__(model)
        self.level_paths = level_paths
        self.leader_path = leader_path
        self.unit_path = unit_path
        self.leader_while = leader_while  # a Q the leader's tie must also meet (in the same join)

    def rows_q(self, user):
        """A Q of the rows `user` may see, Q() for all of them, or None for none."""
        level = office_level(user)
        if level is ALL_LEVELS:
            return Q()
        conditions = Q()
        if level:
            for path in self.level_paths:
                conditions |= Q(**{path: level})
        if self.leader_path is not None and (mine := leaders_q(user, self.leader_path)):
            conditions |= (mine & self.leader_while) if self.leader_while else mine
        units = unit_scope(user)
        if self.unit_path and units is not ALL_UNITS:
            conditions |= Q(**{f"{self.unit_path}__in": units})
        return conditions or None

    def visible(self, queryset, user):
        """`queryset` narrowed to the rows the user may see (as subqueries: the paths may cross many-to-many)."""
        conditions = self.rows_q(user)
        if conditions is None:
            return queryset.none()
        if not conditions:
            return queryset
        # The union of one subquery per alternative, not one subquery over a join that ORs them:
        # each can then use its own index (a county's contact records by their level, and by
        # their experts' level), and the database reads the union's rows by primary key.
        alternatives = conditions.children if conditions.connector == Q.OR and not conditions.negated else [conditions]
        first, *others = [
            self.model.objects.filter(Q(alternative)).order_by().values("pk") for alternative in alternatives
        ]
        return queryset.filter(pk__in=first.union(*others) if others else first)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.visible(super().instances_user_has_any_permission_for(user, actions), user)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return self.visible(self.model.objects.filter(pk=instance.pk), user).exists()


def may_read_details(user, report):
    """Whether `user` may read the details of an event report they can see: health and family
    reports (SENSITIVE_KINDS) only for the city office, the expert's county office, the expert's
    paired leaders and the liaison who filed it."""
    if not report.is_sensitive:
        return True
    level = office_level(user)
    if level is ALL_LEVELS or (level and level == report.level) or report.filed_by_id == user.pk:
        return True
    leader = own_leader(user)
    return leader is not None and leader.pairings.active().filter(expert_id=report.expert_id).exists()
