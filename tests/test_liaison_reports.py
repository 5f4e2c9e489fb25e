"""The five reports (五报告) in the admin: a unit liaison files, the county's office and the city office
accept or send back, the must-visits an accepted achievement report owes, who reads sensitive details
(and that reading them is logged), the must-visit list, the dashboard panel, and a unit liaison's scope
on every admin route they might reach."""

import csv
import datetime
import io
import json
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from experts.models import Expert
from experts.services import remove_expert
from liaison import services
from liaison.models import EventKind, EventReport, EventReportLogEntry, MustVisit, ReportStage, ReportStep
from liaison.views.reports import SENSITIVE_MASK
from staff.levels import Level
from staff.models import ExportLogEntry

from .experts_builders import days_ago, make_expert, make_staff, make_unit
from .liaison_builders import (
    Body,
    contact,
    make_leader,
    make_leader_user,
    make_liaison,
    make_office_user,
    pair,
    report,
)

pytestmark = pytest.mark.django_db

HEALTH_DETAILS = "确诊重大疾病，住院治疗中。"


@pytest.fixture
def world():
    """Two units of 象州县 with a liaison each (one with a second liaison), a city hospital, three
    experts; a city leader paired with the school's expert and a county leader with the other's."""
    city = make_staff("city", Level.CITY)
    county = make_staff("xiangzhou", Level.XIANGZHOU)
    hospital = make_unit("来宾市人民医院", Level.CITY)
    school = make_unit("象州县中学", Level.XIANGZHOU, "school")
    other_school = make_unit("象州县第二中学", Level.XIANGZHOU, "school")
    experts = {
        "city": make_expert(city, hospital, name="市专家甲"),
        "own": make_expert(county, school, name="县专家甲"),
        "other": make_expert(county, other_school, name="县专家乙"),
    }
    city_leader = make_leader("覃书记", Level.CITY, Body.PARTY)
    county_leader = make_leader("蓝县长", Level.XIANGZHOU, Body.GOVERNMENT, post="县长")
    pair(city_leader, experts["own"])
    pair(county_leader, experts["other"])
    return {
        "city": city,
        "county": county,
        "other_county": make_staff("wuxuan", Level.WUXUAN),
        "experts": experts,
        "city_leader": city_leader,
        "county_leader": county_leader,
        "leader_user": make_leader_user("qin", city_leader),
        "county_leader_user": make_leader_user("lan", county_leader),
        "city_party_office": make_office_user("shiweiban", Body.PARTY, Level.CITY),
        "county_gov_office": make_office_user("xianzhengfuban", Body.GOVERNMENT, Level.XIANGZHOU),
        "liaison": make_liaison("lianluoyuan", school),
        "same_unit_liaison": make_liaison("lianluoyuan2", school),
        "other_liaison": make_liaison("erzhong", other_school),
        "hospital_liaison": make_liaison("yiyuan", hospital),
        "school": school,
        "other_school": other_school,
    }


def form_data(expert, kind=EventKind.ACHIEVEMENT, event_date=None, details="获评自治区优秀教师。"):
    return {
        "expert": expert.pk,
        "kind": kind,
        "event_date": (event_date or days_ago(3)).isoformat(),
        "details": details,
    }


def outcome(response):
    """The status, or "denied" for Wagtail's answer to a PermissionDenied: a redirect home with a message."""
    if response.status_code == 302 and response["Location"] == "/admin/":
        return "denied"
    return response.status_code


def refused(response):
    return outcome(response) in ("denied", 403, 404)


