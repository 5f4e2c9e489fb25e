"""Hostile input on the care forms: each bad value is refused with a Chinese message inside its own
field's box on the form, and nothing is stored (no record, no attendance, no log entry)."""

import datetime

import pytest
from django.test import Client

from care.models import (
    CheckupAttendance,
    CheckupRound,
    FamilySupport,
    GreenChannelRequest,
    HealthLecture,
    LectureAttendance,
    RecuperationAttendance,
    RecuperationTrip,
)
from experts.models import Expert
from experts.services import remove_expert
from programme.forms import EXPERT_REFUSED, MAX_EXPERTS
from programme.models import AttendanceStatus, ProgrammeLogEntry
from staff.levels import Level

from .experts_builders import days_ago, make_expert, make_staff, make_superuser, make_unit
from .programme_builders import make_activity

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year
STORED = [
    CheckupRound,
    CheckupAttendance,
    RecuperationTrip,
    RecuperationAttendance,
    HealthLecture,
    LectureAttendance,
    GreenChannelRequest,
    FamilySupport,
    ProgrammeLogEntry,
]
INVALID_DATE = "输入一个有效的日期。"


@pytest.fixture
def world():
    root = make_superuser()
    xingbin_unit = make_unit("兴宾区人民医院", Level.XINGBIN)
    own = make_expert(root, xingbin_unit, name="兴宾专家")
    removed = make_expert(root, xingbin_unit, name="调出专家", joined_on="2020-01-01")
    remove_expert(removed, date=days_ago(1), reason="left_city", basis="调离本市。", user=root)
    deleted = make_expert(root, xingbin_unit, name="已删专家")
    deleted_pk = deleted.pk
    deleted.status_changes.all().delete()
    deleted.delete()
    return {
        "root": root,
        "xingbin": make_staff("xingbin", Level.XINGBIN),
        "own": own,
        "other": make_expert(root, make_unit("合山市人民医院", Level.HESHAN), name="合山专家"),
        "city": make_expert(root, make_unit("来宾市人民医院", Level.CITY), name="市本级专家"),
        "removed": removed,
        "deleted_pk": deleted_pk,
    }


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def valid_data(kind, world):
    expert = world["own"].pk
    return {
        "checkups": {"date": f"{YEAR}-03-01", "hospital": "兴宾区人民医院", "arrangements": "", "experts": [expert]},
        "recuperation": {
            "date": f"{YEAR}-05-01",
            "end_date": f"{YEAR}-05-05",
            "place": "北海",
            "kind": "recuperation",
            "experts": [expert],
        },
        "lectures": {"date": f"{YEAR}-06-01", "topic": "健康讲座", "speaker": "", "place": "礼堂", "experts": [expert]},
        "green-channel": {
            "expert": expert,
            "date": f"{YEAR}-02-01",
            "hospital": "兴宾区人民医院",
            "need": "协助预约门诊。",
            "status": "open",
            "handling": "",
        },
        "family-support": {
            "expert": expert,
            "date": f"{YEAR}-02-01",
            "kind": "schooling",
            "description": "子女入学。",
            "outcome": "in_progress",
            "outcome_note": "",
        },
    }[kind]


def counts():
    return [model.objects.count() for model in STORED]


def field_box(html, field):
    """The HTML of `field`'s box on a Wagtail form: from its content path to the next field's."""
    start = html.index(f'data-contentpath="{field}"')
    end = html.find("data-contentpath=", start + 1)
    return html[start : end if end != -1 else None]


def assert_refused(client, url, data, field, message):
    before = counts()
    response = client.post(url, data)
    assert response.status_code == 200, (field, message)
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, (field, errors)
    html = response.content.decode()
    assert message in field_box(html, field)
    assert counts() == before, (field, message)
    return html


KINDS = ["checkups", "recuperation", "lectures", "green-channel", "family-support"]
ACTIVITIES = ["checkups", "recuperation", "lectures"]
ONE_EXPERT = ["green-channel", "family-support"]


