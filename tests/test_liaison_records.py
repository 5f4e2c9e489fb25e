"""The liaison records' rules: who sees which rows, pairings ending with the expert, the five
reports' way up and back, the must-visits an accepted report creates, and the quota."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from experts.models import Expert
from liaison import services
from liaison.models import (
    Body,
    ContactKind,
    ContactRecord,
    EventKind,
    EventReport,
    FollowUp,
    Leader,
    MustVisit,
    Pairing,
    PairingLogEntry,
    ReportStage,
    VisitReason,
)
from liaison.scoping import may_read_details
from staff.levels import Level
from staff.scoping import visible_rows

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .liaison_builders import contact, make_leader, make_leader_user, make_liaison, make_office_user, pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A city and a county leader, each paired with two experts; offices, a leader login, a liaison."""
    city = make_staff("city", Level.CITY)
    county = make_staff("xiangzhou", Level.XIANGZHOU)
    other_county = make_staff("wuxuan", Level.WUXUAN)
    hospital = make_unit("来宾市人民医院", Level.CITY)
    school = make_unit("象州县中学", Level.XIANGZHOU)
    experts = {
        "city_a": make_expert(city, hospital, name="市专家甲"),
        "city_b": make_expert(city, hospital, name="市专家乙"),
        "county_a": make_expert(county, school, name="县专家甲"),
        "county_b": make_expert(county, school, name="县专家乙"),
    }
    city_leader = make_leader("覃书记", Level.CITY, Body.PARTY)
    county_leader = make_leader("蓝县长", Level.XIANGZHOU, Body.GOVERNMENT, post="县长")
    pair(city_leader, experts["city_a"])
    pair(city_leader, experts["county_a"])
    pair(county_leader, experts["county_b"])
    return {
        "city": city,
        "county": county,
        "other_county": other_county,
        "experts": experts,
        "city_leader": city_leader,
        "county_leader": county_leader,
        "leader_user": make_leader_user("qin", city_leader),
        "city_party_office": make_office_user("shiweiban", Body.PARTY, Level.CITY),
        "county_gov_office": make_office_user("xianzhengfuban", Body.GOVERNMENT, Level.XIANGZHOU),
        "liaison": make_liaison("lianluoyuan", school),
        "hospital": hospital,
        "school": school,
    }


def names(rows):
    return {str(row) for row in rows}


def test_each_role_sees_its_own_pairings(world):
    everything = names(Pairing.objects.all())
    assert names(visible_rows(world["city"], Pairing)) == everything
    assert names(visible_rows(world["county"], Pairing)) == {"覃书记 — 县专家甲", "蓝县长 — 县专家乙"}
    assert names(visible_rows(world["other_county"], Pairing)) == set()
    assert names(visible_rows(world["leader_user"], Pairing)) == {"覃书记 — 县专家甲", "覃书记 — 市专家甲"}
    assert names(visible_rows(world["city_party_office"], Pairing)) == {"覃书记 — 县专家甲", "覃书记 — 市专家甲"}
    assert names(visible_rows(world["county_gov_office"], Pairing)) == {"蓝县长 — 县专家乙"}
    assert names(visible_rows(world["liaison"], Pairing)) == set()  # no permission on pairings


def test_leaders_are_seen_by_their_level_themselves_and_their_office(world):
    assert {leader.name for leader in visible_rows(world["county"], Leader)} == {"蓝县长"}
    assert {leader.name for leader in visible_rows(world["leader_user"], Leader)} == {"覃书记"}
    assert {leader.name for leader in visible_rows(world["city_party_office"], Leader)} == {"覃书记"}
    assert {leader.name for leader in visible_rows(world["county_gov_office"], Leader)} == {"蓝县长"}


def test_a_group_contact_is_seen_by_the_county_of_any_of_its_experts(world):
    experts = world["experts"]
    record = contact([world["city_leader"]], [experts["city_a"], experts["county_a"]])
    FollowUp.objects.create(
        record=record,
        expert=experts["county_a"],
        problem="子女入学",
        owner="市教育局",
        due_on=datetime.date(2026, 3, 1),
    )
    for user in ("city", "county", "leader_user", "city_party_office"):
        assert list(visible_rows(world[user], ContactRecord)) == [record], user
        assert visible_rows(world[user], FollowUp).count() == 1, user
    for user in ("other_county", "county_gov_office"):
        assert not visible_rows(world[user], ContactRecord).exists(), user


