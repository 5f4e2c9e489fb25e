"""The guidance chapter (政治引领, /admin/guidance/): its four kinds recorded through the admin forms,
party development milestones in order, county isolation, coverage, list filters, search and export."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from guidance import demo, kinds
from guidance.forms import ALREADY_FILED, ALREADY_MEMBER
from guidance.models import GrassrootsTrip, PartyDevelopment, Recommendation, StudyAttendance, StudySession
from programme.coverage import Coverage
from programme.forms import EXPERT_REFUSED
from programme.kinds import kinds_of
from programme.models import AttendanceStatus
from staff.levels import Level

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .programme_builders import make_activity, make_expert_record

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year
LAST_YEAR = YEAR - 1


def day(month, dd, year=YEAR):
    """A date of `year` no later than today (early in the year, so that it has passed)."""
    return min(datetime.date(year, month, dd), TODAY)


@pytest.fixture
def people():
    root = make_superuser()
    staff = {
        "city": make_staff("city", Level.CITY),
        "xingbin": make_staff("xingbin", Level.XINGBIN),
        "heshan": make_staff("heshan", Level.HESHAN),
    }
    units = {level: make_unit(f"{level.label}医院", level) for level in (Level.CITY, Level.XINGBIN, Level.HESHAN)}
    experts = {
        "city": make_expert(root, units[Level.CITY], name="市专家"),
        "xingbin": make_expert(root, units[Level.XINGBIN], name="兴宾专家", political_status="masses"),
        "xingbin2": make_expert(root, units[Level.XINGBIN], name="兴宾专家二", talent_team="highly_skilled"),
        "heshan": make_expert(root, units[Level.HESHAN], name="合山专家", political_status="masses"),
    }
    return {"root": root, **staff, "experts": experts}


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def party_data(expert, **milestones):
    return {
        "expert": expert.pk,
        "date": f"{day(1, 2):%Y-%m-%d}",
        "contact_person": "韦某明（支部书记）",
        "note": "",
        **dict.fromkeys(("applied_on", "activist_on", "candidate_on", "probationary_on", "full_member_on"), ""),
        **milestones,
    }


def errors_of(response):
    return response.context["form"].errors


# Creating each kind as a county office ----------------------------------------------------------


def test_a_county_office_records_a_study_session(people):
    experts = people["experts"]
    response = client_of(people["xingbin"]).post(
        "/admin/guidance/study/new/",
        {
            "kind": "national_conditions",
            "date": f"{day(1, 3):%Y-%m-%d}",
            "end_date": "",
            "place": "兴宾区委党校",
            "topic": "国情区情研修",
            "organiser": "",
            "experts": [experts["xingbin"].pk, experts["xingbin2"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = StudySession.objects.get()
    assert (session.level, session.recorded_by, session.end_date) == (Level.XINGBIN, people["xingbin"], None)
    assert set(session.attendances.values_list("expert_id", "status")) == {
        (experts["xingbin"].pk, AttendanceStatus.ATTENDED),
        (experts["xingbin2"].pk, AttendanceStatus.ATTENDED),
    }
    assert response["Location"] == f"/admin/guidance/study/inspect/{session.pk}/"


def test_a_study_session_ends_after_it_starts(people):
    response = client_of(people["xingbin"]).post(
        "/admin/guidance/study/new/",
        {
            "kind": "training",
            "date": f"{day(1, 3):%Y-%m-%d}",
            "end_date": f"{day(1, 3) - datetime.timedelta(days=1):%Y-%m-%d}",
            "place": "党校",
            "topic": "研修",
            "experts": [people["experts"]["xingbin"].pk],
        },
    )
    assert errors_of(response)["end_date"] == ["结束日期不能早于开始日期。"]
    assert not StudySession.objects.exists()


def test_a_county_office_records_a_grassroots_trip(people):
    experts = people["experts"]
    response = client_of(people["xingbin"]).post(
        "/admin/guidance/grassroots/new/",
        {
            "date": f"{day(1, 4):%Y-%m-%d}",
            "served": "凤凰镇演示村",
            "place": "村委会",
            "topic": "甘蔗病虫害防治",
            "problems_solved": "解决螟虫防治难题。",
            "experts": [experts["xingbin"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    trip = GrassrootsTrip.objects.get()
    assert (trip.level, trip.served, trip.problems_solved) == (Level.XINGBIN, "凤凰镇演示村", "解决螟虫防治难题。")
    assert list(trip.attendances.values_list("expert_id", flat=True)) == [experts["xingbin"].pk]


def test_a_county_office_records_a_recommendation(people):
    response = client_of(people["xingbin"]).post(
        "/admin/guidance/recommendations/new/",
        {
            "expert": people["experts"]["xingbin2"].pk,
            "kind": "cppcc",
            "body": "政协兴宾区委员会",
            "date": f"{day(1, 5):%Y-%m-%d}",
            "outcome": "pending",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    recommendation = Recommendation.objects.get()
    assert (recommendation.level, recommendation.kind, recommendation.get_outcome_display()) == (
        Level.XINGBIN,
        "cppcc",
        "待定",
    )


def test_a_county_office_opens_a_party_development_file(people):
    expert = people["experts"]["xingbin"]
    milestones = {"applied_on": f"{day(1, 2):%Y-%m-%d}", "activist_on": f"{day(1, 3):%Y-%m-%d}"}
    response = client_of(people["xingbin"]).post(
        "/admin/guidance/party-development/new/", party_data(expert, **milestones)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = PartyDevelopment.objects.get()
    assert (record.level, record.expert, record.applied_on, record.activist_on) == (
        Level.XINGBIN,
        expert,
        day(1, 2),
        day(1, 3),
    )
    assert record.stage == "入党积极分子"


def test_text_beyond_its_limit_is_refused_next_to_the_field(people):
    response = client_of(people["xingbin"]).post(
        "/admin/guidance/grassroots/new/",
        {
            "date": f"{day(1, 4):%Y-%m-%d}",
            "served": "村" * 101,
            "place": "村委会",
            "topic": "下基层",
            "problems_solved": "问" * 2001,
            "experts": [people["experts"]["xingbin"].pk],
        },
    )
    errors = errors_of(response)
    assert "100" in errors["served"][0] and "2000" in errors["problems_solved"][0]
    assert not GrassrootsTrip.objects.exists()


@pytest.mark.parametrize(
    "path",
    ["/admin/guidance/recommendations/new/", "/admin/guidance/party-development/new/", "/admin/guidance/study/new/"],
)
def test_a_county_cannot_name_another_countys_expert_by_a_crafted_id(people, path):
    heshan = people["experts"]["heshan"]
    data = {
        **party_data(heshan),
        "kind": "cppcc" if "recommendations" in path else "training",
        "body": "某机关",
        "outcome": "pending",
        "place": "党校",
        "topic": "研修",
        "experts": [heshan.pk],
    }
    response = client_of(people["xingbin"]).post(path, data)
    assert response.status_code == 200
    field = "experts" if "study" in path else "expert"
    assert errors_of(response)[field] == [EXPERT_REFUSED]
    assert not (StudySession.objects.exists() or Recommendation.objects.exists() or PartyDevelopment.objects.exists())


# Party development: milestones in order, members refused -----------------------------------------


def post_party(people, **milestones):
    expert = people["experts"]["xingbin"]
    return client_of(people["xingbin"]).post("/admin/guidance/party-development/new/", party_data(expert, **milestones))


def test_a_later_milestone_cannot_be_dated_before_an_earlier_one(people):
    response = post_party(
        people, applied_on=f"{day(1, 10):%Y-%m-%d}", activist_on=f"{day(1, 10) - datetime.timedelta(days=1):%Y-%m-%d}"
    )
    assert response.status_code == 200
    assert errors_of(response)["activist_on"] == [f"不能早于“申请入党”的日期（{day(1, 10):%Y-%m-%d}）。"]
    assert "不能早于“申请入党”的日期" in response.content.decode()
    assert not PartyDevelopment.objects.exists()


def test_a_milestone_cannot_be_recorded_without_the_earlier_ones(people):
    response = post_party(
        people,
        applied_on=f"{day(1, 1):%Y-%m-%d}",
        candidate_on=f"{day(1, 2):%Y-%m-%d}",
        full_member_on=f"{day(1, 3):%Y-%m-%d}",
    )
    errors = errors_of(response)
    assert errors["candidate_on"] == ["请先填写“入党积极分子”的日期：发展党员须按顺序逐步登记。"]
    assert errors["full_member_on"] == ["请先填写“预备党员”的日期：发展党员须按顺序逐步登记。"]
    assert "applied_on" not in errors
    assert not PartyDevelopment.objects.exists()


def test_the_first_milestone_cannot_be_skipped(people):
    errors = errors_of(post_party(people, activist_on=f"{day(1, 2):%Y-%m-%d}"))
    assert errors["activist_on"] == ["请先填写“申请入党”的日期：发展党员须按顺序逐步登记。"]


def test_a_milestone_cannot_lie_in_the_future(people):
    tomorrow = TODAY + datetime.timedelta(days=1)
    errors = errors_of(post_party(people, applied_on=f"{tomorrow:%Y-%m-%d}"))
    assert errors["applied_on"] == ["“申请入党”的日期不能晚于今天。"]
    assert not PartyDevelopment.objects.exists()


def test_milestones_on_the_same_day_and_in_order_are_accepted(people):
    dates = [TODAY - datetime.timedelta(days=n) for n in (400, 300, 200, 200, 1)]
    names = ["applied_on", "activist_on", "candidate_on", "probationary_on", "full_member_on"]
    response = post_party(people, **{name: f"{date:%Y-%m-%d}" for name, date in zip(names, dates, strict=True)})
    assert response.status_code == 302
    assert PartyDevelopment.objects.get().stage == "正式党员"


def test_an_edit_that_breaks_the_order_changes_nothing(people):
    expert = people["experts"]["xingbin"]
    record = make_expert_record(
        PartyDevelopment, expert, contact_person="韦某明", applied_on=day(1, 2), activist_on=day(1, 3)
    )
    response = client_of(people["xingbin"]).post(
        f"/admin/guidance/party-development/edit/{record.pk}/",
        party_data(
            expert,
            applied_on=f"{day(1, 2):%Y-%m-%d}",
            activist_on="",
            candidate_on=f"{day(1, 4):%Y-%m-%d}",
            contact_person="新联系人",
        ),
    )
    assert errors_of(response)["candidate_on"] == ["请先填写“入党积极分子”的日期：发展党员须按顺序逐步登记。"]
    record.refresh_from_db()
    assert (record.contact_person, record.activist_on, record.candidate_on) == ("韦某明", day(1, 3), None)


def test_an_expert_already_a_party_member_is_refused(people):
    member = people["experts"]["xingbin2"]  # 中共党员
    response = client_of(people["xingbin"]).post("/admin/guidance/party-development/new/", party_data(member))
    assert errors_of(response)["expert"] == [ALREADY_MEMBER]
    assert ALREADY_MEMBER in response.content.decode()
    assert not PartyDevelopment.objects.exists()


def test_a_file_stays_editable_after_its_expert_became_a_member(people):
    expert = people["experts"]["xingbin"]
    record = make_expert_record(PartyDevelopment, expert, contact_person="韦某明", applied_on=day(1, 2))
    type(expert).objects.filter(pk=expert.pk).update(political_status="cpc")
    response = client_of(people["xingbin"]).post(
        f"/admin/guidance/party-development/edit/{record.pk}/",
        party_data(expert, applied_on=f"{day(1, 2):%Y-%m-%d}", activist_on=f"{day(1, 3):%Y-%m-%d}"),
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.activist_on == day(1, 3)


def test_an_expert_has_one_party_development_file(people):
    expert = people["experts"]["xingbin"]
    make_expert_record(PartyDevelopment, expert, contact_person="韦某明")
    response = client_of(people["xingbin"]).post("/admin/guidance/party-development/new/", party_data(expert))
    assert errors_of(response)["expert"] == [ALREADY_FILED]
    assert PartyDevelopment.objects.count() == 1


def test_the_inspect_page_shows_the_milestones_in_order_and_the_list_the_stage(people):
    expert = people["experts"]["xingbin"]
    record = make_expert_record(
        PartyDevelopment, expert, contact_person="韦某明", applied_on=day(1, 2), activist_on=day(1, 3)
    )
    client = client_of(people["xingbin"])
    page = client.get(f"/admin/guidance/party-development/inspect/{record.pk}/").content.decode()
    timeline = page[
        page.index('<ol class="guidance-milestones">') : page.index("</ol>", page.index("guidance-milestones"))
    ]
    labels = ["申请入党", "入党积极分子", "发展对象", "预备党员", "正式党员"]
    assert [timeline.index(label) for label in labels] == sorted(timeline.index(label) for label in labels)
    assert f'datetime="{day(1, 3):%Y-%m-%d}"' in timeline
    assert timeline.count("尚未到达") == 3
    assert "建档日期" in page
    assert 'aria-current="step"' in timeline.split("入党积极分子")[0].rsplit("<li", 1)[1]
    listing = client.get("/admin/guidance/party-development/").content.decode()
    assert "入党积极分子" in listing and "韦某明" in listing


# County isolation with crafted ids ----------------------------------------------------------------


def test_a_county_cannot_open_change_or_delete_another_countys_records(people):
    experts = people["experts"]
    rows = {
        "study": make_activity(
            StudySession, [experts["heshan"]], level=Level.HESHAN, kind="training", place="合山党校", topic="合山研修"
        ),
        "grassroots": make_activity(
            GrassrootsTrip, [experts["heshan"]], level=Level.HESHAN, served="合山村", place="村", topic="下基层"
        ),
        "recommendations": make_expert_record(Recommendation, experts["heshan"], kind="cppcc", body="合山政协"),
        "party-development": make_expert_record(PartyDevelopment, experts["heshan"], contact_person="合山联系人"),
    }
    xingbin, heshan = client_of(people["xingbin"]), client_of(people["heshan"])
    for prefix, row in rows.items():
        for action in ("inspect", "edit", "delete", "history"):
            url = f"/admin/guidance/{prefix}/{action}/{row.pk}/"
            assert xingbin.get(url).status_code == 404, url
            assert heshan.get(url).status_code == 200, url
        assert xingbin.post(f"/admin/guidance/{prefix}/delete/{row.pk}/").status_code == 404
        assert xingbin.post(f"/admin/guidance/{prefix}/edit/{row.pk}/", {}).status_code == 404
        assert not listed(xingbin.get(f"/admin/guidance/{prefix}/")), prefix
    assert StudySession.objects.count() == GrassrootsTrip.objects.count() == 1
    assert Recommendation.objects.count() == PartyDevelopment.objects.count() == 1


def test_a_county_reads_a_city_session_naming_its_experts_but_leaves_it_as_recorded(people):
    experts = people["experts"]
    session = make_activity(
        StudySession,
        [experts["xingbin"], experts["heshan"]],
        level=Level.CITY,
        kind="training",
        place="市委党校",
        topic="市级研修",
    )
    client = client_of(people["xingbin"])
    page = client.get(f"/admin/guidance/study/inspect/{session.pk}/").content.decode()
    assert "兴宾专家" in page and "合山专家" not in page
    assert client.get(f"/admin/guidance/study/edit/{session.pk}/")["Location"] == "/admin/"
    assert client.post(f"/admin/guidance/study/delete/{session.pk}/")["Location"] == "/admin/"
    assert StudySession.objects.filter(pk=session.pk).exists()


# Coverage ---------------------------------------------------------------------------------------


def test_coverage_counts_the_years_served_experts_by_level_and_team(people):
    experts = people["experts"]
    this_year, last_year = day(1, 2), day(6, 1, LAST_YEAR)
    make_activity(
        StudySession,
        [experts["city"], experts["xingbin"]],
        level=Level.CITY,
        date=this_year,
        kind="training",
        place="a",
        topic="a",
    )
    make_activity(
        StudySession, [experts["heshan"]], level=Level.HESHAN, date=last_year, kind="training", place="b", topic="b"
    )
    make_activity(
        StudySession,
        [experts["xingbin2"]],
        level=Level.XINGBIN,
        date=this_year,
        status=AttendanceStatus.DECLINED,
        kind="training",
        place="c",
        topic="c",
    )
    make_activity(
        GrassrootsTrip,
        [experts["xingbin"], experts["xingbin2"]],
        level=Level.XINGBIN,
        date=this_year,
        served="某村",
        place="p",
        topic="t",
    )
    make_expert_record(Recommendation, experts["heshan"], date=this_year, kind="meeting", body="会议")
    make_expert_record(Recommendation, experts["city"], date=last_year, kind="cppcc", body="政协")
    make_expert_record(PartyDevelopment, experts["xingbin"], date=this_year, contact_person="某人")

    coverage = Coverage(people["city"], YEAR, kinds_of("guidance"))
    assert [kind.coverage for kind in coverage.kinds] == ["参加研修培训", "参加人才下基层", "获推荐或吸纳"]
    by_level = {line.label: (line.total, line.counts) for line in coverage.lines("level")}
    assert by_level == {
        "市本级": (1, [1, 0, 0]),
        "兴宾区": (2, [1, 2, 0]),
        "合山市": (1, [0, 0, 1]),
        "合计": (4, [2, 2, 1]),
    }
    by_team = {line.label: line.counts for line in coverage.lines("talent_team")}
    assert by_team["高技能人才"] == [0, 1, 0]
    assert [e.name for e in coverage.not_served(kinds.STUDY).order_by("name")] == ["兴宾专家二", "合山专家"]
    last = Coverage(people["city"], LAST_YEAR, [kinds.STUDY, kinds.RECOMMENDATIONS])
    assert last.lines("level")[-1].counts == [1, 1]

    response = client_of(people["city"]).get(f"/admin/guidance/coverage/?year={YEAR}")
    assert response.status_code == 200
    assert [line.counts for line in response.context["by_level"]] == [[1, 0, 0], [1, 2, 0], [0, 0, 1], [2, 2, 1]]
    page = response.content.decode()
    assert "参加研修培训" in page and "参加人才下基层" in page and "获推荐或吸纳" in page
    # A county office counts its own experts only.
    county = client_of(people["xingbin"]).get(f"/admin/guidance/coverage/?year={YEAR}")
    assert [line.counts for line in county.context["by_level"]] == [[1, 2, 0], [1, 2, 0]]


def test_the_chapter_index_lists_the_four_kinds_with_this_years_counts(people):
    make_expert_record(Recommendation, people["experts"]["xingbin"], date=day(1, 2), kind="meeting", body="会议")
    response = client_of(people["xingbin"]).get("/admin/guidance/")
    page = response.content.decode()
    for label in ("研修培训", "人才下基层", "推荐与吸纳", "发展党员"):
        assert label in page
    assert '<a href="/admin/guidance/recommendations/?year=' in page


# Lists: filters, search, export -------------------------------------------------------------------


def listed(response):
    return {row.pk for row in response.context["object_list"]}


def test_recommendation_list_filters_by_year_expert_level_team_and_searches_chinese(people):
    experts = people["experts"]
    this_year = make_expert_record(
        Recommendation, experts["xingbin"], date=day(1, 2), kind="cppcc", body="政协兴宾区委员会"
    )
    old = make_expert_record(
        Recommendation, experts["xingbin2"], date=day(3, 1, LAST_YEAR), kind="post", body="兴宾区科技局"
    )
    city_row = make_expert_record(
        Recommendation, experts["city"], date=day(1, 2), kind="meeting", body="市委全会", level=Level.CITY
    )
    client = client_of(people["city"])
    url = "/admin/guidance/recommendations/"
    assert listed(client.get(url)) == {this_year.pk, old.pk, city_row.pk}
    assert listed(client.get(url, {"year": YEAR})) == {this_year.pk, city_row.pk}
    assert listed(client.get(url, {"year": LAST_YEAR})) == {old.pk}
    assert listed(client.get(url, {"expert_level": Level.XINGBIN})) == {this_year.pk, old.pk}
    assert listed(client.get(url, {"talent_team": "highly_skilled"})) == {old.pk}
    assert listed(client.get(url, {"kind": "meeting"})) == {city_row.pk}
    assert listed(client.get(url, {"q": "科技"})) == {old.pk}
    assert listed(client.get(url, {"q": "兴宾专家二"})) == {old.pk}


def test_study_list_filters_and_searches_across_its_experts(people):
    experts = people["experts"]
    ours = make_activity(
        StudySession,
        [experts["xingbin2"]],
        level=Level.XINGBIN,
        date=day(1, 2),
        kind="training",
        place="兴宾区委党校",
        topic="核心价值观教育",
    )
    city = make_activity(
        StudySession,
        [experts["city"], experts["xingbin"]],
        level=Level.CITY,
        date=day(3, 1, LAST_YEAR),
        kind="national_conditions",
        place="延安",
        topic="国情研修班",
    )
    client = client_of(people["city"])
    url = "/admin/guidance/study/"
    assert listed(client.get(url, {"year": LAST_YEAR})) == {city.pk}
    assert listed(client.get(url, {"expert_level": Level.XINGBIN})) == {ours.pk, city.pk}
    assert listed(client.get(url, {"expert_level": Level.CITY})) == {city.pk}
    assert listed(client.get(url, {"talent_team": "highly_skilled"})) == {ours.pk}
    assert listed(client.get(url, {"kind": "national_conditions"})) == {city.pk}
    assert listed(client.get(url, {"q": "价值观"})) == {ours.pk}
    assert listed(client.get(url, {"q": "市专家"})) == {city.pk}


@pytest.mark.parametrize("prefix", ["study", "grassroots", "recommendations", "party-development"])
def test_each_list_exports_xlsx(people, prefix):
    experts = people["experts"]
    make_activity(
        StudySession, [experts["xingbin"]], level=Level.XINGBIN, kind="training", place="党校", topic="研修甲"
    )
    make_activity(
        GrassrootsTrip, [experts["xingbin"]], level=Level.XINGBIN, served="演示村", place="村委", topic="下基层甲"
    )
    make_expert_record(Recommendation, experts["xingbin"], kind="cppcc", body="政协甲")
    make_expert_record(PartyDevelopment, experts["xingbin"], contact_person="联系人甲", applied_on=TODAY)
    response = client_of(people["xingbin"]).get(f"/admin/guidance/{prefix}/?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 2
    text = "".join(str(value) for value in rows[1] if value is not None)
    assert "甲" in text and "兴宾区" in text
    if prefix == "party-development":
        assert "申请入党" in rows[0] and "培养联系人" in rows[0]
    if prefix == "study":
        assert rows[1][-1] == "兴宾专家"


# Demo -------------------------------------------------------------------------------------------


def test_demo_builds_records_across_levels_and_years_once():
    call_command("load_demo_content", stdout=io.StringIO(), allow_demo_without_debug=True)
    models = [StudySession, GrassrootsTrip, Recommendation, PartyDevelopment]
    counts = [model.objects.count() for model in models]
    assert all(counts)
    for model in models:
        levels = set(model.objects.values_list("level", flat=True))
        assert Level.CITY in levels and len(levels) >= 2, model
    levels = {level for model in models for level in model.objects.values_list("level", flat=True)}
    assert len(levels - {Level.CITY}) >= 3
    years = {date.year for model in models for date in model.objects.values_list("date", flat=True)}
    assert {YEAR, LAST_YEAR} <= years
    assert not PartyDevelopment.objects.filter(expert__political_status="cpc").exists()
    assert StudyAttendance.objects.exists()

    class Quiet:
        def log(self, message):
            pass

    demo.build(Quiet())
    assert [model.objects.count() for model in models] == counts
