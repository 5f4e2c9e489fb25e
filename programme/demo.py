"""Helpers for the chapters' demo builders (consulting/demo.py, publicity/demo.py ...): who records,
which experts, on which day. Not a builder itself: it is not in load_demo_content's list."""

import datetime

from django.contrib.auth import get_user_model
from wagtail.log_actions import log

from experts.demo import STAFF_USERS
from experts.models import Expert, ExpertStatus

from .models import AttendanceStatus


def office_users():
    """{level: that level's talent office demo login} (experts/demo.py)."""
    users = get_user_model().objects.in_bulk([username for _, _, username, _ in STAFF_USERS], field_name="username")
    return {level: users[username] for level, _, username, _ in STAFF_USERS}


def experts_by_level():
    experts = {}
    for expert in Expert.objects.filter(status=ExpertStatus.ACTIVE).order_by("pk"):
        experts.setdefault(expert.level, []).append(expert)
    return experts


def pick(experts, level, positions):
    """The experts at `positions` among `level`'s active experts (wrapping round), without repeats."""
    of_level = experts[level]
    return list(dict.fromkeys(of_level[position % len(of_level)] for position in positions))


def dated(today, when):
    """`when` days before today, not before this year's first day (so this year has data whatever
    the day); or, given as (month, day), that day of last year."""
    if isinstance(when, tuple):
        return datetime.date(today.year - 1, *when)
    return max(today - datetime.timedelta(days=when), datetime.date(today.year, 1, 1))


def record_activity(model, experts, level, user, **fields):
    """An activity recorded by the office of `level` (its login `user`), `experts` attending, logged
    as the admin logs a creation."""
    activity = model.objects.create(level=level, recorded_by=user, **fields)
    attendance = model.attendances.rel.related_model
    attendance.objects.bulk_create(
        attendance(activity=activity, expert=expert, status=AttendanceStatus.ATTENDED) for expert in experts
    )
    log(instance=activity, action="wagtail.create", user=user)
    return activity