def field_errors(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


def content(response):
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    if response["Content-Type"].startswith("application/json"):  # a chooser answers with names escaped as \uXXXX
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


# Filing -------------------------------------------------------------------------------------


def test_a_liaison_files_a_report_through_the_form(client, world):
    client.force_login(world["liaison"])
    response = client.post("/admin/liaison/reports/new/", form_data(world["experts"]["own"]))
    filed = EventReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/liaison/reports/inspect/{filed.pk}/"
    page = content(client.get(response["Location"]))
    assert "已报送" in page and f"/admin/liaison/reports/edit/{filed.pk}/" not in page  # no edit button
    assert (filed.unit, filed.level, filed.stage, filed.filed_by) == (
        world["school"],
        Level.XIANGZHOU,
        ReportStage.COUNTY,
        world["liaison"],
    )
    # One log entry for the filing, by the service: the generic create view's is not written twice
    # (the other is the opening of the report's page, security.audit).
    assert list(EventReportLogEntry.objects.filter(report=filed).values_list("action", flat=True)) == [
        "portal.view",
        "liaison.report.filed",
    ]


def test_the_form_offers_only_the_active_experts_of_the_liaisons_units(client, world):
    removed = make_expert(world["county"], world["school"], name="县专家丙", joined_on="2024-01-01")
    remove_expert(removed, date=days_ago(1), reason="left_city", basis="调离", user=world["county"])
    client.force_login(world["liaison"])
    response = client.get("/admin/liaison/reports/new/")
    assert list(response.context["form"].fields["expert"].queryset) == [world["experts"]["own"]]
    assert "县专家乙" not in content(response) and "县专家丙" not in content(response)


@pytest.mark.parametrize("expert", ["other", "city", "removed"])
def test_the_form_refuses_an_expert_outside_the_liaisons_units(client, world, expert):
    if expert == "removed":
        removed = make_expert(world["county"], world["school"], name="县专家丙", joined_on="2024-01-01")
        remove_expert(removed, date=days_ago(1), reason="left_city", basis="调离", user=world["county"])
        chosen = removed
    else:
        chosen = world["experts"][expert]
    client.force_login(world["liaison"])
    response = client.post("/admin/liaison/reports/new/", form_data(chosen))
    assert response.status_code == 200
    assert field_errors(response, "expert") == ["只能报送您所联系单位的在库专家，请从列表中选择。"]
    assert "只能报送您所联系单位的在库专家" in response.content.decode()
    assert not EventReport.objects.exists()


def test_the_form_refuses_a_future_event_date_and_empty_details(client, world):
    client.force_login(world["liaison"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        "/admin/liaison/reports/new/", form_data(world["experts"]["own"], event_date=tomorrow, details="  ")
    )
    assert response.status_code == 200
    assert field_errors(response, "event_date") == ["事项发生日期不能晚于今天。"]
    assert field_errors(response, "details") == ["请填写具体情况。"]
    assert "事项发生日期不能晚于今天。" in response.content.decode()
    assert not EventReport.objects.exists() and not ReportStep.objects.exists()


@pytest.mark.parametrize("user", ["city", "county", "leader_user", "city_party_office"])
def test_only_liaisons_file_reports(client, world, user):
    client.force_login(world[user])
    assert outcome(client.get("/admin/liaison/reports/new/")) == "denied"
    assert outcome(client.post("/admin/liaison/reports/new/", form_data(world["experts"]["own"]))) == "denied"
    assert not EventReport.objects.exists()


# The way up and back ------------------------------------------------------------------------


def test_a_county_experts_report_goes_up_through_the_views_and_owes_the_paired_leader_a_visit(client, world):
    client.force_login(world["liaison"])
    client.post("/admin/liaison/reports/new/", form_data(world["experts"]["own"]))
    filed = EventReport.objects.get()

    client.force_login(world["county"])
    page = content(client.get(f"/admin/liaison/reports/inspect/{filed.pk}/"))
    assert f"/admin/liaison/reports/accept/{filed.pk}/" in page
    confirm = content(client.get(f"/admin/liaison/reports/accept/{filed.pk}/"))
    assert "确认审核通过" in confirm and "待市委人才办审核" in confirm and "csrfmiddlewaretoken" in confirm
    response = client.post(f"/admin/liaison/reports/accept/{filed.pk}/", {"comment": "情况属实。"})
    assert response["Location"] == f"/admin/liaison/reports/inspect/{filed.pk}/"
    filed.refresh_from_db()
    assert filed.stage == ReportStage.CITY
    assert not MustVisit.objects.exists()

    client.force_login(world["city"])
    client.post(f"/admin/liaison/reports/accept/{filed.pk}/", {"comment": ""})
    filed.refresh_from_db()
    assert filed.stage == ReportStage.ACCEPTED
    visit = MustVisit.objects.get()
    assert (visit.leader, visit.expert) == (world["city_leader"], world["experts"]["own"])
    page = content(client.get(f"/admin/liaison/reports/inspect/{filed.pk}/"))
    assert "覃书记" in page and "待走访" in page
    assert [(step.action, step.user, step.comment) for step in filed.steps.all()] == [
        ("filed", world["liaison"], ""),
        ("accepted", world["county"], "情况属实。"),
        ("accepted", world["city"], ""),
    ]
    assert "情况属实。" in page

    client.force_login(world["leader_user"])
    visits = content(client.get("/admin/liaison/visits/"))
    assert "县专家甲" in visits and "待走访" in visits and f"/admin/liaison/reports/inspect/{filed.pk}/" in visits


def test_a_city_experts_report_goes_straight_to_the_city_office(client, world):
    client.force_login(world["hospital_liaison"])
    client.post("/admin/liaison/reports/new/", form_data(world["experts"]["city"], kind=EventKind.POST_CHANGE))
    filed = EventReport.objects.get()
    assert filed.stage == ReportStage.CITY
    client.force_login(world["county"])
    assert client.get(f"/admin/liaison/reports/accept/{filed.pk}/").status_code == 404  # another level
    client.force_login(world["city"])
    client.post(f"/admin/liaison/reports/accept/{filed.pk}/", {})
    filed.refresh_from_db()
    assert filed.stage == ReportStage.ACCEPTED
    assert not MustVisit.objects.exists()  # a post change owes no visit


def test_sending_back_needs_a_comment_and_the_liaison_edits_and_refiles(client, world):
    filed = report(world["liaison"], world["experts"]["own"])
    client.force_login(world["county"])
    response = client.post(f"/admin/liaison/reports/return/{filed.pk}/", {"comment": "   "})
    assert response.status_code == 200
    assert field_errors(response, "comment") == ["退回时请写明原因，方便联络员修改。"]
    filed.refresh_from_db()
    assert filed.stage == ReportStage.COUNTY

    client.post(f"/admin/liaison/reports/return/{filed.pk}/", {"comment": "请补充获奖文件名称。"})
    filed.refresh_from_db()
    assert filed.stage == ReportStage.RETURNED

    # Nobody but the liaison who filed it edits it.
    for user in ("county", "city", "same_unit_liaison"):
        client.force_login(world[user])
        assert outcome(client.get(f"/admin/liaison/reports/edit/{filed.pk}/")) == "denied", user
    client.force_login(world["liaison"])
    page = content(client.get(f"/admin/liaison/reports/inspect/{filed.pk}/"))
    assert "请补充获奖文件名称。" in page and f"/admin/liaison/reports/edit/{filed.pk}/" in page
    home = content(client.get("/admin/"))
    assert "被退回待修改 <strong>1</strong> 件" in home

    data = form_data(world["experts"]["own"], details="获评自治区优秀教师（桂教发〔2026〕5号）。")
    response = client.post(f"/admin/liaison/reports/edit/{filed.pk}/", data)
    assert response["Location"] == f"/admin/liaison/reports/inspect/{filed.pk}/"
    filed.refresh_from_db()
    assert (filed.stage, filed.details) == (ReportStage.COUNTY, "获评自治区优秀教师（桂教发〔2026〕5号）。")
    assert [step.action for step in filed.steps.all()] == ["filed", "returned", "refiled"]
    assert {"wagtail.edit", "liaison.report.refiled"} <= set(
        EventReportLogEntry.objects.filter(report=filed, user=world["liaison"]).values_list("action", flat=True)
    )
    # Once filed again, it is out of the liaison's hands.
    assert outcome(client.get(f"/admin/liaison/reports/edit/{filed.pk}/")) == "denied"


def test_the_edit_form_refuses_an_expert_outside_the_units_and_keeps_the_report_as_it_was(client, world):
    filed = report(world["liaison"], world["experts"]["own"])
    services.return_report(filed, user=world["county"], comment="专家填错。")
    client.force_login(world["liaison"])
    response = client.post(f"/admin/liaison/reports/edit/{filed.pk}/", form_data(world["experts"]["other"]))
    assert field_errors(response, "expert") == ["只能报送您所联系单位的在库专家，请从列表中选择。"]
    filed.refresh_from_db()
    assert (filed.expert, filed.stage) == (world["experts"]["own"], ReportStage.RETURNED)


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("city", "denied"),  # not the city's turn yet
        ("other_county", 404),
        ("leader_user", "denied"),  # sees the report, may not review
        ("city_party_office", "denied"),
        ("liaison", "denied"),
        ("same_unit_liaison", "denied"),
        ("other_liaison", 404),
    ],
)
def test_only_the_office_at_the_reports_stage_reviews_it(client, world, user, status):
    filed = report(world["liaison"], world["experts"]["own"])
    client.force_login(world[user])
    for decision in ("accept", "return"):
        assert outcome(client.get(f"/admin/liaison/reports/{decision}/{filed.pk}/")) == status
        assert outcome(client.post(f"/admin/liaison/reports/{decision}/{filed.pk}/", {"comment": "越权"})) == status
    filed.refresh_from_db()
    assert filed.stage == ReportStage.COUNTY and filed.steps.count() == 1
    assert (
        "/admin/liaison/reports/accept/"
        not in client.get(f"/admin/liaison/reports/inspect/{filed.pk}/").content.decode()
    )


