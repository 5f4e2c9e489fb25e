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
    FollowUp,
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


# Contact records and follow-ups ---------------------------------------------------------------


def contact_form_data(leaders, experts, rows=(), **overrides):
    """What the contact record form posts: a symposium today, with `rows` as follow-up rows."""
    data = {
        "date": f"{timezone.localdate():%Y-%m-%d}",
        "kind": ContactKind.SYMPOSIUM,
        "method": ContactMethod.IN_PERSON,
        "leaders": [leader.pk for leader in leaders],
        "experts": [expert.pk for expert in experts],
        "staff_present": "市委人才办工作人员",
        "summary": "座谈交流，听取专家意见建议。",
        "follow_ups-TOTAL_FORMS": str(len(rows)),
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "50",
    }
    for index, row in enumerate(rows):
        data.update({f"follow_ups-{index}-{name}": value for name, value in row.items()})
    data.update(overrides)
    return data


def follow_up_row(expert, due_on=None, **fields):
    return {
        "expert": expert.pk,
        "problem": "子女入学需要协调。",
        "owner": "市教育局",
        "due_on": f"{due_on or timezone.localdate() + datetime.timedelta(days=30):%Y-%m-%d}",
        **fields,
    }


def make_follow_up(record, expert, due_on, **fields):
    return FollowUp.objects.create(
        record=record,
        expert=expert,
        problem=fields.pop("problem", "科研用房紧张。"),
        owner="市科技局",
        due_on=due_on,
        **fields,
    )


# Due work and coverage ---------------------------------------------------------------------


def accepted_report(expert, kind, filed_by, *offices, event_date=None):
    """A report about `expert` filed by `filed_by` and accepted by each of `offices` in turn."""
    filed = report(filed_by, expert, kind=kind, details="演示情况。", event_date=event_date or timezone.localdate())
    for office in offices:
        services.accept_report(filed, user=office)
    return filed
