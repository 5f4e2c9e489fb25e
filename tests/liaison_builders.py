"""Small builders for the liaison tests: leaders, their users and offices, pairings, liaisons."""

import datetime
import re

from django.contrib.auth.models import Group, User
from django.utils import timezone

from liaison import services
from liaison.models import (
    Body,
    ContactKind,
    ContactMethod,
    ContactRecord,
    EventKind,
    EventReport,
    Leader,
    LeaderOffice,
    Pairing,
)
from staff.levels import Level
from staff.models import StaffProfile
from staff.roles import LEADER_OFFICES, LEADERS, UNIT_LIAISONS


def make_leader(name="韦领导", level=Level.CITY, body=Body.PARTY, post="市委常委", user=None, active=True):
    return Leader.objects.create(name=name, post=post, body=body, level=level, user=user, active=active)


def make_leader_user(username, leader):
    """A login in the 领导 group, linked to `leader`."""
    user = User.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get(name=LEADERS))
    leader.user = user
    leader.save(update_fields=["user"])
    return User.objects.get(pk=user.pk)


def make_office_user(username, body=Body.PARTY, level=Level.CITY):
    """A member of the 领导办公室 group, working in the office of `body` at `level`."""
    user = User.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get(name=LEADER_OFFICES))
    office, _ = LeaderOffice.objects.get_or_create(body=body, level=level)
    office.members.add(user)
    return User.objects.get(pk=user.pk)


def make_liaison(username, *units):
    """A unit liaison (单位联络员) of `units`, with the level of the first."""
    user = User.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get(name=UNIT_LIAISONS))
    StaffProfile.objects.create(user=user, level=units[0].level)
    for unit in units:
        unit.liaisons.add(user)
    return User.objects.get(pk=user.pk)


def pair(leader, expert, started_on=None, ended_on=None):
    return Pairing.objects.create(
        leader=leader,
        expert=expert,
        started_on=started_on or datetime.date(2026, 1, 5),
        ended_on=ended_on,
    )


def contact(leaders, experts, kind=ContactKind.SYMPOSIUM, date=None, level=Level.CITY, method=ContactMethod.IN_PERSON):
    record = ContactRecord.objects.create(
        date=date or timezone.localdate(), kind=kind, method=method, summary="座谈交流情况。", level=level
    )
    record.leaders.set(leaders)
    record.experts.set(experts)
    return record


def report(liaison, expert, kind=EventKind.ACHIEVEMENT, details="获评自治区优秀专家。", event_date=None):
    """A five-report filed by `liaison` the way the form files one (services.file_report)."""
    filed = EventReport(expert=expert, kind=kind, event_date=event_date or datetime.date(2026, 5, 20), details=details)
    return services.file_report(filed, user=liaison)


def make_login(username, group):
    """An active login in `group`, linked to nothing."""
    user = User.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)


def admin_field_error(response, field):
    """The error Wagtail shows next to `field` in an admin form, or None."""
    html = response.content.decode()
    start = html.find(f'data-contentpath="{field}"')
    if start < 0:
        return None
    end = html.find("data-contentpath=", start + 1)
    match = re.search(r'<p class="error-message">\s*(.*?)\s*</p>', html[start : end if end > 0 else None], re.S)
    return match.group(1) if match else None
