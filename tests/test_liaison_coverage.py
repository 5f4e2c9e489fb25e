"""Due work and coverage: the must-visit calendar, the six-activity coverage (and its export), a
leader's own page with the admin home's panel, and the liaison section of an expert's detail view;
each as every role sees it, with hostile query values and a constant number of queries."""

import collections
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max, Min
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from base.demo import DEMO_PASSWORD
from experts.models import UnitType
from liaison import calendar, services
from liaison.calendar import VisitStatus, holiday_visits, occasions, year_calendar
from liaison.demo import LEADER_USERNAME, LIAISON_USERNAME, OFFICE_USERNAME, SKIPPED_VISITS
from liaison.models import (
    Body,
    ContactKind,
    ContactRecord,
    EventKind,
    EventReport,
    EventReportLogEntry,
    FollowUp,
    FollowUpStatus,
    Leader,
    MustVisit,
    Pairing,
    ReportStage,
)
from staff.levels import Level
from staff.models import ExportLogEntry
from staff.scoping import visible_rows

from .experts_builders import make_expert, make_staff, make_unit
from .liaison_builders import (
    accepted_report,
    contact,
    make_follow_up,
    make_leader,
    make_leader_user,
    make_liaison,
    make_office_user,
    pair,
)

pytestmark = pytest.mark.django_db

D = datetime.date
SINCE = D(2024, 12, 1)  # the pairings of the fixture run through 2025 and 2026
CALENDAR = "/admin/liaison/calendar/"
COVERAGE = "/admin/liaison/coverage/"
MINE = "/admin/liaison/mine/"
# The lockout counts sign-ins per client address, so a password is only checked within a request.
SIGN_IN = RequestFactory().post("/admin/login/")


