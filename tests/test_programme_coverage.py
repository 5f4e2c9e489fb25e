"""The yearly coverage screen the programme's chapters share (/admin/care/coverage/, programme/coverage.py),
on a hand-built fixture with exact figures: who counts (the year's active experts the user sees), what
counts (attendance for checkups and lectures, any status for recuperation, any record for family
support), by level and team, the not-served list, the XLSX export and its log, and the query count."""

import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from base import generations
from care.models import CheckupRound, FamilySupport, GreenChannelRequest, HealthLecture, RecuperationTrip
from experts.models import Expert
from experts.services import remove_expert
from programme.coverage import COVERAGE_EXPORT_ACTION, Coverage, CoverageView
from programme.kinds import SERVED_GENERATION
from programme.models import AttendanceStatus
from staff.levels import Level
from staff.models import ExportLogEntry

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .programme_builders import make_activity, make_expert_record

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year
LAST = YEAR - 1
ATTENDED, DECLINED, INVITED = AttendanceStatus.ATTENDED, AttendanceStatus.DECLINED, AttendanceStatus.INVITED
TECH, SKILLED = "professional_technical", "highly_skilled"
URL = "/admin/care/coverage/"
# The coverage kinds of the care chapter, in the table's order (the green channel counts nothing).
KINDS = ["参加集中体检", "安排休假疗养", "参加健康讲座", "家属帮扶"]


def day(year, month, day_):
    return datetime.date(year, month, day_)


@pytest.fixture
def world():
    """Experts of the city (C1, C2), 兴宾区 (X1, X2, X3 and XR, removed today) and 合山市 (H1, H2), all
    in the database since two years ago; each line below says who a record serves in which year."""
    root = make_superuser()
    units = {level: make_unit(f"{level.label}医院", level) for level in (Level.CITY, Level.XINGBIN, Level.HESHAN)}
    joined = f"{YEAR - 2}-03-01"

    def expert(name, level, team):
        return make_expert(root, units[level], name=name, talent_team=team, joined_on=joined)

    e = {
        "C1": expert("城一", Level.CITY, TECH),
        "C2": expert("城二", Level.CITY, SKILLED),
        "X1": expert("兴一", Level.XINGBIN, TECH),
        "X2": expert("兴二", Level.XINGBIN, TECH),
        "X3": expert("兴三", Level.XINGBIN, SKILLED),
        "XR": expert("兴调出", Level.XINGBIN, TECH),
        "H1": expert("合一", Level.HESHAN, SKILLED),
        "H2": expert("合二", Level.HESHAN, SKILLED),
    }
    remove_expert(e["XR"], date=TODAY, reason="left_city", basis="调离本市。", user=root)

    def checkup(level, date, attendances, hospital="医院"):
        round_ = make_activity(CheckupRound, [], level=level, date=date, hospital=hospital)
        for key, status in attendances:
            round_.attendances.create(expert=e[key], status=status)
        return round_

    # This year's checkups: C1, X1 (the city round only), X2, X3, H1 (on 31 December); not C2 (declined),
    # H2 (only invited) nor XR (removed this year, though attended).
    checkup(Level.CITY, day(YEAR, 3, 1), [("C1", ATTENDED), ("C2", DECLINED), ("X1", ATTENDED), ("H2", INVITED)])
    checkup(Level.XINGBIN, day(YEAR, 4, 1), [("X2", ATTENDED), ("X3", ATTENDED), ("XR", ATTENDED)])
    checkup(Level.HESHAN, day(YEAR, 12, 31), [("H1", ATTENDED), ("H2", DECLINED)])
    checkup(Level.XINGBIN, day(LAST, 6, 1), [("X3", ATTENDED), ("XR", ATTENDED), ("X2", DECLINED)])
    checkup(Level.CITY, day(YEAR + 1, 1, 1), [("C2", ATTENDED)])
    # Recuperation counts whoever was offered a place: C2 (declined), H2 (invited), X2 (on 1 January).
    make_activity(
        RecuperationTrip,
        [e["C2"]],
        level=Level.CITY,
        date=day(YEAR, 5, 1),
        end_date=day(YEAR, 5, 5),
        place="北海",
        kind="recuperation",
        status=DECLINED,
    ).attendances.create(expert=e["H2"], status=INVITED)
    make_activity(
        RecuperationTrip,
        [e["X2"]],
        level=Level.XINGBIN,
        date=day(YEAR, 1, 1),
        end_date=day(YEAR, 1, 3),
        place="金秀",
        kind="consulting",
    )
    make_activity(
        RecuperationTrip,
        [e["X1"]],
        level=Level.XINGBIN,
        date=day(LAST, 12, 31),
        end_date=day(YEAR, 1, 2),
        place="百色",
        kind="study_tour",
    )
    # Lectures count attendance: C1 only (X3 declined).
    lecture = make_activity(
        HealthLecture, [e["C1"]], level=Level.CITY, date=day(YEAR, 6, 1), topic="讲座", place="礼堂"
    )
    lecture.attendances.create(expert=e["X3"], status=DECLINED)
    # Family support: X1 this year, H1 last year. The green channel is in no coverage.
    make_expert_record(FamilySupport, e["X1"], date=day(YEAR, 2, 1), kind="schooling", description="入学")
    make_expert_record(FamilySupport, e["H1"], date=day(LAST, 2, 1), kind="housing", description="住房")
    make_expert_record(GreenChannelRequest, e["C2"], date=day(YEAR, 2, 1), hospital="医院", need="预约")
    return {
        "experts": e,
        "city": make_staff("city", Level.CITY),
        "xingbin": make_staff("xingbin", Level.XINGBIN),
        "heshan": make_staff("heshan", Level.HESHAN),
    }


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def figures(response, table="by_level"):
    assert response.status_code == 200
    return [(line.label, line.total, line.counts) for line in response.context[table]]


