"""The daily reminders (待办提醒): what is due for each role on a day, the mail once a day with its
ledger, the dry run, the scheduled job, the dashboard's 今日待办 panel, and a constant number of
queries as the due items grow."""

import datetime
import io
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from experts.models import UnitType
from intake import workflow
from intake.models import Department, IntakeItem
from liaison.models import EventKind, MustVisit, VisitReason
from reminders import sending
from reminders.due import ROWS, due_groups, receives_reminders
from reminders.models import ReminderDelivery, ReminderRun
from staff.levels import Level
from staff.roles import DEPARTMENT_USERS, EDITORS

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .intake_builders import new_item, run_mail_worker
from .liaison_builders import contact, make_follow_up, make_leader, make_leader_user, make_liaison, make_login, pair
from .liaison_builders import report as file_report

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 9, 28)  # 中秋节 (9-25) and 国庆节 (10-1) are due, their windows open
PAST = D(2026, 9, 20)


def with_email(user, email):
    user.email = email
    user.save(update_fields=["email"])
    return user


def make_world():
    """A leader, the city office, 兴宾区's office, a department user and an editor, each with something
    (the editor nothing) due on TODAY; 合山市's office has nothing."""
    root = make_superuser()
    city_unit = make_unit("来宾市人民医院", Level.CITY, UnitType.HOSPITAL)
    county_unit = make_unit("兴宾区人民医院", Level.XINGBIN, UnitType.HOSPITAL)
    expert = make_expert(root, city_unit, name="韦某明", mobile="13900001111", email="wei@example.cn")
    county_expert = make_expert(root, county_unit, name="蓝某华")
    leader = make_leader(name="覃某林")
    leader_user = with_email(make_leader_user("leader", leader), "leader@example.cn")
    pair(leader, expert, started_on=D(2026, 9, 1))

    city = with_email(make_staff("city", Level.CITY), "city@example.cn")
    county = with_email(make_staff("county", Level.XINGBIN), "county@example.cn")
    quiet_county = with_email(make_staff("heshan", Level.HESHAN), "heshan@example.cn")
    editor = with_email(make_login("editor", EDITORS), "editor@example.cn")

    # Five reports: one waits for the city (a city expert's), one for 兴宾区 (a county expert's).
    city_liaison = make_liaison("city-liaison", city_unit)
    city_report = file_report(city_liaison, expert, kind=EventKind.ACHIEVEMENT)
    county_report = file_report(make_liaison("county-liaison", county_unit), county_expert, kind=EventKind.HEALTH)
    # A must-visit of the leader's, overdue since PAST.
    MustVisit.objects.create(
        leader=leader, expert=expert, reason=VisitReason.ACHIEVEMENT, report=city_report, due_on=PAST
    )
    # Follow-ups past their deadline: one of the leader's contact (city), one of 兴宾区's.
    make_follow_up(contact([leader], [expert], date=D(2026, 9, 2)), expert, due_on=PAST)
    make_follow_up(contact([], [county_expert], date=D(2026, 9, 2), level=Level.XINGBIN), county_expert, due_on=PAST)
    # 兴宾区's intake: one item past acceptance, one assigned to a department and past completion.
    late, _ = new_item(level=Level.XINGBIN, subject="科研用房协调")
    IntakeItem.objects.filter(pk=late.pk).update(acceptance_due=PAST)
    department = Department.objects.create(name="兴宾区科技局", level=Level.XINGBIN)
    department_user = with_email(make_login("department", DEPARTMENT_USERS), "department@example.cn")
    department.members.add(department_user)
    assigned, _ = new_item(level=Level.XINGBIN, subject="人才公寓申请")
    workflow.accept(assigned, root)
    workflow.assign(assigned, root, department=department, due_date=D(2026, 9, 30))
    IntakeItem.objects.filter(pk=assigned.pk).update(completion_due=PAST)
    return {
        "root": root,
        "leader": leader,
        "leader_user": leader_user,
        "city": city,
        "county": county,
        "quiet_county": quiet_county,
        "editor": editor,
        "department_user": department_user,
        "expert": expert,
        "county_expert": county_expert,
        "late": late,
        "assigned": assigned,
        "reports": (city_report, county_report),
    }


@pytest.fixture
def world():
    return make_world()


def fresh(user):
    return User.objects.get(pk=user.pk)  # no cached scope from an earlier call


def by_key(groups):
    return {group.key: group for group in groups}


