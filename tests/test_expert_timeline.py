"""An expert's timeline (programme.timeline) on their detail view: every source's entries newest first,
filtered by kind with counts, paged, each entry only for those who may see its row, and a constant
number of queries however many entries there are."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from care import kinds as care_kinds
from care.models import CheckupRound, FamilySupport, GreenChannelRequest, HealthLecture, RecuperationTrip
from experts.models import UnitType
from honours.models import HonourIndexPage, HonourPage, HonourRecipient
from liaison.models import EventKind, EventReportLogEntry
from programme.models import AttendanceStatus
from programme.timeline import PER_PAGE, Timeline, kind_source
from staff.levels import Level

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .intake_builders import new_item
from .liaison_builders import accepted_report, contact, make_follow_up, make_leader, make_liaison, pair
from .programme_builders import make_activity, make_expert_record
from .public_builders import build_sections, give_consent, make_profile

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world():
    root = make_superuser()
    xingbin_school = make_unit("兴宾区高级中学", Level.XINGBIN, UnitType.SCHOOL)
    expert = make_expert(root, xingbin_school, name="韦某兴")
    return {
        "root": root,
        "city": make_staff("city", Level.CITY),
        "xingbin": make_staff("xingbin", Level.XINGBIN),
        "heshan": make_staff("heshan", Level.HESHAN),
        "liaison": make_liaison("lianluoyuan", xingbin_school),
        "expert": expert,
        "other": make_expert(root, xingbin_school, name="覃某兴"),
    }


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def inspect(user, expert, query=""):
    return client_of(user).get(f"/admin/experts/inspect/{expert.pk}/{query}")


def timeline_of(response):
    """(date, kind, title, note) of each entry shown, and the filter links as (text, current)."""
    assert response.status_code == 200
    section = BeautifulSoup(response.content.decode(), "html.parser").select_one("#timeline")
    entries = [
        (
            li.select_one("time")["datetime"],
            li.select_one(".programme-timeline__kind").get_text(strip=True),
            li.select_one(".programme-timeline__title").get_text(strip=True),
            note.get_text(strip=True) if (note := li.select_one(".programme-timeline__note")) else "",
        )
        for li in section.select("li.programme-timeline__entry")
    ]
    links = [(a.get_text(strip=True), a.get("aria-current") == "true") for a in section.select("nav ul a")]
    return entries, links, section


def care_records(world):
    """One record of each care kind about the expert, on different days, two of them on one day."""
    expert = world["expert"]
    make_activity(CheckupRound, [expert], level=Level.CITY, date=D(2026, 3, 10), hospital="来宾市人民医院")
    make_activity(
        RecuperationTrip,
        [expert],
        level=Level.XINGBIN,
        date=D(2026, 7, 1),
        end_date=D(2026, 7, 5),
        place="金秀",
        kind="recuperation",
        status=AttendanceStatus.INVITED,
    )
    make_expert_record(GreenChannelRequest, expert, date=D(2026, 5, 2), hospital="兴宾区人民医院", need="挂号")
    make_activity(HealthLecture, [expert], level=Level.XINGBIN, date=D(2026, 5, 2), topic="颈椎保健", place="礼堂")
    make_expert_record(FamilySupport, expert, date=D(2025, 9, 1), kind="schooling", description="子女入学")


def test_entries_of_every_kind_newest_first_in_a_stable_order(world):
    expert = world["expert"]
    care_records(world)
    leader = make_leader("覃某书", Level.CITY)
    pair(leader, expert, started_on=D(2025, 1, 5), ended_on=D(2026, 6, 30))
    record = contact([leader], [expert], date=D(2026, 4, 1), level=Level.XINGBIN)
    make_follow_up(record, expert, D(2026, 5, 1), problem="科研用房紧张")
    accepted_report(expert, EventKind.ACHIEVEMENT, world["liaison"], world["xingbin"], event_date=D(2026, 2, 1))
    item, _ = new_item(subject="职称评审政策咨询", level=Level.XINGBIN)
    item.expert = expert
    item.save()

    entries, links, _ = timeline_of(inspect(world["xingbin"], expert))
    received = f"{item.received_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))):%Y-%m-%d}"
    expected = sorted(
        [
            ("2026-07-01", "休假疗养", "2026-07-01 金秀集体休假疗养", "已邀请"),
            ("2026-06-30", "结对联系", "结束结对：覃某书", ""),
            ("2026-05-02", "诊疗绿色通道", "2026-05-02 兴宾区人民医院绿色通道", ""),  # kinds in registration order
            ("2026-05-02", "健康知识讲座", "2026-05-02 颈椎保健", ""),
            ("2026-04-01", "联系服务", "座谈交流", "覃某书（面对面）"),
            ("2026-04-01", "问题跟踪", "科研用房紧张", "市科技局：待办"),
            ("2026-03-10", "集中体检", "2026-03-10 来宾市人民医院集中体检", "已参加"),
            ("2026-02-01", "五报告", "获得重大成就（待市委人才办审核）", "演示情况。"),
            ("2025-09-01", "帮扶事项", "2025-09-01 子女入学", ""),
            ("2025-01-05", "结对联系", "开始结对：覃某书", "市委常委"),
            (received, "来信来访", str(item), "热线电话·困难求助·待受理"),
        ],
        key=lambda entry: entry[0],
        reverse=True,
    )
    assert entries == expected
    assert links[0] == ("全部（11）", True)
    assert ("结对联系（2）", False) in links and ("集中体检（1）", False) in links


def test_filtering_by_kind_shows_that_kind_only_and_marks_the_link(world):
    expert = world["expert"]
    care_records(world)
    for day in (1, 2, 3):
        make_activity(
            HealthLecture, [expert], level=Level.XINGBIN, date=D(2024, 1, day), topic=f"讲座{day}", place="礼堂"
        )

    entries, links, section = timeline_of(inspect(world["xingbin"], expert, "?timeline=care_lectures"))
    assert [title for _, kind, title, _ in entries] == [
        "2026-05-02 颈椎保健",
        "2024-01-03 讲座3",
        "2024-01-02 讲座2",
        "2024-01-01 讲座1",
    ]
    assert {kind for _, kind, _, _ in entries} == {"健康知识讲座"}
    assert ("健康知识讲座（4）", True) in links and ("全部（8）", False) in links
    current = section.select_one('nav ul a[aria-current="true"]')
    assert current["href"] == "?timeline=care_lectures#timeline"
    # A made-up kind shows every entry, no link marked but 全部.
    entries, links, _ = timeline_of(inspect(world["xingbin"], expert, "?timeline=nonsense"))
    assert len(entries) == 8 and [text for text, current in links if current] == ["全部（8）"]


def test_the_timeline_pages_with_its_own_parameter_keeping_the_filter(world):
    expert = world["expert"]
    first = D(2020, 1, 1)
    for number in range(PER_PAGE * 2 + 5):
        make_expert_record(
            FamilySupport, expert, date=first + datetime.timedelta(days=number), kind="schooling", description="入学"
        )
    make_activity(HealthLecture, [expert], level=Level.XINGBIN, date=D(2019, 1, 1), topic="讲座", place="礼堂")

    entries, _, section = timeline_of(inspect(world["xingbin"], expert))
    assert len(entries) == PER_PAGE and entries[0][0] == f"{first + datetime.timedelta(days=PER_PAGE * 2 + 4)}"
    assert "第 1 页，共 3 页" in section.get_text()
    assert section.select_one(".programme-timeline__pages a")["href"] == "?timeline_page=2#timeline"

    entries, _, _ = timeline_of(inspect(world["xingbin"], expert, "?timeline_page=3"))
    assert len(entries) == 6 and entries[-1][1] == "健康知识讲座"
    entries, _, section = timeline_of(
        inspect(world["xingbin"], expert, "?timeline=care_family_support&timeline_page=3")
    )
    assert len(entries) == 5 and entries[-1][0] == f"{first}"
    assert section.select_one(".programme-timeline__pages a")["href"] == (
        "?timeline=care_family_support&timeline_page=2#timeline"
    )
    # Choosing a kind starts at its first page.
    link = section.select_one('nav ul a[aria-current="true"]')["href"]
    assert link == "?timeline=care_family_support#timeline"


def test_green_channel_entries_only_for_the_city_and_the_experts_county(world):
    expert = world["expert"]
    make_expert_record(GreenChannelRequest, expert, date=D(2026, 5, 2), hospital="兴宾区人民医院", need="挂号")
    make_activity(CheckupRound, [expert], level=Level.CITY, date=D(2026, 3, 10), hospital="来宾市人民医院")
    for user in ("city", "xingbin"):
        kinds = [kind for _, kind, _, _ in timeline_of(inspect(world[user], expert))[0]]
        assert kinds == ["诊疗绿色通道", "集中体检"], user
    # Another county does not find the expert, nor would the source give it the request.
    assert inspect(world["heshan"], expert).status_code == 404
    request = RequestFactory().get("/")
    request.user = world["heshan"]
    assert kind_source(care_kinds.GREEN_CHANNEL).entries(request, expert) == []
    # A city request about a Heshan expert is Heshan's to see, not Xingbin's.
    heshan_expert = make_expert(world["root"], make_unit("合山市人民医院", Level.HESHAN), name="蓝某合")
    make_expert_record(GreenChannelRequest, heshan_expert, level=Level.CITY, hospital="来宾市人民医院", need="复查")
    request.user = world["xingbin"]
    assert kind_source(care_kinds.GREEN_CHANNEL).entries(request, heshan_expert) == []
    request.user = world["heshan"]
    assert len(kind_source(care_kinds.GREEN_CHANNEL).entries(request, heshan_expert)) == 1


def test_a_unit_liaison_sees_their_reports_and_no_care_entry(world):
    expert = world["expert"]
    care_records(world)
    accepted_report(expert, EventKind.ACHIEVEMENT, world["liaison"], event_date=D(2026, 2, 1))
    entries, links, _ = timeline_of(inspect(world["liaison"], expert))
    assert [kind for _, kind, _, _ in entries] == ["五报告"]
    assert links == [("全部（1）", True), ("五报告（1）", False)]


def test_a_sensitive_reports_details_are_shown_only_where_liaison_shows_them(world):
    expert = world["expert"]
    health = accepted_report(expert, EventKind.HEALTH, world["liaison"], event_date=D(2026, 2, 1))
    health.details = "住院治疗（敏感）。"
    health.save()
    colleague = make_liaison("lianluoyuan2", expert.unit)
    notes = {user: timeline_of(inspect(user, expert))[0][0][3] for user in (world["xingbin"], colleague)}
    assert notes[world["xingbin"]] == "住院治疗（敏感）。"
    assert notes[colleague].startswith("涉及个人敏感信息") and "住院" not in notes[colleague]
    readers = EventReportLogEntry.objects.filter(report=health, action="liaison.report.read_sensitive")
    assert set(readers.filter(data__via="expert_timeline").values_list("user_id", flat=True)) == {world["xingbin"].pk}


def test_intake_items_show_for_those_who_handle_them(world):
    expert = world["expert"]
    item, _ = new_item(subject="职称评审政策咨询", level=Level.XINGBIN)
    item.expert = expert
    item.save()
    entries, _, section = timeline_of(inspect(world["xingbin"], expert))
    assert [(kind, title) for _, kind, title, _ in entries] == [("来信来访", str(item))]
    assert section.select_one(".programme-timeline__title a")["href"] == f"/admin/intake/items/inspect/{item.pk}/"
    # The unit liaison does not handle intake items.
    assert timeline_of(inspect(world["liaison"], expert))[0] == []


def test_live_honours_that_name_the_experts_profile(world):
    expert = world["expert"]
    build_sections()
    give_consent([expert])
    expert.refresh_from_db()
    profile = make_profile(expert)
    index = HonourIndexPage.objects.get()

    def honour(title, date, publish=True):
        page = HonourPage(
            title=title,
            honour_type="title",
            conferred_title=title,
            conferring_body="中共来宾市委",
            date=date,
            summary="表彰",
            citation=[],
            live=publish,
        )
        page.recipients.add(HonourRecipient(profile=profile))
        index.add_child(instance=page)
        if publish:
            page.save_revision().publish()
        return page

    shown = honour("来宾市优秀专家", D(2025, 12, 1))
    honour("草稿中的表彰", D(2026, 1, 1), publish=False)
    entries, _, section = timeline_of(inspect(world["xingbin"], expert))
    assert entries == [("2025-12-01", "荣誉表彰", "来宾市优秀专家", "中共来宾市委")]
    assert section.select_one(".programme-timeline__title a")["href"] == shown.url


def test_an_expert_without_entries_gets_a_plain_notice(world):
    _, links, section = timeline_of(inspect(world["xingbin"], world["expert"]))
    assert links == [] and "尚无您可以查看的" in section.get_text()


def grow(world, copies):
    """`copies` entries of each of several sources about the expert (none sensitive)."""
    expert, other = world["expert"], world["other"]
    leader = make_leader(f"领导{copies}", Level.XINGBIN)
    for number in range(copies):
        day = D(2025, 1, 1) + datetime.timedelta(days=number)
        make_activity(CheckupRound, [expert, other], level=Level.CITY, date=day, hospital=f"医院{number}")
        make_activity(HealthLecture, [expert], level=Level.XINGBIN, date=day, topic=f"讲座{number}", place="礼堂")
        make_expert_record(FamilySupport, expert, date=day, kind="schooling", description="入学")
        make_expert_record(GreenChannelRequest, expert, date=day, hospital="医院", need="挂号")
        record = contact([leader], [expert], date=day, level=Level.XINGBIN)
        make_follow_up(record, expert, day)
        accepted_report(expert, EventKind.ACHIEVEMENT, world["liaison"], event_date=day)
        pair(make_leader(f"结对领导{copies}-{number}", Level.XINGBIN), expert, started_on=day, ended_on=day)
        item, _ = new_item(subject=f"咨询事项{copies}-{number}", level=Level.XINGBIN)
        item.expert = expert
        item.save()


def count_queries(client, url):
    client.get(url)  # warm caches (content types, the user's groups)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(
        BeautifulSoup(response.content.decode(), "html.parser").select(".programme-timeline__entry")
    )


@pytest.mark.parametrize("user", ["city", "xingbin"])
def test_queries_do_not_grow_with_the_entries(world, user):
    client = client_of(world[user])
    url = f"/admin/experts/inspect/{world['expert'].pk}/"
    grow(world, 1)
    few, shown = count_queries(client, url)
    assert shown == 10
    grow(world, 9)
    many, shown = count_queries(client, url)
    assert shown == PER_PAGE and len(Timeline(request_of(world[user]), world["expert"]).entries) == 100
    assert many == few


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request