# Sensitive reports --------------------------------------------------------------------------


@pytest.fixture
def health(world):
    return report(world["liaison"], world["experts"]["own"], kind=EventKind.HEALTH, details=HEALTH_DETAILS)


@pytest.mark.parametrize("user", ["city", "county", "leader_user", "liaison"])
def test_the_offices_the_paired_leader_and_the_filer_read_sensitive_details_and_the_read_is_logged(
    client, world, health, user
):
    client.force_login(world[user])
    page = content(client.get(f"/admin/liaison/reports/inspect/{health.pk}/"))
    assert HEALTH_DETAILS in page and SENSITIVE_MASK not in page
    read = EventReportLogEntry.objects.get(report=health, action="liaison.report.read_sensitive")
    assert read.user == world[user] and read.data == {"via": "inspect", "ip": "127.0.0.1", "result": "成功"}
    assert "已查看敏感信息" in content(client.get("/admin/reports/site-history/"))


@pytest.mark.parametrize("user", ["city_party_office", "same_unit_liaison"])
def test_everyone_else_who_sees_a_sensitive_report_reads_the_notice_instead(client, world, health, user):
    client.force_login(world[user])
    for url in (
        f"/admin/liaison/reports/inspect/{health.pk}/",
        f"/admin/liaison/reports/history/{health.pk}/",
        "/admin/liaison/reports/",
        "/admin/reports/site-history/",
    ):
        assert HEALTH_DETAILS not in content(client.get(url)), url
    assert SENSITIVE_MASK in content(client.get(f"/admin/liaison/reports/inspect/{health.pk}/"))
    exported = content(client.get("/admin/liaison/reports/?export=csv"))
    assert SENSITIVE_MASK in exported and HEALTH_DETAILS not in exported
    assert not EventReportLogEntry.objects.filter(action="liaison.report.read_sensitive").exists()