# What is due, per role ------------------------------------------------------------------------


def test_a_leader_is_reminded_of_their_visits_and_follow_ups(world):
    groups = by_key(due_groups(fresh(world["leader_user"]), TODAY))
    assert list(groups) == ["visits", "follow_ups"]
    visits = groups["visits"]
    assert visits.count == 3
    texts = [item.text for item in visits.items]
    # Overdue first, then by date; each names the expert, the occasion and the window.
    assert texts[0] == "获得重大成就必访：韦某明（应于 2026-09-20 前走访），已逾期"
    assert visits.items[0].overdue
    assert texts[1] == "中秋节：韦某明（走访时间 2026-09-10 至 2026-10-10）"
    assert texts[2] == "国庆节：韦某明（走访时间 2026-09-16 至 2026-10-16）"
    assert all(item.url == "/admin/liaison/mine/" for item in visits.items)
    follow_ups = groups["follow_ups"]
    assert follow_ups.count == 1
    assert follow_ups.items[0].text == "韦某明反映的问题（责任单位：市科技局）办结时限 2026-09-20，已逾期"
    assert follow_ups.url == "/admin/liaison/followups/?overdue=true"


def test_visits_further_than_seven_days_or_done_are_not_due(world):
    # On 9-20 国庆节 (10-1) is 11 days away; the must-visit is due that day, not overdue.
    groups = by_key(due_groups(fresh(world["leader_user"]), D(2026, 9, 20)))
    texts = [item.text for item in groups["visits"].items]
    assert not any("国庆节" in text for text in texts)
    assert "获得重大成就必访：韦某明（应于 2026-09-20 前走访）" in texts
    assert "中秋节：韦某明（走访时间 2026-09-10 至 2026-10-10）" in texts
    # A visit made in the window is no longer due.
    visit = contact([world["leader"]], [world["expert"]], kind="holiday_visit", date=D(2026, 9, 24))
    MustVisit.objects.update(done_by=visit)
    groups = by_key(due_groups(fresh(world["leader_user"]), TODAY))
    assert "visits" not in groups


def test_the_city_office_is_reminded_of_every_levels_late_work(world):
    groups = by_key(due_groups(fresh(world["city"]), TODAY))
    assert list(groups) == ["follow_ups", "intake_items", "reports"]
    assert groups["follow_ups"].count == 2
    assert groups["intake_items"].count == 2  # the one the department holds too: the office supervises it
    late = world["late"]
    assert (
        groups["intake_items"].items[0].text == f"{late.tracking_number}：科研用房协调（受理期限 2026-09-20，已超期）"
    )
    assert groups["intake_items"].items[0].url == f"/admin/intake/items/inspect/{late.pk}/"
    # Only the report waiting at the city's stage: 兴宾区's waits for its county first.
    assert groups["reports"].count == 1
    assert groups["reports"].items[0].url == f"/admin/liaison/reports/inspect/{world['reports'][0].pk}/"
    assert groups["reports"].items[0].text.startswith("韦某明：获得重大成就")


def test_a_county_office_sees_its_county_only(world):
    groups = by_key(due_groups(fresh(world["county"]), TODAY))
    assert list(groups) == ["follow_ups", "intake_items", "reports"]
    assert [group.count for group in groups.values()] == [1, 2, 1]
    assert groups["follow_ups"].items[0].text.startswith("蓝某华")
    assert groups["reports"].items[0].text.startswith("蓝某华：本人重大健康状况")
    assert due_groups(fresh(world["quiet_county"]), TODAY) == []


def test_a_department_user_is_reminded_of_their_departments_items(world):
    groups = by_key(due_groups(fresh(world["department_user"]), TODAY))
    assert list(groups) == ["department_items"]
    assigned = world["assigned"]
    assert groups["department_items"].items[0].text == (
        f"{assigned.tracking_number}：人才公寓申请（办结期限 2026-09-20，已超期）"
    )
    assert groups["department_items"].items[0].url == f"/admin/intake/department/{assigned.pk}/"


def test_nobody_else_gets_reminders(world):
    editor = fresh(world["editor"])
    assert not receives_reminders(editor)
    assert due_groups(editor, TODAY) == []
    world["city"].is_active = False
    world["city"].save()
    assert due_groups(fresh(world["city"]), TODAY) == []