def test_the_valid_data_is_stored(world):
    # The cases below change one value of data that is otherwise stored.
    client = client_of(world["xingbin"])
    for kind in KINDS:
        assert client.post(f"/admin/care/{kind}/new/", valid_data(kind, world)).status_code == 302, kind
    assert counts()[:8] == [1, 1, 1, 1, 1, 1, 1, 1]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bad", ["abc", f"{YEAR}-02-30", "2026/13/01", "0000-01-01", "1" * 300, "\x00"])
def test_a_date_that_is_not_a_date(world, kind, bad):
    data = {**valid_data(kind, world), "date": bad}
    assert_refused(client_of(world["xingbin"]), f"/admin/care/{kind}/new/", data, "date", INVALID_DATE)


def test_a_recuperation_that_ends_before_it_starts(world):
    client = client_of(world["xingbin"])
    data = {**valid_data("recuperation", world), "date": f"{YEAR}-05-05", "end_date": f"{YEAR}-05-04"}
    assert_refused(client, "/admin/care/recuperation/new/", data, "end_date", "结束日期不能早于开始日期。")
    data = {**valid_data("recuperation", world), "end_date": "下周五"}
    assert_refused(client, "/admin/care/recuperation/new/", data, "end_date", INVALID_DATE)
    data = {**valid_data("recuperation", world), "kind": "vacation"}
    assert_refused(client, "/admin/care/recuperation/new/", data, "kind", "选择一个有效的选项。")


@pytest.mark.parametrize("kind", ACTIVITIES)
def test_experts_outside_the_offices_reach_are_refused(world, kind):
    client, url = client_of(world["xingbin"]), f"/admin/care/{kind}/new/"
    for experts in [
        [world["other"].pk],  # another county's
        [world["city"].pk],  # the city's
        [world["own"].pk, world["removed"].pk],  # removed from the database
        [world["own"].pk, world["deleted_pk"]],  # deleted
        ["abc"],
        ["-1"],
        ["1" * 40],
    ]:
        data = {**valid_data(kind, world), "experts": experts}
        html = assert_refused(client, url, data, "experts", EXPERT_REFUSED)
        assert "合山专家" not in html and "市本级专家" not in html and "调出专家" not in html
    assert_refused(client, url, {**valid_data(kind, world), "experts": []}, "experts", "请至少选择一位专家。")


@pytest.mark.parametrize("kind", ONE_EXPERT)
def test_an_expert_outside_the_offices_reach_is_refused(world, kind):
    client, url = client_of(world["xingbin"]), f"/admin/care/{kind}/new/"
    for expert in [world["other"].pk, world["city"].pk, world["removed"].pk, world["deleted_pk"], "abc", "1" * 40]:
        html = assert_refused(client, url, {**valid_data(kind, world), "expert": expert}, "expert", EXPERT_REFUSED)
        # The refused choice is shown as none: another office's expert's name never appears.
        assert "合山专家" not in html and "市本级专家" not in html and "调出专家" not in html
    assert_refused(client, url, {**valid_data(kind, world), "expert": ""}, "expert", "请选择专家。")


def test_more_than_the_most_experts_at_once(world):
    unit = world["own"].unit
    Expert.objects.bulk_create(
        Expert(
            name=f"批量专家{n}",
            gender="male",
            political_status="cpc",
            title_level="senior",
            unit=unit,
            level=Level.XINGBIN,
            talent_team="professional_technical",
        )
        for n in range(MAX_EXPERTS)
    )
    ids = list(Expert.objects.filter(level=Level.XINGBIN, status="active").values_list("pk", flat=True))
    assert len(ids) == MAX_EXPERTS + 1
    data = {**valid_data("checkups", world), "experts": ids}
    assert_refused(client_of(world["xingbin"]), "/admin/care/checkups/new/", data, "experts", "一次最多选择500位专家。")
    data["experts"] = ids[:MAX_EXPERTS]  # the most allowed is stored
    assert client_of(world["xingbin"]).post("/admin/care/checkups/new/", data).status_code == 302
    assert CheckupAttendance.objects.count() == MAX_EXPERTS