def test_the_step_comments_of_a_sensitive_report_are_for_its_readers_only(client, world, health):
    services.return_report(health, user=world["county"], comment="请补充诊断证明。")
    client.force_login(world["same_unit_liaison"])
    assert "请补充诊断证明" not in content(client.get(f"/admin/liaison/reports/inspect/{health.pk}/"))
    client.force_login(world["liaison"])
    assert "请补充诊断证明" in content(client.get(f"/admin/liaison/reports/inspect/{health.pk}/"))


def report_routes():
    """Every route of the five reports that names one report, as a format string for its pk."""
    return [re.sub(r"<int:pk>", "{}", route) for route in admin_routes("admin/liaison/reports/") if "<" in route]


def test_the_report_routes_are_all_walked():
    assert {
        "admin/liaison/reports/inspect/{}/",
        "admin/liaison/reports/edit/{}/",
        "admin/liaison/reports/history/{}/",
        "admin/liaison/reports/accept/{}/",
        "admin/liaison/reports/return/{}/",
    } <= set(report_routes())


@pytest.mark.parametrize("user", ["other_county", "other_liaison", "county_leader_user", "county_gov_office"])
def test_a_sensitive_report_of_another_county_unit_or_leader_does_not_exist_for_them(client, world, health, user):
    client.force_login(world[user])
    for route in report_routes():
        url = "/" + route.format(health.pk)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"comment": "越权"}).status_code == 404, url
    assert "县专家甲" not in content(client.get("/admin/liaison/reports/"))
    health.refresh_from_db()
    assert health.stage == ReportStage.COUNTY and health.steps.count() == 1