def test_the_city_office_sees_every_level_with_exact_figures(world):
    response = client_of(world["city"]).get(URL, {"year": YEAR})
    assert [kind.coverage for kind in response.context["kinds"]] == KINDS
    assert figures(response) == [
        ("市本级", 2, [1, 1, 1, 0]),
        ("兴宾区", 3, [3, 1, 0, 1]),
        ("合山市", 2, [1, 1, 0, 0]),
        ("合计", 7, [5, 3, 1, 1]),
    ]
    assert figures(response, "by_team") == [
        ("专业技术人才", 3, [3, 1, 1, 1]),
        ("高技能人才", 4, [2, 2, 0, 0]),
        ("合计", 7, [5, 3, 1, 1]),
    ]
    html = response.content.decode()
    assert '5 <span class="programme-muted">（71.4%）</span>' in html
    assert "诊疗绿色通道" not in html


def test_last_year_counts_the_expert_removed_this_year_and_only_last_years_records(world):
    response = client_of(world["city"]).get(URL, {"year": LAST})
    assert response.context["year"] == LAST
    assert figures(response) == [
        ("市本级", 2, [0, 0, 0, 0]),
        ("兴宾区", 4, [2, 1, 0, 0]),  # X3 and XR attended; X1's trip began on 31 December
        ("合山市", 2, [0, 0, 0, 1]),
        ("合计", 8, [2, 1, 0, 1]),
    ]


def test_a_county_office_sees_its_county_and_the_city_rounds_attendance_counts_for_it(world):
    response = client_of(world["xingbin"]).get(URL, {"year": YEAR})
    assert figures(response) == [("兴宾区", 3, [3, 1, 0, 1]), ("合计", 3, [3, 1, 0, 1])]
    assert "level" not in response.context["form"].fields  # one level: nothing to choose
    response = client_of(world["heshan"]).get(URL, {"year": YEAR})
    assert figures(response) == [("合山市", 2, [1, 1, 0, 0]), ("合计", 2, [1, 1, 0, 0])]
    assert "城一" not in client_of(world["heshan"]).get(URL, {"missing": "care_checkups"}).content.decode()