@pytest.mark.parametrize(
    ("kind", "field", "limit"),
    [
        ("checkups", "hospital", 100),
        ("checkups", "arrangements", 2000),
        ("recuperation", "place", 100),
        ("lectures", "topic", 100),
        ("lectures", "speaker", 50),
        ("green-channel", "hospital", 100),
        ("green-channel", "need", 1000),
        ("green-channel", "handling", 2000),
        ("family-support", "description", 2000),
        ("family-support", "outcome_note", 2000),
    ],
)
def test_huge_strings_are_refused(world, kind, field, limit):
    client, url = client_of(world["xingbin"]), f"/admin/care/{kind}/new/"
    for text in ["医" * (limit + 1), "x" * 200_000]:
        data = {**valid_data(kind, world), field: text}
        assert_refused(client, url, data, field, f"确保该变量包含不超过 {limit} 字符")
    assert_refused(client, url, {**valid_data(kind, world), field: "甲\x00乙"}, field, "不允许是用空字符串。")


def test_an_edit_with_a_bad_value_changes_nothing(world):
    client = client_of(world["xingbin"])
    round_ = make_activity(
        CheckupRound, [world["own"]], level=Level.XINGBIN, date=datetime.date(YEAR, 3, 1), hospital="原医院"
    )
    url = f"/admin/care/checkups/edit/{round_.pk}/"
    data = {**valid_data("checkups", world), "hospital": "新医院", "experts": [world["own"].pk, world["other"].pk]}
    assert_refused(client, url, data, "experts", EXPERT_REFUSED)
    data = {**valid_data("checkups", world), "hospital": "新医院", "date": "abc"}
    assert_refused(client, url, data, "date", INVALID_DATE)
    round_.refresh_from_db()
    assert round_.hospital == "原医院"
    assert list(round_.attendances.values_list("expert_id", flat=True)) == [world["own"].pk]


def test_the_attendance_form_refuses_a_made_up_status_and_changes_nothing(world):
    client = client_of(world["xingbin"])
    round_ = make_activity(
        CheckupRound,
        [world["own"]],
        level=Level.XINGBIN,
        date=datetime.date(YEAR, 3, 1),
        hospital="医院",
        status=AttendanceStatus.INVITED,
    )
    other = make_activity(CheckupRound, [world["own"]], level=Level.XINGBIN, hospital="另一医院")
    attendance, elsewhere = round_.attendances.get(), other.attendances.get()
    url = f"/admin/care/checkups/attendance/{round_.pk}/"
    for status in ["present", "", "\x00", "x" * 10_000]:
        response = client.post(url, {f"status_{attendance.pk}": status, f"status_{elsewhere.pk}": "declined"})
        assert response.status_code == 200
        assert "请为每位专家选择参加情况。" in response.content.decode()
    # Another round's attendance posted here is ignored.
    assert (
        client.post(url, {f"status_{attendance.pk}": "attended", f"status_{elsewhere.pk}": "declined"}).status_code
        == 302
    )
    assert attendance.__class__.objects.get(pk=attendance.pk).status == AttendanceStatus.ATTENDED
    assert attendance.__class__.objects.get(pk=elsewhere.pk).status == AttendanceStatus.ATTENDED


def test_the_expert_chooser_answers_odd_ids_without_failing(world):
    client = client_of(world["xingbin"])
    for pk in ["abc", "1" * 40, world["other"].pk, world["removed"].pk, world["deleted_pk"]]:
        assert client.get(f"/admin/experts/chooser/chosen/{pk}/").status_code == 404, pk
    response = client.get(
        "/admin/experts/chooser/chosen-multiple/",
        {"id": ["1" * 40, "abc", "²", world["other"].pk, world["own"].pk]},
    )
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["result"]] == ["兴宾专家（兴宾区人民医院）"]


def test_a_one_expert_form_still_shows_its_expert(world):
    client = client_of(world["xingbin"])
    request = GreenChannelRequest.objects.create(
        expert=world["own"], level=Level.XINGBIN, hospital="医院", need="预约", date=datetime.date(YEAR, 2, 1)
    )
    html = client.get(f"/admin/care/green-channel/edit/{request.pk}/").content.decode()
    assert "兴宾专家（兴宾区人民医院）" in field_box(html, "expert")
    data = {**valid_data("green-channel", world), "hospital": "医" * 101}
    html = assert_refused(client, "/admin/care/green-channel/new/", data, "hospital", "确保该变量包含不超过 100 字符")
    assert "兴宾专家（兴宾区人民医院）" in field_box(html, "expert")  # a valid choice stays shown