# What those who see the report may open; on every other route of it they are refused (403).
OPEN_TO_VIEWERS = {"inspect", "history", "history-results", "usage"}


@pytest.mark.parametrize("user", ["leader_user", "city_party_office", "same_unit_liaison"])
def test_those_who_see_a_report_but_may_not_act_on_it_are_refused(client, world, health, user):
    client.force_login(world[user])
    for route in report_routes():
        url = "/" + route.format(health.pk)
        if route.split("/")[3] in OPEN_TO_VIEWERS:
            assert HEALTH_DETAILS not in content(client.get(url)) or user == "leader_user", url
        else:
            assert outcome(client.get(url)) == "denied", url
            assert outcome(client.post(url, {"comment": "越权"})) == "denied", url
    health.refresh_from_db()
    assert health.stage == ReportStage.COUNTY and health.steps.count() == 1


def test_no_log_entry_of_a_report_holds_its_details(client, world, health):
    services.return_report(health, user=world["county"], comment="请补充。")
    client.force_login(world["liaison"])
    client.post(
        f"/admin/liaison/reports/edit/{health.pk}/", form_data(health.expert, EventKind.HEALTH, details=HEALTH_DETAILS)
    )
    client.force_login(world["county"])
    client.get(f"/admin/liaison/reports/inspect/{health.pk}/")
    entries = EventReportLogEntry.objects.filter(report=health)
    assert {"liaison.report.filed", "liaison.report.returned", "wagtail.edit", "liaison.report.refiled"} <= set(
        entries.values_list("action", flat=True)
    )
    for entry in entries:
        assert HEALTH_DETAILS not in entry.label + json.dumps(entry.data, ensure_ascii=False), entry.action
    # What history shows even those who may read the details: who did what and when, not the details.
    history = content(client.get(f"/admin/liaison/reports/history/{health.pk}/"))
    assert "查看敏感信息" in history and HEALTH_DETAILS not in history


def test_a_search_does_not_reach_into_the_details(client, world, health):
    client.force_login(world["same_unit_liaison"])
    response = client.get("/admin/liaison/reports/", {"q": "住院"})
    assert list(response.context["object_list"]) == []
    assert list(client.get("/admin/liaison/reports/", {"q": "县专家甲"}).context["object_list"]) == [health]


