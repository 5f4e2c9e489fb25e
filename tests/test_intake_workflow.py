"""The handling workflow: every step with its time and user, deadlines on China's working days."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from intake import workflow
from intake.models import IntakeItem, IntakeLogEntry, Kind, Satisfaction, Status
from intake.workdays import add_working_days, is_working_day, working_days_between
from staff.levels import Level
from staff.roles import CITY_OFFICE, COUNTY_OFFICE
from tests.intake_builders import at, make_staff, new_item

pytestmark = pytest.mark.django_db


def test_the_official_calendar_knows_holidays_and_make_up_workdays():
    assert not is_working_day(datetime.date(2026, 10, 1))  # National Day
    assert not is_working_day(datetime.date(2026, 10, 7))  # a substituted day off
    assert is_working_day(datetime.date(2026, 10, 10))  # a Saturday made a working day (调休)
    assert is_working_day(datetime.date(2026, 2, 14))
    assert not is_working_day(datetime.date(2026, 11, 28))  # an ordinary Saturday
    assert add_working_days(datetime.date(2026, 11, 27), 2) == datetime.date(2026, 12, 1)  # over a weekend
    assert working_days_between(datetime.date(2026, 9, 29), datetime.date(2026, 10, 9)) == 3


def test_the_whole_workflow_across_national_day():
    city = make_staff("city", Level.CITY, CITY_OFFICE, first_name="李", last_name="办")
    county = make_staff("county", Level.XIANGZHOU, COUNTY_OFFICE)

    with at(2026, 9, 29):  # Tuesday before the National Day holiday
        item, _ = new_item(kind=Kind.APPOINTMENT, preferred_leader_text="市委分管领导")
    # Two working days: 9-30, then the holiday (10-1 to 10-7), then 10-8.
    assert item.acceptance_due == datetime.date(2026, 10, 8)
    with at(2026, 10, 9):
        assert IntakeItem.objects.overdue().filter(pk=item.pk).exists()
        workflow.accept(item, city)
    item.refresh_from_db()
    # Fifteen working days from 10-9, counting Saturday 10-10, a make-up workday.
    assert item.completion_due == datetime.date(2026, 10, 29)
    assert not IntakeItem.objects.overdue(datetime.date(2026, 10, 9)).filter(pk=item.pk).exists()

    with at(2026, 10, 12):
        workflow.assign(item, city, assignee=county, due_date=datetime.date(2026, 10, 28), instruction="请象州县协助")
    item.refresh_from_db()
    assert (item.status, item.assignee, item.level) == (Status.ASSIGNED, county, Level.XIANGZHOU)
    assert item.completion_due == datetime.date(2026, 10, 28)
    with at(2026, 10, 13):
        workflow.start(item, county)
        workflow.arrange(
            item,
            county,
            leader_text="市委分管领导（演示）",
            meeting_at=datetime.datetime(2026, 10, 20, 9, 30, tzinfo=datetime.UTC),
            place="市委2号楼会议室",
        )
    with at(2026, 10, 21):
        workflow.close(item, county, "已于10月20日安排约见，专家反映的问题已协调解决。")
    with at(2026, 10, 23):
        workflow.follow_up(item, city, satisfaction=Satisfaction.DISSATISFIED, note="希望进一步跟进")
    with at(2026, 10, 26):
        workflow.reopen(item, city, "专家不满意，继续办理")
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS and item.reopen_count == 1 and item.closed_at is None
    assert item.completion_due == add_working_days(datetime.date(2026, 10, 26), 15)
    with at(2026, 11, 2):
        workflow.close(item, county, "补充答复：相关配套已全部落实。")
        workflow.follow_up(item, city, satisfaction=Satisfaction.SATISFIED)

    item.refresh_from_db()
    assert item.status == Status.FOLLOWED_UP and item.satisfaction == Satisfaction.SATISFIED
    assert item.reply == "补充答复：相关配套已全部落实。"
    steps = list(item.steps.values_list("action", "status", "actor__username", "at__date"))
    assert steps == [
        ("received", "new", None, datetime.date(2026, 9, 29)),
        ("accepted", "accepted", "city", datetime.date(2026, 10, 9)),
        ("assigned", "assigned", "city", datetime.date(2026, 10, 12)),
        ("started", "in_progress", "county", datetime.date(2026, 10, 13)),
        ("appointment", "in_progress", "county", datetime.date(2026, 10, 13)),
        ("closed", "closed", "county", datetime.date(2026, 10, 21)),
        ("followed_up", "followed_up", "city", datetime.date(2026, 10, 23)),
        ("reopened", "in_progress", "city", datetime.date(2026, 10, 26)),
        ("closed", "closed", "county", datetime.date(2026, 11, 2)),
        ("followed_up", "followed_up", "city", datetime.date(2026, 11, 2)),
    ]
    logged = list(IntakeLogEntry.objects.filter(item=item).order_by("pk").values_list("action", flat=True))
    assert logged == [f"intake.{action}" for action, *_ in steps]
    # Mail: receipt and office notice, the assignee's notice, one per closing.
    assert DBTaskResult.objects.filter(queue_name="mail").count() == 5


def test_steps_out_of_order_are_refused():
    officer = make_staff("officer", is_superuser=True)
    item, _ = new_item()
    with pytest.raises(ValidationError):
        workflow.close(item, officer, "答复")
    with pytest.raises(ValidationError):
        workflow.follow_up(item, officer, satisfaction=Satisfaction.SATISFIED)
    workflow.reject(item, officer, "不属于受理范围")
    with pytest.raises(ValidationError):
        workflow.accept(item, officer)
    item.refresh_from_db()
    assert item.status == Status.REJECTED and item.rejection_reason == "不属于受理范围"


def test_only_a_dissatisfied_follow_up_can_be_reopened():
    officer = make_staff("officer", is_superuser=True)
    item, _ = new_item()
    workflow.accept(item, officer)
    workflow.close(item, officer, "已答复")
    workflow.follow_up(item, officer, satisfaction=Satisfaction.FAIRLY_SATISFIED)
    with pytest.raises(ValidationError, match="不满意"):
        workflow.reopen(item, officer, "再看看")


def test_arranging_is_for_appointments_only():
    officer = make_staff("officer", is_superuser=True)
    item, _ = new_item(kind=Kind.HELP)
    workflow.accept(item, officer)
    assert not workflow.ACTIONS["arrange"].allowed_for(item)
    with pytest.raises(ValidationError):
        workflow.arrange(item, officer, leader_text="某领导", meeting_at=item.received_at, place="会议室")


def test_supervision_is_internal_and_noted():
    officer = make_staff("officer", is_superuser=True)
    item, _ = new_item()
    workflow.supervise(item, officer, "请加快办理")
    item.refresh_from_db()
    assert item.supervised and item.supervision_comment == "请加快办理"
    step = item.steps.last()
    assert (step.action, step.public) == ("supervised", False)
