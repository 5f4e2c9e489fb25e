"""Small builders for the liaison tests: leaders, their users and offices, pairings, liaisons."""

import datetime

from django.contrib.auth.models import Group, User
from django.utils import timezone

from liaison import services
from liaison.models import (
    Body,
    ContactKind,
    ContactMethod,
    ContactRecord,
    EventReport,
    FollowUp,
    FollowUpStatus,
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


# Due work and coverage ---------------------------------------------------------------------


def follow_up(record, expert, due_on, status=FollowUpStatus.OPEN, problem="子女就近入学有困难"):
    return FollowUp.objects.create(
        record=record, expert=expert, problem=problem, owner="市教育局", due_on=due_on, status=status
    )


def accepted_report(expert, kind, filed_by, *offices, event_date=None):
    """A report about `expert` filed by `filed_by` and accepted by each of `offices` in turn."""
    report = EventReport(expert=expert, kind=kind, event_date=event_date or timezone.localdate(), details="演示情况。")
    services.file_report(report, user=filed_by)
    for office in offices:
        services.accept_report(report, user=office)
    return report