@pytest.fixture
def world():
    """A city leader paired with a teacher, a doctor, a scientist and a manager; a county leader
    with a county teacher; the offices, a leader login, a liaison and the talent offices."""
    city = make_staff("city", Level.CITY)
    county = make_staff("xiangzhou", Level.XIANGZHOU)
    county_school = make_unit("象州县中学", Level.XIANGZHOU, UnitType.SCHOOL)
    experts = {
        "teacher": make_expert(city, make_unit("来宾市第一中学", Level.CITY, UnitType.SCHOOL), name="韦某师"),
        "doctor": make_expert(city, make_unit("来宾市人民医院", Level.CITY, UnitType.HOSPITAL), name="覃某医"),
        "scientist": make_expert(
            city, make_unit("来宾市农业科学研究所", Level.CITY, UnitType.RESEARCH_INSTITUTE), name="蓝某研"
        ),
        "manager": make_expert(
            city,
            make_unit("来宾市演示糖业有限公司", Level.CITY, UnitType.ENTERPRISE),
            name="黄某企",
            talent_team="enterprise_management",
        ),
        "county_teacher": make_expert(county, county_school, name="莫某县"),
    }
    city_leader = make_leader("覃某书", Level.CITY, Body.PARTY, post="市委副书记")
    county_leader = make_leader("蓝某县", Level.XIANGZHOU, Body.GOVERNMENT, post="县长")
    for key in ("teacher", "doctor", "scientist", "manager"):
        pair(city_leader, experts[key], started_on=SINCE)
    pair(county_leader, experts["county_teacher"], started_on=SINCE)
    return {
        "city": city,
        "county": county,
        "other_county": make_staff("wuxuan", Level.WUXUAN),
        "experts": experts,
        "city_leader": city_leader,
        "county_leader": county_leader,
        "leader_user": make_leader_user("qinmoushu", city_leader),
        "city_party_office": make_office_user("shiweiban", Body.PARTY, Level.CITY),
        "county_gov_office": make_office_user("xianzhengfuban", Body.GOVERNMENT, Level.XIANGZHOU),
        "liaison": make_liaison("lianluoyuan", county_school),
    }


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def denied(response):
    """Wagtail answers a refused admin view (PermissionDenied) with a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def page_text(response):
    assert response.status_code == 200
    return response.content.decode()


def owed(visits):
    return {(visit.expert_name, visit.reason, visit.date) for visit in visits}


def statuses(visits):
    return {(visit.expert_name, visit.reason): visit.status for visit in visits}


SEPTEMBER_20 = D(2026, 9, 20)


def city_leader_visits(world, today=SEPTEMBER_20):
    return holiday_visits(Leader.objects.filter(pk=world["city_leader"].pk), 2026, today)


# The calendar -----------------------------------------------------------------------------------


STATUTORY = {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}
PROFESSIONAL = {"护士节", "全国科技工作者日", "中国医师节", "教师节"}


def test_the_2026_calendar_takes_the_festivals_from_the_library_and_adds_professional_days(monkeypatch):
    days = {occasion.name: (occasion.date, occasion.unit_type) for occasion in occasions(2026)}
    assert days == {
        "元旦": (D(2026, 1, 1), ""),
        "春节": (D(2026, 2, 17), ""),  # 正月初一, not 除夕 (2-16), a holiday too since 2025
        "清明节": (D(2026, 4, 5), ""),
        "劳动节": (D(2026, 5, 1), ""),
        "端午节": (D(2026, 6, 19), ""),
        "中秋节": (D(2026, 9, 25), ""),
        "国庆节": (D(2026, 10, 1), ""),
        "护士节": (D(2026, 5, 12), UnitType.HOSPITAL),
        "全国科技工作者日": (D(2026, 5, 30), UnitType.RESEARCH_INSTITUTE),
        "中国医师节": (D(2026, 8, 19), UnitType.HOSPITAL),
        "教师节": (D(2026, 9, 10), UnitType.SCHOOL),
    }
    assert [occasion.date for occasion in occasions(2026)] == sorted(date for date, _ in days.values())
    assert {occasion.name: occasion.date for occasion in occasions(2027)}["春节"] == D(2027, 2, 6)

    # The dates are the library's, not a table of ours: move its Spring Festival and the calendar follows.
    library = calendar.china

    def moved_spring_festival(years):
        found = library(years)
        for day in found.get_named("春节", "exact"):
            del found[day]
        found[D(2026, 3, 3)] = "春节"
        return found

    monkeypatch.setattr(calendar, "china", moved_spring_festival)
    assert {occasion.name: occasion.date for occasion in occasions(2026)}["春节"] == D(2026, 3, 3)


@pytest.mark.parametrize("year", [2008, 2009, 2012, 2015, 2020, 2025, 2026, 2050, calendar.LAST_YEAR])
def test_every_statutory_holiday_is_one_occasion_without_rest_make_up_or_one_off_days(year):
    # 2008-2013 and from 2025 农历除夕 is a holiday; 2009 and 2020 have 中秋节 on a 国庆节 day;
    # 2015 a victory anniversary, 2020 an extended Spring Festival; every year rest and make-up days.
    assert calendar.statutory_holidays() == STATUTORY
    names = [occasion.name for occasion in occasions(year)]
    assert sorted(names) == sorted(STATUTORY | PROFESSIONAL)
    first = {occasion.name: occasion.date for occasion in occasions(year)}
    assert (first["元旦"], first["劳动节"], first["国庆节"]) == (D(year, 1, 1), D(year, 5, 1), D(year, 10, 1))


def test_mid_autumn_on_national_day_owes_two_visits_one_visit_does_both(world):
    days = [(occasion.name, occasion.date) for occasion in occasions(2020)]
    assert ("中秋节", D(2020, 10, 1)) in days and ("国庆节", D(2020, 10, 1)) in days
    leader, teacher = world["city_leader"], world["experts"]["teacher"]
    Pairing.objects.filter(leader=leader).update(started_on=D(2019, 12, 1))
    contact([leader], [teacher], kind=ContactKind.HOLIDAY_VISIT, date=D(2020, 9, 28))
    visits = holiday_visits(Leader.objects.filter(pk=leader.pk), 2020, D(2020, 12, 31))
    found = statuses(visits)
    assert found[("韦某师", "中秋节")] == found[("韦某师", "国庆节")] == VisitStatus.DONE
    assert found[("覃某医", "中秋节")] == found[("覃某医", "国庆节")] == VisitStatus.OVERDUE


def test_each_paired_expert_is_owed_the_festivals_and_the_days_of_their_unit_type(world):
    festivals = {
        ("元旦", D(2026, 1, 1)),
        ("春节", D(2026, 2, 17)),
        ("清明节", D(2026, 4, 5)),
        ("劳动节", D(2026, 5, 1)),
        ("端午节", D(2026, 6, 19)),
        ("中秋节", D(2026, 9, 25)),
        ("国庆节", D(2026, 10, 1)),
    }
    expected = {
        "韦某师": festivals | {("教师节", D(2026, 9, 10))},
        "覃某医": festivals | {("护士节", D(2026, 5, 12)), ("中国医师节", D(2026, 8, 19))},
        "蓝某研": festivals | {("全国科技工作者日", D(2026, 5, 30))},
        "黄某企": festivals,
    }
    assert owed(city_leader_visits(world)) == {
        (name, reason, date) for name, days in expected.items() for reason, date in days
    }


def test_only_pairings_running_on_the_day_owe_its_visit(world):
    late = make_expert(world["city"], make_unit("来宾市第一中学", Level.CITY, UnitType.SCHOOL), name="陆某新")
    early = make_expert(world["city"], make_unit("来宾市第一中学", Level.CITY, UnitType.SCHOOL), name="梁某旧")
    pair(world["city_leader"], late, started_on=D(2026, 3, 1))
    pair(world["city_leader"], early, started_on=SINCE, ended_on=D(2026, 6, 30))
    reasons = {}
    for name, reason, _ in owed(city_leader_visits(world)):
        reasons.setdefault(name, set()).add(reason)
    assert reasons["陆某新"] == {"清明节", "劳动节", "端午节", "教师节", "中秋节", "国庆节"}  # paired after 春节
    assert reasons["梁某旧"] == {"元旦", "春节", "清明节", "劳动节", "端午节"}  # ended before 教师节


# The leaders' visits are read by their ids (a few leaders) or among all the period's visits (many).
@pytest.mark.parametrize("looked_up_by_id", [20, 0])
def test_a_holiday_visit_in_the_window_is_done_one_outside_it_or_of_another_kind_is_not(
    world, monkeypatch, looked_up_by_id
):
    monkeypatch.setattr(calendar, "LEADERS_LOOKED_UP_BY_ID", looked_up_by_id)
    leader, experts = world["city_leader"], world["experts"]
    # A group visit before the Spring Festival does it for both experts in it.
    contact([leader], [experts["teacher"], experts["doctor"]], kind=ContactKind.HOLIDAY_VISIT, date=D(2026, 2, 10))
    # Too late for the Spring Festival (its window closes on 4 March).
    contact([leader], [experts["scientist"]], kind=ContactKind.HOLIDAY_VISIT, date=D(2026, 3, 10))
    # A greeting in the overlap of 教师节 (26 Aug – 25 Sep) and 中秋节 (10 Sep – 10 Oct) counts for both.
    contact([leader], [experts["teacher"]], kind=ContactKind.HOLIDAY_GREETING, date=D(2026, 9, 12))
    # A symposium in the window is not a holiday visit; another leader's visit is not this leader's.
    contact([leader], [experts["doctor"]], kind=ContactKind.SYMPOSIUM, date=D(2026, 9, 15))
    contact([world["county_leader"]], [experts["manager"]], kind=ContactKind.HOLIDAY_VISIT, date=D(2026, 2, 16))
    # 元旦's window opens in the December before; 国庆节's (16 Sep – 16 Oct) overlaps 中秋节's.
    contact([leader], [experts["manager"]], kind=ContactKind.HOLIDAY_VISIT, date=D(2025, 12, 20))
    contact([leader], [experts["scientist"]], kind=ContactKind.HOLIDAY_VISIT, date=D(2026, 9, 18))

    found = statuses(city_leader_visits(world, today=D(2026, 9, 20)))
    assert found[("韦某师", "春节")] == VisitStatus.DONE
    assert found[("覃某医", "春节")] == VisitStatus.DONE
    assert found[("蓝某研", "春节")] == VisitStatus.OVERDUE
    assert found[("黄某企", "春节")] == VisitStatus.OVERDUE
    assert found[("韦某师", "教师节")] == VisitStatus.DONE
    assert found[("韦某师", "中秋节")] == VisitStatus.DONE
    assert found[("覃某医", "中秋节")] == VisitStatus.DUE  # the window is open on 20 September
    assert found[("覃某医", "中国医师节")] == VisitStatus.OVERDUE
    assert found[("韦某师", "国庆节")] == VisitStatus.DUE  # the greeting of 12 Sep is before its window
    assert found[("蓝某研", "中秋节")] == found[("蓝某研", "国庆节")] == VisitStatus.DONE
    assert found[("黄某企", "元旦")] == VisitStatus.DONE
    assert found[("黄某企", "清明节")] == found[("黄某企", "端午节")] == VisitStatus.OVERDUE
    done = next(v for v in city_leader_visits(world) if (v.expert_name, v.reason) == ("韦某师", "春节"))
    assert done.done_on == D(2026, 2, 10)

    before = statuses(city_leader_visits(world, today=D(2026, 1, 10)))
    assert before[("覃某医", "中秋节")] == VisitStatus.UPCOMING
    assert before[("蓝某研", "春节")] == VisitStatus.UPCOMING
    assert before[("蓝某研", "元旦")] == VisitStatus.DUE  # open until 16 January
    assert statuses(city_leader_visits(world, today=D(2026, 2, 1)))[("蓝某研", "春节")] == VisitStatus.UPCOMING
    assert statuses(city_leader_visits(world, today=D(2026, 2, 2)))[("蓝某研", "春节")] == VisitStatus.DUE
    assert statuses(city_leader_visits(world, today=D(2026, 3, 5)))[("蓝某研", "春节")] == VisitStatus.OVERDUE


def test_a_calendar_row_counts_owed_done_due_and_overdue_and_lists_per_holiday(world):
    leader = world["city_leader"]
    contact([leader], [world["experts"]["teacher"]], kind=ContactKind.HOLIDAY_VISIT, date=D(2026, 2, 10))
    report = accepted_report(world["experts"]["doctor"], EventKind.ACHIEVEMENT, world["city"], world["city"])
    visit = MustVisit.objects.get(report=report)
    created = timezone.make_aware(datetime.datetime(2026, 9, 1, 10))
    MustVisit.objects.filter(pk=visit.pk).update(due_on=D(2026, 10, 1), created_at=created)
    [row] = year_calendar(Leader.objects.filter(pk=leader.pk), MustVisit.objects.all(), 2026, today=D(2026, 9, 20))
    # Owed: seven festivals for each of the four, a day of their unit type each but two for the
    # doctor, the report's visit. Due: 教师节 for the teacher, 中秋节 and 国庆节 for all four, the
    # report's visit; overdue: the festivals up to 端午节 (but the teacher's Spring Festival) and
    # 护士节, 中国医师节 and 全国科技工作者日.
    assert (row.owed, row.done, row.due, row.overdue, row.upcoming) == (33, 1, 10, 22, 0)
    groups = {(reason, date): [visit.expert_name for visit in visits] for reason, date, visits in row.by_reason()}
    assert [reason for reason, _ in groups] == [
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "护士节",
        "全国科技工作者日",
        "端午节",
        "中国医师节",
        "教师节",
        "中秋节",
        "国庆节",
        "获得重大成就必访",
    ]
    assert groups[("春节", D(2026, 2, 17))] == ["蓝某研", "覃某医", "韦某师", "黄某企"]
    assert groups[("国庆节", D(2026, 10, 1))] == ["蓝某研", "覃某医", "韦某师", "黄某企"]
    assert groups[("获得重大成就必访", None)] == ["覃某医"]


def test_the_calendar_page_shows_each_role_its_own_leaders_and_the_report_visits(client, world):
    contact([world["city_leader"]], [world["experts"]["teacher"]], kind=ContactKind.HOLIDAY_VISIT, date=D(2025, 1, 25))
    report = accepted_report(world["experts"]["doctor"], EventKind.ACHIEVEMENT, world["city"], world["city"])
    MustVisit.objects.filter(report=report).update(due_on=D(2025, 11, 30))
    url = f"{CALENDAR}?year=2025"
    city_page = page_text(get(client, world["city"], url))
    assert "覃某书" in city_page and "蓝某县" in city_page
    assert "获得重大成就必访" in city_page
    assert "1月29日" in city_page  # 2025's Spring Festival, from the library
    for user, shown, hidden in [
        ("county", "蓝某县", "覃某书"),
        ("leader_user", "覃某书", "蓝某县"),
        ("city_party_office", "覃某书", "蓝某县"),
        ("county_gov_office", "蓝某县", "覃某书"),
    ]:
        text = page_text(get(client, world[user], url))
        assert shown in text and hidden not in text, user
    other = page_text(get(client, world["other_county"], url))
    assert "覃某书" not in other and "蓝某县" not in other and "没有符合条件的在任领导" in other
    assert denied(get(client, world["liaison"], url))


def test_the_calendar_page_filters_by_level_and_overdue(client, world):
    four = [world["experts"][key] for key in ("teacher", "doctor", "scientist", "manager")]
    # 元旦, 春节, 清明节, 劳动节, 端午节, and 中秋节 (6 Oct) with 国庆节 in one visit.
    for date in (D(2025, 1, 1), D(2025, 1, 25), D(2025, 4, 4), D(2025, 5, 1), D(2025, 5, 31), D(2025, 10, 1)):
        contact([world["city_leader"]], four, kind=ContactKind.HOLIDAY_VISIT, date=date)
    contact([world["city_leader"]], [world["experts"]["teacher"]], kind=ContactKind.HOLIDAY_VISIT, date=D(2025, 9, 8))
    contact([world["city_leader"]], [world["experts"]["doctor"]], kind=ContactKind.HOLIDAY_VISIT, date=D(2025, 5, 12))
    contact([world["city_leader"]], [world["experts"]["doctor"]], kind=ContactKind.HOLIDAY_VISIT, date=D(2025, 8, 19))
    contact(
        [world["city_leader"]], [world["experts"]["scientist"]], kind=ContactKind.HOLIDAY_VISIT, date=D(2025, 5, 30)
    )
    overdue_only = page_text(get(client, world["city"], f"{CALENDAR}?year=2025&overdue_only=on"))
    assert "蓝某县" in overdue_only and "覃某书" not in overdue_only  # every visit of 覃某书 was made
    by_level = page_text(get(client, world["city"], f"{CALENDAR}?year=2025&level=xiangzhou"))
    assert "蓝某县" in by_level and "覃某书" not in by_level


HOSTILE_YEARS = ["abc", "0", "-1", "2007", "99999", "2026abc", "１２３", "2026.5", "1" * 400]


@pytest.mark.parametrize("url", [CALENDAR, COVERAGE])
@pytest.mark.parametrize("year", HOSTILE_YEARS)
def test_a_bad_year_gets_a_chinese_message_and_this_years_figures(client, world, url, year):
    text = page_text(get(client, world["city"], f"{url}?year={year}"))
    assert "id_year-error" in text
    assert any(message in text for message in ("年度请填写四位数字的年份", "年度不能早于2008年", "年度不能晚于2100年"))
    assert f"现显示{timezone.localdate().year}年的情况" in text


@pytest.mark.parametrize("url", [CALENDAR, COVERAGE])
def test_no_year_means_this_year_without_a_message(client, world, url):
    text = page_text(get(client, world["city"], url))
    assert "id_year-error" not in text
    assert f"{timezone.localdate().year}年" in text
    assert "id_year-error" not in page_text(get(client, world["city"], f"{url}?year=2025"))


# Six-activity coverage -----------------------------------------------------------------------------


def coverage_rows(response):
    """{expert name: (ticks as ✓/blank, "n/6")} read from the coverage table."""
    from html.parser import HTMLParser

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.cells, self.cell, self.in_body = [], None, None, False

        def handle_starttag(self, tag, attrs):
            if tag == "tbody":
                self.in_body = True
            elif tag == "tr" and self.in_body:
                self.cells = []
            elif tag in ("td", "th") and self.cells is not None:
                self.cell = ""

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.cells.append(self.cell.strip())
                self.cell = None
            elif tag == "tr" and self.cells is not None:
                self.rows.append(self.cells)
                self.cells = None
            elif tag == "tbody":
                self.in_body = False

        def handle_data(self, data):
            if self.cell is not None:
                self.cell += data

    parser = Rows()
    text = page_text(response)
    if "liaison-table" in text:  # the coverage table, not the page's other tables (keyboard shortcuts)
        parser.feed(text.split('<table class="listing liaison-table">')[1].split("</table>")[0])
    return {
        cells[0]: ("".join("✓" if "已开展" in cell else "·" for cell in cells[4:10]), cells[10])
        for cells in parser.rows
    }


def test_the_coverage_follows_every_change_of_the_contact_records(client, world, django_capture_on_commit_callbacks):
    """The year's activities are kept in the cache between requests; adding, editing, regrouping and
    deleting a record each shows at the next request."""
    experts, leader = world["experts"], world["city_leader"]

    def teacher_row():
        return coverage_rows(get(client, world["city"], f"{COVERAGE}?year=2026"))["韦某师"]

    assert teacher_row() == ("······", "0/6")
    with django_capture_on_commit_callbacks(execute=True):
        record = contact([leader], [experts["doctor"]], kind=ContactKind.ONLINE, date=D(2026, 4, 2))
    assert teacher_row() == ("······", "0/6")
    with django_capture_on_commit_callbacks(execute=True):
        record.experts.add(experts["teacher"])  # the group grows
    assert teacher_row() == ("··✓···", "1/6")
    with django_capture_on_commit_callbacks(execute=True):
        record.kind = ContactKind.BRIEFING
        record.save()
    assert teacher_row() == ("···✓··", "1/6")
    with django_capture_on_commit_callbacks(execute=True):
        record.date = D(2025, 12, 31)  # into another year
        record.save()
    assert teacher_row() == ("······", "0/6")
    with django_capture_on_commit_callbacks(execute=True):
        record.date = D(2026, 1, 2)
        record.save()
        record.delete()
    assert teacher_row() == ("······", "0/6")


def test_a_group_activity_counts_for_each_expert_in_it(client, world):
    experts, leader = world["experts"], world["city_leader"]
    contact([leader], [experts["teacher"], experts["doctor"], experts["county_teacher"]], date=D(2026, 4, 2))
    contact([leader], [experts["teacher"]], kind=ContactKind.HOLIDAY_VISIT, date=D(2026, 2, 10))  # counts as 节日慰问
    contact([leader], [experts["teacher"]], kind=ContactKind.STUDY, date=D(2025, 12, 20))  # another year
    contact([leader], [experts["doctor"]], kind=ContactKind.FIELD_VISIT, date=D(2026, 5, 1))  # not one of the six
    for kind in (ContactKind.ONLINE, ContactKind.BRIEFING, ContactKind.WORK_REPORT, ContactKind.STUDY):
        contact([leader], [experts["scientist"]], kind=kind, date=D(2026, 6, 1))
    response = get(client, world["city"], f"{COVERAGE}?year=2026")
    rows = coverage_rows(response)
    assert rows["韦某师"] == ("✓✓····", "2/6")
    assert rows["覃某医"] == ("·✓····", "1/6")
    assert rows["莫某县"] == ("·✓····", "1/6")
    assert rows["蓝某研"] == ("··✓✓✓✓", "4/6")
    assert rows["黄某企"] == ("······", "0/6")
    foot = page_text(response).split("<tfoot>")[1]
    assert [cell.split("</td>")[0] for cell in foot.split('<td class="liaison-tick">')[1:]] == [
        "1",
        "3",
        "1",
        "1",
        "1",
        "1",
        "齐全 0",
    ]
    assert rows.keys() == {"韦某师", "覃某医", "莫某县", "蓝某研", "黄某企"}
    assert set(coverage_rows(get(client, world["county"], f"{COVERAGE}?year=2026"))) == {"莫某县"}


def test_an_expert_with_all_six_is_counted_complete(client, world):
    for kind in (
        ContactKind.HOLIDAY_GREETING,
        ContactKind.SYMPOSIUM,
        ContactKind.ONLINE,
        ContactKind.BRIEFING,
        ContactKind.WORK_REPORT,
        ContactKind.STUDY,
    ):
        contact([world["city_leader"]], [world["experts"]["teacher"]], kind=kind, date=D(2026, 3, 3))
    response = get(client, world["city"], f"{COVERAGE}?year=2026")
    assert coverage_rows(response)["韦某师"] == ("✓✓✓✓✓✓", "6/6")
    assert "六项活动全部开展的 <strong>1</strong> 名" in page_text(response)


def test_coverage_filters_by_level_team_and_leader(client, world):
    def listed(query, year=2026):
        return set(coverage_rows(get(client, world["city"], f"{COVERAGE}?year={year}&{query}")))

    assert listed("level=xiangzhou") == {"莫某县"}
    assert listed("talent_team=enterprise_management") == {"黄某企"}
    assert listed(f"leader={world['county_leader'].pk}") == {"莫某县"}
    assert listed(f"leader={world['city_leader'].pk}&level=city") == {"韦某师", "覃某医", "蓝某研", "黄某企"}
    # A pairing counts for the years it ran in.
    pair(world["county_leader"], world["experts"]["manager"], started_on=D(2024, 1, 1), ended_on=D(2025, 6, 30))
    assert listed(f"leader={world['county_leader'].pk}") == {"莫某县"}
    assert listed(f"leader={world['county_leader'].pk}", year=2025) == {"莫某县", "黄某企"}


@pytest.mark.parametrize("value", ["999999", "abc", "-1"])
def test_a_leader_outside_the_scope_or_made_up_is_refused_next_to_the_field(client, world, value):
    value = value if value != "999999" else str(world["city_leader"].pk)  # not the county's leader
    response = get(client, world["county"], f"{COVERAGE}?year=2026&leader={value}")
    text = page_text(response)
    assert 'id="id_leader-error"' in text and "请从列表中选择联系领导" in text
    assert set(coverage_rows(response)) == {"莫某县"}  # the filter is left out, the scope kept
    assert "覃某书" not in text


def test_coverage_is_for_the_talent_offices(client, world):
    for user in ("leader_user", "city_party_office", "liaison"):
        assert denied(get(client, world[user], f"{COVERAGE}?year=2026")), user


def test_the_coverage_export_writes_every_filtered_row_and_is_logged(client, world):
    experts = world["experts"]
    contact([world["city_leader"]], [experts["teacher"], experts["county_teacher"]], date=D(2026, 4, 2))
    response = get(client, world["county"], f"{COVERAGE}?year=2026&export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:5] == ("姓名", "工作单位", "属地", "人才队伍", "节日慰问")
    assert rows[1] == ("莫某县", "象州县中学", "象州县", "专业技术人才", None, "√", None, None, None, None, 1)
    assert rows[-1][0] == "合计（人）" and rows[-1][5] == 1
    assert len(rows) == 3  # the county's one expert, between the headings and the totals
    entry = ExportLogEntry.objects.get(action="liaison.coverage.export")
    assert (entry.data["rows"], entry.data["format"], entry.level) == (1, "xlsx", Level.XIANGZHOU)


# A leader's own page ------------------------------------------------------------------------------


def test_a_leader_sees_their_experts_last_contacts_due_visits_gaps_and_open_follow_ups(client, world):
    leader, experts, today = world["city_leader"], world["experts"], timezone.localdate()
    spring = next(occasion for occasion in occasions(today.year) if occasion.name == "春节")
    contact([leader], [experts["teacher"], experts["doctor"]], kind=ContactKind.HOLIDAY_VISIT, date=spring.date)
    record = contact([leader], [experts["doctor"]], kind=ContactKind.SYMPOSIUM, date=today)
    make_follow_up(record, experts["doctor"], today - datetime.timedelta(days=3), problem="科研用房不足")
    make_follow_up(record, experts["doctor"], today, status=FollowUpStatus.SOLVED, problem="已解决的问题")
    accepted_report(experts["scientist"], EventKind.ACHIEVEMENT, world["city"], world["city"])

    text = page_text(get(client, world["leader_user"], MINE))
    assert "我的联系服务" in text and 'name="leader"' not in text  # a leader has no one else to choose
    assert f"{today:%Y-%m-%d}" in text and "尚无联系记录" in text  # the doctor's and the manager's
    assert "获得重大成就必访" in text and "蓝某研" in text
    visits_table = BeautifulSoup(text, "html.parser").find(id="visits-heading").find_next("table")
    reasons = collections.Counter(row.td.get_text(strip=True) for row in visits_table.tbody.find_all("tr"))
    # This year's visits not made: each festival for the four experts, but the Spring Festival for
    # two (the teacher's and the doctor's were made), the days of their unit types, the report's.
    assert reasons == {
        **dict.fromkeys(STATUTORY - {"春节"}, 4),
        "春节": 2,
        **dict.fromkeys(PROFESSIONAL, 1),
        "获得重大成就必访": 1,
    }
    assert "科研用房不足" in text and "已超期" in text and "已解决的问题" not in text
    experts_table = text.split('id="experts-heading"')[1].split("</table>")[0]
    gaps = {name: experts_table.split(name)[1].split("</tr>")[0] for name in ("韦某师", "覃某医", "黄某企")}
    assert "节日慰问" not in gaps["韦某师"] and "座谈交流" in gaps["韦某师"]
    assert "座谈交流" not in gaps["覃某医"] and "节日慰问" not in gaps["覃某医"]
    assert "节日慰问" in gaps["黄某企"]


def test_a_leader_cannot_open_another_leaders_page(client, world):
    for value in (world["county_leader"].pk, "abc", "-1", "999999"):
        assert get(client, world["leader_user"], f"{MINE}?leader={value}").status_code == 404, value


def test_offices_choose_among_the_leaders_they_may_see(client, world):
    city_leader, county_leader = world["city_leader"], world["county_leader"]
    office = page_text(get(client, world["city_party_office"], MINE))
    assert "覃某书" in office and "领导工作台" in office
    assert get(client, world["city_party_office"], f"{MINE}?leader={county_leader.pk}").status_code == 404
    assert "蓝某县" in page_text(get(client, world["county_gov_office"], f"{MINE}?leader={county_leader.pk}"))
    assert get(client, world["county"], f"{MINE}?leader={city_leader.pk}").status_code == 404
    assert "莫某县" in page_text(get(client, world["county"], f"{MINE}?leader={county_leader.pk}"))
    city_page = page_text(get(client, world["city"], f"{MINE}?leader={county_leader.pk}"))
    assert 'name="leader"' in city_page and "莫某县" in city_page
    assert "没有可查看的联系领导" in page_text(get(client, world["other_county"], MINE))
    assert denied(get(client, world["liaison"], MINE))


def test_the_admin_home_shows_leaders_and_their_offices_a_panel(client, world):
    record = contact([world["city_leader"]], [world["experts"]["doctor"]], date=timezone.localdate())
    make_follow_up(record, world["experts"]["doctor"], timezone.localdate() - datetime.timedelta(days=1))
    leader_home = page_text(get(client, world["leader_user"], "/admin/"))
    assert "查看我的联系服务" in leader_home and f'href="{MINE}"' in leader_home
    assert "未办结的问题 <strong>1</strong> 件" in leader_home
    assert "查看本班子领导的联系服务" in page_text(get(client, world["city_party_office"], "/admin/"))
    assert "liaison-leader-dashboard" not in page_text(get(client, world["city"], "/admin/"))


# The expert's detail view ---------------------------------------------------------------------------


def inspect(client, user, expert):
    return get(client, user, f"/admin/experts/inspect/{expert.pk}/")


def test_the_expert_detail_lists_pairings_contacts_reports_and_follow_ups_newest_first(client, world):
    expert = world["experts"]["county_teacher"]
    older = contact([world["county_leader"]], [expert], kind=ContactKind.BRIEFING, date=D(2026, 3, 1))
    contact([world["county_leader"]], [expert], kind=ContactKind.ONLINE, date=D(2026, 6, 1))
    make_follow_up(older, expert, D(2026, 4, 1), problem="职称评审咨询")
    accepted_report(expert, EventKind.POST_CHANGE, world["liaison"], world["county"])
    text = page_text(inspect(client, world["county"], expert))
    section = text.split('id="liaison-heading"')[1]
    assert (
        section.index("结对联系") < section.index("联系服务记录") < section.index("五报告") < section.index("问题跟踪")
    )
    assert "蓝某县" in section and "结对中" in section
    assert section.index("线上互动") < section.index("工作通报")  # newest first
    assert "岗位职务重大变动" in section and ReportStage.CITY.label in section
    assert "职称评审咨询" in section


def test_the_expert_detail_section_follows_the_viewers_scope(client, world):
    expert = world["experts"]["county_teacher"]
    contact([world["county_leader"]], [expert], kind=ContactKind.SYMPOSIUM, date=D(2026, 3, 1))
    health = accepted_report(expert, EventKind.HEALTH, world["liaison"])
    health.details = "住院治疗（敏感）。"
    health.save()

    # The liaison who filed it sees the reports (and the details), not the pairings or contacts.
    filer = page_text(inspect(client, world["liaison"], expert)).split('id="liaison-heading"')[1]
    assert "住院治疗（敏感）" in filer and "五报告" in filer
    assert "结对联系" not in filer and "联系服务记录" not in filer and "座谈交流" not in filer
    # Another liaison of the same unit sees that there is a report, not what it says.
    colleague = make_liaison("lianluoyuan2", expert.unit)
    other = page_text(inspect(client, colleague, expert))
    assert "本人重大健康状况" in other and "住院治疗（敏感）" not in other and "涉及个人敏感信息" in other
    # The county's office and the city's read everything; another county does not find the expert.
    for user in ("county", "city"):
        text = page_text(inspect(client, world[user], expert))
        assert "住院治疗（敏感）" in text and "座谈交流" in text, user
    # Each of them who read the details is in the report's history; the colleague who did not is not.
    readers = EventReportLogEntry.objects.filter(report=health, action="liaison.report.read_sensitive")
    assert set(readers.values_list("user_id", flat=True)) == {world[user].pk for user in ("liaison", "county", "city")}
    assert inspect(client, world["other_county"], expert).status_code == 404
    # A liaison of another unit does not find the expert either.
    outsider = make_liaison("lianluoyuan3", make_unit("象州县第二中学", Level.XIANGZHOU, UnitType.SCHOOL))
    assert inspect(client, outsider, expert).status_code == 404


# Constant queries ------------------------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)  # warm caches (content types, site, the user's groups)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(world, copies):
    """More leaders, experts, pairings, contacts, follow-ups and must-visits: `copies` of each."""
    city = world["city"]
    unit = make_unit("来宾市人民医院", Level.CITY, UnitType.HOSPITAL)
    for number in range(copies):
        leader = make_leader(f"新领导{number}", Level.CITY, Body.GOVERNMENT)
        experts = [make_expert(city, unit) for _ in range(2)]
        for expert in experts:
            pair(leader, expert, started_on=SINCE)
            pair(world["city_leader"], expert, started_on=SINCE)
        record = contact([leader, world["city_leader"]], experts, kind=ContactKind.HOLIDAY_VISIT, date=D(2026, 2, 10))
        contact([world["city_leader"]], experts, kind=ContactKind.SYMPOSIUM, date=timezone.localdate())
        make_follow_up(record, experts[0], timezone.localdate())
        accepted_report(experts[1], EventKind.ACHIEVEMENT, city, city)


@pytest.mark.parametrize(
    ("user", "url"),
    [
        ("city", f"{CALENDAR}?year=2026"),
        ("city", f"{COVERAGE}?year=2026"),
        ("city", f"{COVERAGE}?year=2026&level=city&talent_team=professional_technical"),
        ("leader_user", MINE),
        ("city", MINE),
        ("leader_user", "/admin/"),
    ],
)
def test_queries_do_not_grow_with_leaders_experts_and_contacts(client, world, user, url):
    client.force_login(world[user])
    grow(world, 1)
    few = count_queries(client, url)
    grow(world, 6)
    assert count_queries(client, url) == few


def test_the_expert_detail_section_queries_do_not_grow_with_rows(client, world):
    expert = world["experts"]["doctor"]
    client.force_login(world["city"])
    url = f"/admin/experts/inspect/{expert.pk}/"
    contact([world["city_leader"]], [expert], date=D(2026, 3, 1))
    few = count_queries(client, url)
    for number in range(8):
        leader = make_leader(f"新领导{number}", Level.CITY, Body.GOVERNMENT)
        pair(leader, expert, started_on=SINCE)
        record = contact([leader, world["city_leader"]], [expert], date=D(2026, 3, 2))
        make_follow_up(record, expert, D(2026, 4, 1))
        accepted_report(expert, EventKind.POST_CHANGE, world["city"])
    assert count_queries(client, url) == few


# The demo -----------------------------------------------------------------------------------------


def test_the_demo_shows_every_case_of_the_liaison_work(client):
    output = io.StringIO()
    call_command("load_demo_content", stdout=output, allow_demo_without_debug=True)
    for username in (LEADER_USERNAME, OFFICE_USERNAME, LIAISON_USERNAME):
        assert f"用户名 {username}  密码 {DEMO_PASSWORD}" in output.getvalue()
    assert services.under_quota(Leader.objects.all()).exists()
    assert Leader.objects.filter(level=Level.CITY).exists() and Leader.objects.exclude(level=Level.CITY).exists()
    assert Pairing.objects.filter(ended_on__isnull=False).exists()
    assert ContactRecord.objects.annotate(experts_in=Count("experts")).filter(experts_in__gt=5).exists()
    first, last = ContactRecord.objects.aggregate(first=Min("date"), last=Max("date")).values()
    assert (last - first).days >= 180 and last <= timezone.localdate()
    assert FollowUp.objects.overdue().exists() and FollowUp.objects.filter(status=FollowUpStatus.SOLVED).exists()
    assert set(EventReport.objects.values_list("stage", flat=True)) == set(ReportStage.values)
    returned = EventReport.objects.get(stage=ReportStage.RETURNED)
    assert returned.steps.filter(action="returned").exclude(comment="").exists()
    assert MustVisit.objects.filter(done_by__isnull=False).exists()
    assert all("某" in name for name in Leader.objects.values_list("name", flat=True))
    # The calendar's overdue holiday visits of the last twelve months are those the demo skips, and
    # a visit for a nearby day (国庆节 near 中秋节) does not make up for a skipped one.
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=365)
    overdue = {
        (row.leader.name, visit.reason)
        for year in (today.year - 1, today.year)
        for row in year_calendar(Leader.objects.all(), MustVisit.objects.none(), year, today)
        for visit in row.visits
        if visit.status == VisitStatus.OVERDUE and visit.occasion.opens >= year_ago
    }
    closed = {
        occasion.name
        for year in (today.year - 1, today.year)
        for occasion in occasions(year)
        if occasion.opens >= year_ago and occasion.closes < today
    }
    assert {(name, reason) for name, reason in SKIPPED_VISITS if reason in closed} <= overdue
    assert {name for name, _ in overdue} <= {name for name, _ in SKIPPED_VISITS}

    leader_user = authenticate(SIGN_IN, username=LEADER_USERNAME, password=DEMO_PASSWORD)
    client.force_login(leader_user)
    text = page_text(client.get(MINE))
    assert leader_user.leader.name in text and "获得重大成就必访" in text
    liaison = authenticate(SIGN_IN, username=LIAISON_USERNAME, password=DEMO_PASSWORD)
    assert set(services.reports_waiting_for(authenticate(SIGN_IN, username="rcb_xingbin", password=DEMO_PASSWORD)))
    assert visible_rows(liaison, EventReport).count() == EventReport.objects.count()