def test_an_export_gives_the_details_to_their_readers_and_logs_the_read(client, world, health):
    achievement = report(world["liaison"], world["experts"]["own"])
    client.force_login(world["county"])
    rows = list(csv.reader(io.StringIO(content(client.get("/admin/liaison/reports/?export=csv")).lstrip("\ufeff"))))
    assert rows[0][:6] == ["专家", "报告单位", "属地", "报告事项", "事项发生日期", "具体情况"]
    assert {row[5] for row in rows[1:]} == {HEALTH_DETAILS, achievement.details}
    read = EventReportLogEntry.objects.get(action="liaison.report.read_sensitive")
    assert (read.report_id, read.user, read.data["via"], read.data["ip"]) == (
        health.pk,
        world["county"],
        "export",
        "127.0.0.1",
    )
    assert ExportLogEntry.objects.filter(action="liaison.reports.export", user=world["county"]).exists()


# Lists, filters, the dashboard ------------------------------------------------------------


def listed(client, query=""):
    response = client.get(f"/admin/liaison/reports/{query}")
    assert response.status_code == 200
    return {str(row) for row in response.context["object_list"]}


def test_each_role_lists_its_own_reports_and_filters_them(client, world):
    own = report(world["liaison"], world["experts"]["own"])
    other = report(world["other_liaison"], world["experts"]["other"], kind=EventKind.FAMILY_EVENT)
    city = report(world["hospital_liaison"], world["experts"]["city"], kind=EventKind.POST_CHANGE)
    services.accept_report(own, user=world["county"])
    expected = {
        "city": {own, other, city},
        "county": {own, other},
        "other_county": set(),
        "leader_user": {own},
        "county_leader_user": {other},
        "city_party_office": {own},
        "liaison": {own},
        "same_unit_liaison": {own},
        "other_liaison": {other},
    }
    for user, reports in expected.items():
        client.force_login(world[user])
        assert listed(client) == {str(r) for r in reports}, user

    client.force_login(world["county"])
    assert listed(client, "?waiting=true") == {str(other)}
    assert listed(client, f"?stage={ReportStage.CITY}") == {str(own)}
    assert listed(client, f"?kind={EventKind.FAMILY_EVENT}") == {str(other)}
    page = content(client.get("/admin/liaison/reports/"))
    assert "待市委人才办审核" in page and "敏感" in page and "等待我审核" in page
    client.force_login(world["city"])
    assert listed(client, "?waiting=true") == {str(own), str(city)}
    assert listed(client, f"?level={Level.CITY}") == {str(city)}


def test_the_reports_list_runs_a_constant_number_of_queries(client, world):
    def count_queries(user):
        client.force_login(user)
        client.get("/admin/liaison/reports/")  # warm caches (content types, site)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/liaison/reports/").status_code == 200
        return len(queries)

    report(world["liaison"], world["experts"]["own"])
    few = {user: count_queries(world[user]) for user in ("county", "liaison", "leader_user")}
    for kind in EventKind.values * 3:
        filed = report(world["liaison"], world["experts"]["own"], kind=kind)
        services.return_report(filed, user=world["county"], comment="补充")
    assert {user: count_queries(world[user]) for user in few} == few


def test_the_dashboard_shows_an_office_what_waits_for_it_and_a_liaison_their_returned_reports(client, world):
    waiting = report(world["liaison"], world["experts"]["own"])
    returned = report(world["liaison"], world["experts"]["own"], kind=EventKind.POST_CHANGE)
    services.return_report(returned, user=world["county"], comment="请核实任职时间。")
    client.force_login(world["county"])
    home = content(client.get("/admin/"))
    assert "等待我审核 <strong>1</strong> 件" in home and "/admin/liaison/reports/?waiting=true" in home
    assert f"/admin/liaison/reports/inspect/{waiting.pk}/" in home
    client.force_login(world["city"])
    assert "等待我审核 <strong>0</strong> 件" in content(client.get("/admin/"))
    client.force_login(world["liaison"])
    home = content(client.get("/admin/"))
    assert "被退回待修改 <strong>1</strong> 件" in home and f"/admin/liaison/reports/inspect/{returned.pk}/" in home
    assert listed(client, "?stage=returned&mine=true") == {str(returned)}
    client.force_login(world["same_unit_liaison"])
    assert "被退回待修改 <strong>0</strong> 件" in content(client.get("/admin/"))
    client.force_login(world["leader_user"])
    assert "liaison-reports-dashboard" not in content(client.get("/admin/"))