def test_the_level_and_team_filters_narrow_the_experts(world):
    client = client_of(world["city"])
    response = client.get(URL, {"year": YEAR, "level": Level.XINGBIN})
    assert figures(response) == [("兴宾区", 3, [3, 1, 0, 1]), ("合计", 3, [3, 1, 0, 1])]
    response = client.get(URL, {"year": YEAR, "talent_team": SKILLED})
    assert figures(response) == [
        ("市本级", 1, [0, 1, 0, 0]),
        ("兴宾区", 1, [1, 0, 0, 0]),
        ("合山市", 2, [1, 1, 0, 0]),
        ("合计", 4, [2, 2, 0, 0]),
    ]
    assert figures(response, "by_team") == [("高技能人才", 4, [2, 2, 0, 0]), ("合计", 4, [2, 2, 0, 0])]
    # A county's office cannot widen its scope by asking for another level or a made-up team.
    response = client_of(world["xingbin"]).get(URL, {"year": YEAR, "level": Level.CITY, "talent_team": "x"})
    assert figures(response) == [("兴宾区", 3, [3, 1, 0, 1]), ("合计", 3, [3, 1, 0, 1])]
    assert "请从列表中选择人才队伍。" in response.content.decode()


def test_a_bad_year_shows_its_message_and_this_year(world):
    client = client_of(world["city"])
    for bad, message in [
        ("abc", "年度请填写四位数字的年份"),
        ("1900", "年度不能早于2008年。"),
        ("99999", "年度不能晚于"),
    ]:
        response = client.get(URL, {"year": bad})
        html = response.content.decode()
        assert response.status_code == 200
        assert message in html and f"现显示{YEAR}年的情况。" in html
        assert response.context["year"] == YEAR
        assert figures(response)[-1] == ("合计", 7, [5, 3, 1, 1])
        assert 'aria-invalid="true"' in html


def test_the_not_served_list_and_its_pages(world, monkeypatch):
    client = client_of(world["city"])
    response = client.get(URL, {"year": YEAR, "missing": "care_checkups"})
    assert [expert.name for expert in response.context["page_obj"]] == ["城二", "合二"]  # by level, then name
    assert "未参加集中体检的专家（2人）" in response.content.decode()
    response = client.get(URL, {"year": YEAR, "missing": "care_recuperation", "level": Level.XINGBIN})
    assert [expert.name for expert in response.context["page_obj"]] == ["兴一", "兴三"]
    response = client.get(URL, {"year": LAST, "missing": "care_checkups", "level": Level.XINGBIN})
    assert [expert.name for expert in response.context["page_obj"]] == ["兴一", "兴二"]

    monkeypatch.setattr(CoverageView, "per_page", 1)
    response = client.get(URL, {"year": YEAR, "missing": "care_checkups", "p": "2"})
    assert [expert.name for expert in response.context["page_obj"]] == ["合二"]
    html = response.content.decode()
    assert f'href="?year={YEAR}&amp;missing=care_checkups&amp;p=1"' in html  # the pagination keeps the query
    for odd_page, shown in [("abc", "城二"), ("99", "合二"), ("-1", "合二")]:
        response = client.get(URL, {"year": YEAR, "missing": "care_checkups", "p": odd_page})
        assert [expert.name for expert in response.context["page_obj"]] == [shown], odd_page
    # A kind that counts nothing, or none at all, lists nobody.
    for key in ["care_green_channel", "nothing", "experts"]:
        assert "missing" not in client.get(URL, {"missing": key}).context