def test_a_leader_user_with_a_level_still_sees_only_their_own(world):
    # A level on a leader's login gives no level-wide view: that is for the talent offices.
    from staff.models import StaffProfile

    StaffProfile.objects.create(user=world["leader_user"], level=Level.XIANGZHOU)
    user = type(world["leader_user"]).objects.get(pk=world["leader_user"].pk)
    assert names(visible_rows(user, Pairing)) == {"覃书记 — 县专家甲", "覃书记 — 市专家甲"}


def test_a_unit_liaison_sees_only_the_experts_of_their_units(world):
    assert names(visible_rows(world["liaison"], Expert)) == {"县专家乙", "县专家甲"}
    # The county's own staff still see every expert of the county.
    assert names(visible_rows(world["county"], Expert)) == {"县专家乙", "县专家甲"}
    other_school = make_unit("象州县第二中学", Level.XIANGZHOU)
    make_expert(world["county"], other_school, name="县专家丙")
    assert "县专家丙" not in names(visible_rows(world["liaison"], Expert))
    assert "县专家丙" in names(visible_rows(world["county"], Expert))


def test_removing_an_expert_ends_their_pairings_on_the_removal_date(client, world):
    expert = world["experts"]["county_a"]
    client.force_login(world["county"])
    screen = client.get(f"/admin/experts/remove/{expert.pk}/").content.decode()
    assert "其结对联系于调出之日结束" in screen  # the promise the screen makes, kept below
    form = {"date": "2026-06-30", "reason": "left_city", "basis": "调离本市"}
    assert client.post(f"/admin/experts/remove/{expert.pk}/", form).status_code == 302
    expert.refresh_from_db()
    pairing = Pairing.objects.get(expert=expert)
    assert (pairing.ended_on, pairing.end_note) == (datetime.date(2026, 6, 30), "专家调出")
    assert PairingLogEntry.objects.filter(pairing=pairing, action="liaison.pairing.end").exists()
    with pytest.raises(ValidationError) as error:
        services.check_new_pairing(world["city_leader"], expert, datetime.date(2026, 7, 1))
    assert "已调出" in str(error.value.message_dict["expert"])


def test_a_pairing_cannot_end_before_it_starts_or_run_twice(world):
    pairing = Pairing.objects.get(expert=world["experts"]["city_a"])
    with pytest.raises(ValidationError) as error:
        services.end_pairing(pairing, ended_on=datetime.date(2025, 12, 31), note="", user=world["city"])
    assert "不能早于开始日期" in str(error.value.message_dict["ended_on"])
    with pytest.raises(ValidationError) as error:
        services.check_new_pairing(world["city_leader"], world["experts"]["city_a"], datetime.date(2026, 2, 1))
    assert "已在联系" in str(error.value.message_dict["expert"])


def test_quota_flags_active_leaders_with_fewer_than_two_running_pairings(world):
    assert {leader.name for leader in services.under_quota(Leader.objects.all())} == {"蓝县长"}
    services.end_pairing(
        Pairing.objects.get(expert=world["experts"]["city_a"]), ended_on=datetime.date(2026, 5, 1), note="", user=None
    )
    assert {leader.name for leader in services.under_quota(Leader.objects.all())} == {"蓝县长", "覃书记"}
    make_leader("已离任", Level.CITY, active=False)
    assert "已离任" not in {leader.name for leader in services.under_quota(Leader.objects.all())}


def file(world, expert_key, kind):
    report = EventReport(expert=world["experts"][expert_key], kind=kind, event_date=datetime.date(2026, 5, 20))
    report.details = "获评自治区优秀专家。" if kind == EventKind.ACHIEVEMENT else "住院治疗。"
    return services.file_report(report, user=world["liaison"])


def test_a_county_experts_report_goes_up_county_then_city_and_can_be_sent_back(world):
    report = file(world, "county_a", EventKind.ACHIEVEMENT)
    assert (report.unit, report.level, report.stage) == (world["school"], Level.XIANGZHOU, ReportStage.COUNTY)
    assert list(services.reports_waiting_for(world["county"])) == [report]
    assert not services.reports_waiting_for(world["city"]).exists()
    with pytest.raises(PermissionDenied):
        services.accept_report(report, user=world["city"])  # not the city's turn yet
    with pytest.raises(PermissionDenied):
        services.accept_report(report, user=world["other_county"])
    with pytest.raises(ValidationError):
        services.return_report(report, user=world["county"], comment="  ")

    services.return_report(report, user=world["county"], comment="请补充获奖文件。")
    assert report.stage == ReportStage.RETURNED
    services.refile_report(report, user=world["liaison"])
    services.accept_report(report, user=world["county"])
    assert report.stage == ReportStage.CITY
    assert list(services.reports_waiting_for(world["city"])) == [report]
    services.accept_report(report, user=world["city"], comment="已阅。")
    assert report.stage == ReportStage.ACCEPTED
    assert [(step.action, step.stage_after) for step in report.steps.all()] == [
        ("filed", ReportStage.COUNTY),
        ("returned", ReportStage.RETURNED),
        ("refiled", ReportStage.COUNTY),
        ("accepted", ReportStage.CITY),
        ("accepted", ReportStage.ACCEPTED),
    ]


