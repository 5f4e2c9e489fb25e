"""The registry of the programme's record kinds: each chapter app registers its models here (in its
wagtail_hooks.py), and the shared screens read the registry: the lists' rules, the yearly coverage,
an expert's timeline, the role matrix's rows and the benchmark."""

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from wagtail.permissions import register_permission_policy

from base import generations
from liaison.scoping import LiaisonPolicy, office_level
from staff.scoping import ALL_LEVELS

from .models import Activity, AttendanceStatus

KINDS = {}  # key (the viewset's name, e.g. "care_checkups") -> ServiceKind, in registration order

# Who each kind served in a year is read from all its rows of the year (~50 ms a kind at 100,000
# records on SQLite) and kept in the shared cache until a row of any kind changes (the coverage
# reads it per kind, bench/programme.py measures it), as liaison.coverage keeps the six activities.
SERVED_GENERATION = "programme:served-generation"
SERVED_TIMEOUT = 24 * 3600


def records_changed(**kwargs):
    """Signal receiver: the served experts are read again."""
    generations.renew_now_and_at_commit(SERVED_GENERATION)


@dataclass(frozen=True)
class ServiceKind:
    """One kind of record. `coverage` names what the yearly coverage counts ("参加集中体检"), empty
    when it counts nothing; an activity's experts count when their attendance is one of `counted`.
    A `sensitive` kind is seen only by the city office and the office of the expert's county."""

    key: str
    model: type
    label: str
    chapter: str
    coverage: str = ""
    counted: tuple = (AttendanceStatus.ATTENDED,)
    sensitive: bool = False
    extra_level_paths: tuple = field(default=())
    still_open: Q | None = None  # rows still being handled: the expert is not anonymised meanwhile

    @property
    def is_activity(self):
        return issubclass(self.model, Activity)

    @property
    def expert_path(self):
        """The lookup from a row to its experts."""
        return "attendances__expert" if self.is_activity else "expert"

    @property
    def level_paths(self):
        if self.sensitive:
            return (f"{self.expert_path}__level",)
        return ("level", f"{self.expert_path}__level", *self.extra_level_paths)

    def served_rows(self, year):
        """The ids of the experts this kind served in `year`, as a subquery (`values("expert_id")`)."""
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if self.is_activity:
            rows = self.attendance_model.objects.filter(activity__date__range=(first, last), status__in=self.counted)
        else:
            rows = self.model.objects.filter(date__range=(first, last))
        return rows.values("expert_id")

    def served(self, year):
        """The same ids as a set: one query (unordered, or the attendances' order would join the
        DISTINCT) when the shared cache does not have it."""
        key = f"programme:served:{self.key}:{year}:{generations.current(SERVED_GENERATION)}"
        found = cache.get(key)
        if found is None:
            found = set(self.served_rows(year).order_by().values_list("expert_id", flat=True).distinct())
            cache.set(key, found, SERVED_TIMEOUT)
        return found

    @property
    def attendance_model(self):
        return self.model.attendances.rel.related_model


class ProgrammePolicy(LiaisonPolicy):
    """The office rule of liaison.scoping on the level paths alone (no leader or unit has these rows),
    asked of each row: a path that crosses to several rows (an activity's experts) is an EXISTS on
    the row, not one subquery over the whole table, so that an expert's timeline (a few rows) and a
    list's page (it stops at its twentieth row) read only what they show. Measured in bench/programme.py."""

    def rows_q(self, user):
        level = office_level(user)
        if level is ALL_LEVELS:
            return Q()
        if not level:
            return None
        conditions = Q(pk__in=[])
        for path in self.level_paths:
            conditions |= self._path_q(path, level)
        return conditions

    def _path_q(self, path, level):
        if not self._crosses_many(path):
            return Q(**{path: level})
        first, _, rest = path.partition("__")
        field = self.model._meta.get_field(first)
        if field.one_to_many:  # an activity's attendances: probed through their foreign key's index
            rows = field.related_model.objects.filter(**{field.field.name: OuterRef("pk"), rest: level})
        else:
            rows = self.model.objects.filter(pk=OuterRef("pk"), **{path: level})
        return Q(Exists(rows))

    def _crosses_many(self, path):
        model = self.model
        for name in path.split("__")[:-1]:
            field = model._meta.get_field(name)
            if field.one_to_many or field.many_to_many:
                return True
            model = field.related_model
        return False

    def visible(self, queryset, user):
        conditions = self.rows_q(user)
        if conditions is None:
            return queryset.none()
        return queryset.filter(conditions) if conditions else queryset


def register(kind):
    """Registers `kind` and its model's permission policy (rows as liaison.scoping's office rule)."""
    KINDS[kind.key] = kind
    register_permission_policy(kind.model, ProgrammePolicy(kind.model, level_paths=kind.level_paths))
    for model in (kind.model, kind.attendance_model) if kind.is_activity else (kind.model,):
        post_save.connect(records_changed, sender=model, dispatch_uid=f"programme-served-{model._meta.label}-saved")
        post_delete.connect(records_changed, sender=model, dispatch_uid=f"programme-served-{model._meta.label}-deleted")
    return kind


def kinds_of(chapter):
    return [kind for kind in KINDS.values() if kind.chapter == chapter]


def kind_of_model(model):
    return next(kind for kind in KINDS.values() if kind.model is model)