# Must-visits --------------------------------------------------------------------------------


def accepted_achievement(world, expert="own"):
    filed = report(world["liaison"] if expert == "own" else world["other_liaison"], world["experts"][expert])
    services.accept_report(filed, user=world["county"])
    services.accept_report(filed, user=world["city"])
    return filed


def test_the_must_visit_list_shows_each_visits_state_to_those_the_policy_lets_see_it(client, world):
    accepted_achievement(world, "own")
    accepted_achievement(world, "other")
    overdue = MustVisit.objects.get(leader=world["county_leader"])
    overdue.due_on = days_ago(1)
    overdue.save()
    client.force_login(world["city"])
    page = content(client.get("/admin/liaison/visits/"))
    assert "待走访" in page and "已超期" in page
    assert {str(v) for v in client.get("/admin/liaison/visits/?state=overdue").context["object_list"]} == {
        "蓝县长 → 县专家乙：获得重大成就必访"
    }

    done = contact([world["city_leader"]], [world["experts"]["own"]], kind="achievement_visit", level=Level.CITY)
    services.mark_must_visits_done(done)
    assert "已走访" in content(client.get("/admin/liaison/visits/?state=done"))

    for user, names in [
        ("county", {"覃书记", "蓝县长"}),
        ("leader_user", {"覃书记"}),
        ("county_leader_user", {"蓝县长"}),
        ("city_party_office", {"覃书记"}),
        ("other_county", set()),
    ]:
        client.force_login(world[user])
        response = client.get("/admin/liaison/visits/")
        assert {visit.leader.name for visit in response.context["object_list"]} == names, user
    for user in ("liaison", "other_liaison"):
        client.force_login(world[user])
        assert outcome(client.get("/admin/liaison/visits/")) == "denied"


def test_the_must_visit_list_runs_a_constant_number_of_queries(client, world):
    def count_queries():
        client.get("/admin/liaison/visits/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/liaison/visits/").status_code == 200
        return len(queries)

    client.force_login(world["county"])
    accepted_achievement(world, "own")
    few = count_queries()
    for _ in range(8):
        accepted_achievement(world, "other")
    assert MustVisit.objects.count() == 9
    assert count_queries() == few


# A unit liaison's scope on every route ----------------------------------------------------


def menu(user):
    """{top-level menu label: [labels of its submenu]} as the user's admin menu shows it."""
    request = RequestFactory().get("/admin/")
    request.user = user
    shown = {}
    for item in admin_menu.menu_items_for_request(request):
        submenu = getattr(item, "menu", None)
        shown[str(item.label)] = [str(sub.label) for sub in submenu.menu_items_for_request(request)] if submenu else []
    return shown


def test_a_liaison_sees_only_the_five_reports_and_their_experts_in_the_menu(world):
    shown = menu(world["liaison"])
    assert shown["联系服务"] == ["五报告"]
    assert shown["专家人才库"] == ["专家人才"]
    assert "必访事项" in menu(world["leader_user"])["联系服务"]


def admin_routes(*prefixes):
    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    return sorted({route for route in walk(get_resolver().url_patterns) if route.startswith(prefixes)})


# What a unit liaison may open without an id; every other route of these menus is closed to them.
LIAISON_PAGES = {
    "admin/experts/",
    "admin/experts/results/",
    "admin/liaison/reports/",
    "admin/liaison/reports/results/",
    "admin/liaison/reports/new/",
    # The expert chooser of the report form: their units' experts only.
    "admin/experts/chooser/",
    "admin/experts/chooser/results/",
    "admin/experts/chooser/chosen-multiple/",
}