def test_a_city_experts_report_goes_straight_to_the_city(world):
    hospital_liaison = make_liaison("yiyuan", world["hospital"])
    report = EventReport(
        expert=world["experts"]["city_a"], kind=EventKind.POST_CHANGE, event_date=datetime.date(2026, 4, 1)
    )
    report.details = "任副院长。"
    services.file_report(report, user=hospital_liaison)
    assert report.stage == ReportStage.CITY
    assert not services.reports_waiting_for(world["county"]).exists()


def test_an_accepted_achievement_report_owes_each_paired_leader_a_visit_until_one_is_recorded(world):
    report = file(world, "county_a", EventKind.ACHIEVEMENT)
    services.accept_report(report, user=world["county"])
    assert not MustVisit.objects.exists()  # owed once the report is accepted at the top
    services.accept_report(report, user=world["city"])
    visit = MustVisit.objects.get()
    assert (visit.leader, visit.expert, visit.reason) == (
        world["city_leader"],
        world["experts"]["county_a"],
        VisitReason.ACHIEVEMENT,
    )
    assert list(visible_rows(world["leader_user"], MustVisit)) == [visit]

    symposium = contact([world["city_leader"]], [world["experts"]["county_a"]], kind=ContactKind.SYMPOSIUM)
    assert services.mark_must_visits_done(symposium) == 0
    visit_record = contact([world["city_leader"]], [world["experts"]["county_a"]], kind=ContactKind.ACHIEVEMENT_VISIT)
    assert services.mark_must_visits_done(visit_record) == 1
    visit.refresh_from_db()
    assert visit.done_by == visit_record


def test_a_post_change_report_owes_no_visit(world):
    report = file(world, "county_a", EventKind.POST_CHANGE)
    services.accept_report(report, user=world["county"])
    services.accept_report(report, user=world["city"])
    assert not MustVisit.objects.exists()


def test_health_and_family_details_are_for_the_offices_the_paired_leaders_and_the_filer(world):
    report = file(world, "county_a", EventKind.HEALTH)
    assert may_read_details(world["city"], report)
    assert may_read_details(world["county"], report)
    assert may_read_details(world["leader_user"], report)  # paired with 县专家甲
    assert may_read_details(world["liaison"], report)  # filed it
    assert not may_read_details(world["city_party_office"], report)
    another_liaison = make_liaison("lianluoyuan2", world["school"])
    assert not may_read_details(another_liaison, report)
    assert visible_rows(another_liaison, EventReport).count() == 1  # sees it exists, not its details
    assert not visible_rows(world["other_county"], EventReport).exists()
    achievement = file(world, "county_a", EventKind.ACHIEVEMENT)
    assert may_read_details(world["city_party_office"], achievement)


def test_a_leader_whose_pairing_ended_no_longer_sees_the_experts_reports(world):
    report = file(world, "county_a", EventKind.HEALTH)
    office = world["city_party_office"]  # the office of 覃书记's body and level
    assert report in visible_rows(world["leader_user"], EventReport) and report in visible_rows(office, EventReport)
    pairing = Pairing.objects.get(leader=world["city_leader"], expert=world["experts"]["county_a"])
    services.end_pairing(pairing, ended_on=timezone.localdate(), note="工作调整", user=world["city"])
    assert report not in visible_rows(world["leader_user"], EventReport)
    assert report not in visible_rows(office, EventReport)
    # 市专家甲, still paired, keeps their reports in the leader's sight.
    assert file(world, "city_a", EventKind.ACHIEVEMENT) in visible_rows(world["leader_user"], EventReport)


def test_superusers_see_everything(world):
    root = make_superuser()
    contact([world["county_leader"]], [world["experts"]["county_b"]], level=Level.XIANGZHOU)
    assert visible_rows(root, ContactRecord).count() == 1
    assert visible_rows(root, Pairing).count() == Pairing.objects.count()
