"""The registry of the programme's record kinds: each chapter app registers its models here (in its
wagtail_hooks.py), and the shared screens read the registry: the lists' rules, the yearly coverage,
an expert's timeline, the role matrix's rows and the benchmark."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from wagtail.permissions import register_permission_policy

from liaison.scoping import LiaisonPolicy

from .models import Activity, AttendanceStatus

KINDS = {}  # key (the viewset's name, e.g. "care_checkups") -> ServiceKind, in registration order


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
        """The same ids as a set (one query)."""
        return set(self.served_rows(year).values_list("expert_id", flat=True).distinct())

    @property
    def attendance_model(self):
        return self.model.attendances.rel.related_model


def register(kind):
    """Registers `kind` and its model's permission policy (rows as liaison.scoping's office rule)."""
    KINDS[kind.key] = kind
    register_permission_policy(kind.model, LiaisonPolicy(kind.model, level_paths=kind.level_paths))
    return kind


def kinds_of(chapter):
    return [kind for kind in KINDS.values() if kind.chapter == chapter]


def kind_of_model(model):
    return next(kind for kind in KINDS.values() if kind.model is model)
