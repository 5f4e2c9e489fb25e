"""Builders for the tests of the programme's service chapters (care, guidance, consulting, publicity,
innovation): records of any kind, made as the admin's forms would leave them."""

from django.db import models
from django.utils import timezone

from programme.models import AttendanceStatus


def make_activity(model, experts, *, level, date=None, status=AttendanceStatus.ATTENDED, **fields):
    """An activity of `model` recorded by the office of `level`, with `experts` at `status`."""
    activity = model.objects.create(level=level, date=date or timezone.localdate(), **fields)
    attendance = model.attendances.rel.related_model
    attendance.objects.bulk_create(attendance(activity=activity, expert=expert, status=status) for expert in experts)
    return activity


def make_expert_record(model, expert, *, level=None, date=None, **fields):
    """A record of `model` about `expert`, recorded by the office of `level` (the expert's by default)."""
    return model.objects.create(expert=expert, level=level or expert.level, date=date or timezone.localdate(), **fields)


def sample_values(kind, *, mark="甲", day=None):
    """The required fields of `kind`'s model (but the expert) filled from their types: the first
    choice, `day` (today) for a date, 0 for a number, and text that names the field and ends in
    `mark` (the role matrix's walk looks for a mark on pages). The benchmark fills its rows so too."""
    day = day or timezone.localdate()
    values = {}
    for field in kind.model._meta.concrete_fields:
        if not field.editable or field.primary_key or field.blank or field.has_default() or field.name == "expert":
            continue
        if field.choices:
            values[field.name] = field.choices[0][0]
        elif isinstance(field, models.DateField):
            values[field.name] = day
        elif isinstance(field, (models.DecimalField, models.IntegerField)):
            values[field.name] = 0
        elif isinstance(field, (models.CharField, models.TextField)):
            values[field.name] = f"{field.verbose_name}{mark}"
        else:
            raise ValueError(f"sample_values cannot fill {kind.model.__name__}.{field.name}: give it a default")
    return values


def sample_record(kind, expert, *, level, mark="甲"):
    """A record of `kind` about `expert`, its required fields filled by `sample_values`."""
    values = sample_values(kind, mark=mark)
    if kind.is_activity:
        return make_activity(kind.model, [expert], level=level, **values)
    return make_expert_record(kind.model, expert, level=level, **values)