def test_the_export_has_two_sheets_of_numbers_and_is_logged(world):
    response = client_of(world["city"]).get(URL, {"year": YEAR, "export": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert f"care-coverage-{YEAR}.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["按属地", "按人才队伍"]
    rows = list(workbook["按属地"].iter_rows())
    headings = [cell.value for cell in rows[0]]
    assert headings[:4] == ["属地", "在库专家（人）", "参加集中体检（人）", "参加集中体检（比例）"]
    assert len(headings) == 2 + 2 * len(KINDS)
    total = rows[-1]
    assert [cell.value for cell in total[:4]] == ["合计", 7, 5, pytest.approx(5 / 7)]
    assert isinstance(total[2].value, int) and total[3].number_format == "0.0%"
    assert [[cell.value for cell in row[:3]] for row in rows[1:]] == [
        ["市本级", 2, 1],
        ["兴宾区", 3, 3],
        ["合山市", 2, 1],
        ["合计", 7, 5],
    ]
    teams = [[cell.value for cell in row[:3]] for row in workbook["按人才队伍"].iter_rows(min_row=2)]
    assert teams == [["专业技术人才", 3, 3], ["高技能人才", 4, 2], ["合计", 7, 5]]

    entry = ExportLogEntry.objects.get(action=COVERAGE_EXPORT_ACTION)
    assert (entry.user, entry.level, entry.data["rows"]) == (world["city"], Level.CITY, 7)
    assert f"导出{YEAR}年关心关爱覆盖情况（XLSX）" == entry.label

    # A county's export holds its county only, and is logged at its level.
    response = client_of(world["xingbin"]).get(URL, {"year": YEAR, "export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [[cell.value for cell in row[:3]] for row in workbook["按属地"].iter_rows(min_row=2)] == [
        ["兴宾区", 3, 3],
        ["合计", 3, 3],
    ]
    assert ExportLogEntry.objects.filter(action=COVERAGE_EXPORT_ACTION, level=Level.XINGBIN).count() == 1


def test_the_coverage_page_reads_a_constant_number_of_queries():
    root, city = make_superuser(), make_staff("city", Level.CITY)
    units = [make_unit("市医院", Level.CITY), make_unit("兴宾医院", Level.XINGBIN)]

    def grow(to):
        while Expert.objects.count() < to:
            n = Expert.objects.count()
            expert = make_expert(root, units[n % 2], talent_team=[TECH, SKILLED][n % 3 == 0], joined_on="2020-01-01")
            date = day(YEAR, 1 + n % 12, 1)
            if n % 2:  # half of them are served by every kind, half by none
                make_activity(CheckupRound, [expert], level=expert.level, date=date, hospital="医院")
                make_activity(
                    RecuperationTrip,
                    [expert],
                    level=expert.level,
                    date=date,
                    end_date=date,
                    place="地",
                    kind="recuperation",
                )
                make_activity(HealthLecture, [expert], level=expert.level, date=date, topic="讲座", place="礼堂")
                make_expert_record(FamilySupport, expert, date=date, kind="other", description="帮扶")

    client = client_of(city)
    query = {"year": YEAR, "missing": "care_checkups"}

    def queries():
        generations.renew(SERVED_GENERATION)  # each kind's served experts read again, as after any change
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, query)
        assert response.status_code == 200
        return response, len(captured)

    grow(10)
    client.get(URL, query)  # caches warmed (content types, the user's permissions)
    small_response, small = queries()
    assert figures(small_response)[-1] == ("合计", 10, [5, 5, 5, 5])
    grow(100)
    large_response, large = queries()
    assert figures(large_response)[-1] == ("合计", 100, [50, 50, 50, 50])
    assert large_response.context["page_obj"].paginator.count == 50
    assert large == small


def test_the_coverage_reads_its_experts_unsorted(world):
    """Every active expert in scope is read for the dashboard's coverage: no sort by name over all
    of them (0.3 s at 100,000 experts, bench/growth.py)."""
    coverage = Coverage(make_superuser("root2"), YEAR, [])
    with CaptureQueriesContext(connection) as queries:
        assert len(coverage.lines("level")[-1].counts) == 0
    assert len(queries) == 1
    assert "ORDER BY" not in queries[0]["sql"]
    assert coverage.lines("level")[-1].total == Expert.objects.filter(status="active").count()