def test_a_unit_liaison_reaches_nothing_of_another_unit_on_any_route(client, world):
    other_expert = world["experts"]["other"]
    other_report = report(world["other_liaison"], other_expert, kind=EventKind.HEALTH, details=HEALTH_DETAILS)
    city_report = report(world["hospital_liaison"], world["experts"]["city"], details="任市级学科带头人。")
    own_report = report(world["liaison"], world["experts"]["own"])
    services.return_report(other_report, user=world["county"], comment="请补充。")
    secrets = ["县专家乙", "市专家甲", HEALTH_DETAILS, "任市级学科带头人"]
    crafted = [
        ("admin/experts/units/", world["other_school"].pk),
        ("admin/experts/", other_expert.pk),
        ("admin/liaison/", other_report.pk),
        ("admin/liaison/", city_report.pk),
    ]
    client.force_login(world["liaison"])
    routes = admin_routes("admin/experts/", "admin/liaison/")
    assert {"admin/liaison/reports/inspect/<int:pk>/", "admin/liaison/visits/"} <= set(routes)
    for route in routes:
        if "<" not in route:
            response = client.get(f"/{route}", {"id": other_expert.pk})  # ?id= is how choosers take ids
            if route in LIAISON_PAGES:
                page = content(response)
                assert not [secret for secret in secrets if secret in page], route
            else:
                assert refused(response), route
            continue
        for prefix, pk in crafted:
            if route.startswith(prefix):
                url = "/" + re.sub(r"<(?:\w+:)?\w+>", str(pk), route)
                assert refused(client.get(url)), url
                response = client.post(url, {"comment": "越权", "date": "2026-01-01"})
                assert refused(response) or response.status_code == 405, url
    # The chooser opened for another form's purpose (the intake items') is closed to them.
    assert refused(client.get("/admin/experts/chooser/", {"purpose": "intake"}))
    # Their own report and expert are open to them.
    assert client.get(f"/admin/liaison/reports/inspect/{own_report.pk}/").status_code == 200
    assert client.get(f"/admin/experts/inspect/{world['experts']['own'].pk}/").status_code == 200
    other_report.refresh_from_db()
    assert other_report.stage == ReportStage.RETURNED and other_report.steps.count() == 2
    assert Expert.objects.get(pk=other_expert.pk).status == "active"


def test_a_unit_liaisons_exports_and_site_history_hold_only_their_units(client, world):
    report(world["other_liaison"], world["experts"]["other"], details="获评全国模范教师。")
    report(world["liaison"], world["experts"]["own"])
    client.force_login(world["liaison"])
    for url in ("/admin/experts/?export=csv", "/admin/liaison/reports/?export=csv", "/admin/reports/site-history/"):
        page = content(client.get(url))
        assert "县专家甲" in page, url
        assert "县专家乙" not in page and "全国模范教师" not in page and "市专家甲" not in page, url
    assert len(list(csv.reader(io.StringIO(content(client.get("/admin/experts/?export=csv")))))) == 2  # heading, one


def test_a_unit_liaison_lists_and_opens_only_their_units_experts(client, world):
    client.force_login(world["liaison"])
    response = client.get("/admin/experts/")
    assert [expert.name for expert in response.context["object_list"]] == ["县专家甲"]
    assert client.get("/admin/experts/?q=县专家乙").context["object_list"].count() == 0
    for view in ("inspect", "history", "usage", "edit", "remove"):
        assert refused(client.get(f"/admin/experts/{view}/{world['experts']['other'].pk}/")), view
    assert client.get(f"/admin/experts/inspect/{world['experts']['other'].pk}/").status_code == 404
    assert "县专家甲" in content(client.get(f"/admin/experts/inspect/{world['experts']['own'].pk}/"))