def test_the_yearly_review_is_reminded_of_once_its_season_opens(world):
    year = timezone.localdate().year  # the review counts the experts in the database now
    assert "review" not in by_key(due_groups(fresh(world["city"]), D(year, 11, 30)))
    review = by_key(due_groups(fresh(world["city"]), D(year, 12, 1)))["review"]
    assert review.items[0].text == f"{year}年度调整已开始：尚有 2 名在库专家未确认"
    assert review.url == f"/admin/experts/review/?year={year}&shown=no"
    county_review = by_key(due_groups(fresh(world["county"]), D(year, 12, 1)))["review"]
    assert county_review.items[0].text == f"{year}年度调整已开始：尚有 1 名在库专家未确认"
    assert "review" not in by_key(due_groups(fresh(world["leader_user"]), D(year, 12, 1)))


def test_a_long_group_lists_its_first_rows_and_counts_all(world):
    for number in range(ROWS + 5):
        item, _ = new_item(level=Level.XINGBIN, subject=f"事项{number}")
        IntakeItem.objects.filter(pk=item.pk).update(acceptance_due=PAST)
    group = by_key(due_groups(fresh(world["county"]), TODAY))["intake_items"]
    assert group.count == ROWS + 7
    assert len(group.items) == ROWS
    assert group.more == 7


def grow(world, extra):
    """`extra` more of every due thing: must-visits, follow-ups, intake items, reports."""
    leader, expert, county_expert = world["leader"], world["expert"], world["county_expert"]
    liaison = User.objects.get(username="city-liaison")
    for _ in range(extra):
        filed = file_report(liaison, expert)
        MustVisit.objects.create(leader=leader, expert=expert, reason=VisitReason.HARDSHIP, report=filed, due_on=PAST)
        make_follow_up(contact([leader], [expert], date=D(2026, 9, 3)), expert, due_on=PAST)
        make_follow_up(
            contact([], [county_expert], date=D(2026, 9, 3), level=Level.XINGBIN), county_expert, due_on=PAST
        )
        item, _ = new_item(level=Level.XINGBIN)
        IntakeItem.objects.filter(pk=item.pk).update(acceptance_due=PAST)


def queries_for(user):
    with CaptureQueriesContext(connection) as queries:
        due_groups(fresh(user), TODAY)
    return len(queries)


@pytest.mark.parametrize("role", ["leader_user", "city", "county", "department_user"])
def test_the_number_of_queries_stays_the_same_as_due_items_grow(world, role):
    before = queries_for(world[role])
    grow(world, 3)
    small = queries_for(world[role])
    grow(world, 20)
    assert queries_for(world[role]) == small == before


# The mail, once a day ---------------------------------------------------------------------------


def reminder_mails():
    return [message for message in mail.outbox if message.subject.startswith("【待办提醒】")]


def mails_to():
    return sorted(address for message in reminder_mails() for address in message.to)


EVERYONE_DUE = ["city@example.cn", "county@example.cn", "department@example.cn", "leader@example.cn"]


def test_one_mail_per_person_per_day_and_none_when_nothing_is_due(world):
    reminders = sending.send_reminders(TODAY)
    assert {reminder.outcome for reminder in reminders} == {sending.QUEUED}
    assert reminder_mails() == []  # queued, sent by the worker
    run_mail_worker()
    assert mails_to() == EVERYONE_DUE  # not the editor, not 合山市's office: nothing due
    leader_mail = next(message for message in reminder_mails() if message.to == ["leader@example.cn"])
    assert leader_mail.subject == "【待办提醒】2026年9月28日您有 4 项待办事项"
    assert "1. 必访事项（3 项）" in leader_mail.body
    assert "中秋节：韦某明（走访时间 2026-09-10 至 2026-10-10）" in leader_mail.body
    assert "http://testserver/admin/liaison/mine/" in leader_mail.body
    assert "2. 逾期未办结的问题（1 项）" in leader_mail.body
    assert "13900001111" not in leader_mail.body and "wei@example.cn" not in leader_mail.body
    assert "科研用房紧张" not in leader_mail.body  # the problem itself stays in the workbench
    deliveries = ReminderDelivery.objects.filter(date=TODAY)
    assert deliveries.count() == 4
    leader_row = deliveries.get(user=world["leader_user"])
    assert leader_row.item_count == 4
    assert leader_row.summary == {"必访事项": 3, "逾期未办结的问题": 1}
    assert leader_row.sent_at is not None

    # A second run the same day sends nothing again.
    assert sending.send_reminders(TODAY) == []
    run_mail_worker()
    assert len(reminder_mails()) == 4
    assert ReminderDelivery.objects.count() == 4

    # The next day, again.
    sending.send_reminders(TODAY + datetime.timedelta(days=1))
    run_mail_worker()
    assert len(reminder_mails()) == 8


def reminder_tasks():
    return DBTaskResult.objects.filter(task_path="reminders.sending.send_reminder")


def test_a_concurrent_run_that_lost_the_race_queues_nothing(world):
    reminder = sending.send_reminders(TODAY, dry_run=True)[0]
    ReminderDelivery.objects.create(user=reminder.user, date=TODAY, item_count=1)  # the other run's row
    assert sending.queue(reminder, TODAY) == sending.ALREADY_SENT
    assert not reminder_tasks().exists()


def test_users_without_an_address_or_inactive_get_no_mail(world):
    world["leader_user"].email = ""
    world["leader_user"].save()
    world["city"].is_active = False
    world["city"].save()
    sending.send_reminders(TODAY)
    run_mail_worker()
    assert mails_to() == ["county@example.cn", "department@example.cn"]


def test_the_dry_run_prints_what_it_would_send_and_writes_nothing(world):
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", "--date", "2026-09-28", stdout=out)
    text = out.getvalue()
    assert "leader <leader@example.cn>：4 项，将发送（试运行，未发送）" in text
    assert "主题：【待办提醒】2026年9月28日您有 4 项待办事项" in text
    assert "国庆节：韦某明" in text
    assert "editor" not in text
    assert "共 4 人有待办事项。" in text
    assert ReminderDelivery.objects.count() == 0
    assert not reminder_tasks().exists()


def test_the_command_sends_and_says_so(world):
    out = io.StringIO()
    call_command("send_reminders", "--date", "2026-09-28", stdout=out)
    assert "city <city@example.cn>：5 项，已排队发送" in out.getvalue()
    assert reminder_tasks().count() == 4
    run_mail_worker()
    assert len(reminder_mails()) == 4
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "28/09/2026")


def test_the_scheduled_job_sends_once_a_day_from_the_configured_hour(world, settings):
    settings.REMINDERS_SEND_HOUR = 7
    shanghai = timezone.get_current_timezone()
    with mock.patch("reminders.sending.send_reminders") as send:
        sending.scheduled_reminders(datetime.datetime(2026, 9, 28, 6, 59, tzinfo=shanghai))
        assert not send.called and not ReminderRun.objects.exists()
        sending.scheduled_reminders(datetime.datetime(2026, 9, 28, 7, 0, tzinfo=shanghai))
        sending.scheduled_reminders(datetime.datetime(2026, 9, 28, 7, 1, tzinfo=shanghai))
        assert send.call_args_list == [mock.call(D(2026, 9, 28))]
        # A run that fails is tried again the next minute.
        send.side_effect = RuntimeError("mail server down")
        with pytest.raises(RuntimeError):
            sending.scheduled_reminders(datetime.datetime(2026, 9, 29, 7, 0, tzinfo=shanghai))
        assert not ReminderRun.objects.filter(date=D(2026, 9, 29)).exists()


def test_the_scheduled_job_is_registered():
    from wagtail import hooks

    from base.scheduled_jobs import HOOK

    assert sending.scheduled_reminders in hooks.get_hooks(HOOK)


# The dashboard's 今日待办 ------------------------------------------------------------------------


def panel(client, user):
    client.force_login(user)
    soup = BeautifulSoup(client.get("/admin/").content, "html.parser")
    return soup.find(id="reminders-due-today-section")


def test_the_dashboard_lists_the_due_items_with_links(client, world):
    found = panel(client, world["county"])
    assert found is not None
    links = {link.get_text(" ", strip=True): link["href"] for link in found.find_all("a")}
    late = world["late"]
    assert links[f"{late.tracking_number}：科研用房协调（受理期限 2026-09-20，已超期）"] == (
        f"/admin/intake/items/inspect/{late.pk}/"
    )
    assert links["超期的来信来访事项 2 项"] == "/admin/intake/items/?overdue=true"
    assert "市本级" not in found.get_text() and "韦某明" not in found.get_text()


def test_the_dashboard_says_when_nothing_is_due(client, world):
    found = panel(client, world["quiet_county"])
    assert found.get_text(" ", strip=True).endswith("今天没有待办事项。")
    assert panel(client, world["editor"]) is None  # not for those reminders are not for
