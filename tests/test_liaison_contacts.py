"""Contact records (联系服务记录) and follow-ups (问题跟踪) in the admin: the record form and its
refusals, group activities, must-visits, materials, follow-up status rules, overdue items, query
counts and who reaches which row."""

import datetime
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from experts.services import remove_expert
from liaison import services
from liaison.models import (
    Body,
    ContactAttachment,
    ContactKind,
    ContactLogEntry,
    ContactRecord,
    EventKind,
    EventReport,
    FollowUp,
    FollowUpLogEntry,
    FollowUpStatus,
    MustVisit,
)
from staff.levels import Level

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .intake_builders import exe_upload, image_upload, pdf_upload
from .liaison_builders import (
    contact,
    contact_form_data,
    follow_up_row,
    make_follow_up,
    make_leader,
    make_leader_user,
    make_liaison,
    make_office_user,
    pair,
)
from .test_bad_input import expected, statuses

pytestmark = pytest.mark.django_db

CONTACTS = "/admin/liaison/contacts/"
ADD = f"{CONTACTS}new/"
FOLLOW_UPS = "/admin/liaison/followups/"


@pytest.fixture(autouse=True)
def private_root(tmp_path):
    """The materials' folder, one per test (the storage read LIAISON_ATTACHMENT_ROOT when models loaded)."""
    storage = ContactAttachment._meta.get_field("file").storage
    saved = storage._location
    storage._location = str(tmp_path / "private-liaison")
    storage.__dict__.pop("base_location", None)
    storage.__dict__.pop("location", None)
    yield Path(storage.location)
    storage._location = saved
    storage.__dict__.pop("base_location", None)
    storage.__dict__.pop("location", None)


@pytest.fixture
def world():
    """City and county offices, leaders of two bodies at the city and one in 象州县, their logins and
    offices, experts in the city, 象州县 and 武宣县, and a unit liaison."""
    city = make_staff("city", Level.CITY)
    county = make_staff("xiangzhou", Level.XIANGZHOU)
    hospital = make_unit("来宾市人民医院", Level.CITY)
    school = make_unit("象州县中学", Level.XIANGZHOU)
    wuxuan_school = make_unit("武宣县中学", Level.WUXUAN)
    experts = {
        "city_a": make_expert(city, hospital, name="市专家甲"),
        "city_b": make_expert(city, hospital, name="市专家乙"),
        "city_c": make_expert(city, hospital, name="市专家丙"),
        "county_a": make_expert(county, school, name="县专家甲"),
        "wuxuan_a": make_expert(city, wuxuan_school, name="武宣专家甲"),
    }
    city_party = make_leader("覃书记", Level.CITY, Body.PARTY)
    city_gov = make_leader("韦市长", Level.CITY, Body.GOVERNMENT, post="市长")
    county_gov = make_leader("蓝县长", Level.XIANGZHOU, Body.GOVERNMENT, post="县长")
    return {
        "city": city,
        "county": county,
        "other_county": make_staff("wuxuan", Level.WUXUAN),
        "experts": experts,
        "city_party": city_party,
        "city_gov": city_gov,
        "county_gov": county_gov,
        "leader_user": make_leader_user("qin", city_party),
        "city_party_office": make_office_user("shiweiban", Body.PARTY, Level.CITY),
        "county_gov_office": make_office_user("xianzhengfuban", Body.GOVERNMENT, Level.XIANGZHOU),
        "liaison": make_liaison("lianluoyuan", school),
    }


def field_error(html, name, row=None):
    """The error shown next to field `name` (of follow-up row `row`, counted from 0), or ""."""
    scope = BeautifulSoup(html, "html.parser")
    if row is not None:
        scope = scope.select("[data-follow-up-rows] [data-follow-up-row]")[row]
    field = scope.select_one(f'[data-contentpath="{name}"]')
    error = field.select_one(".error-message") if field else None
    return error.get_text(" ", strip=True) if error else ""


def status_of(response):
    """The response's status, 403 for Wagtail's rendering of a refusal (PermissionDenied in an admin
    view is a redirect to the dashboard with a message)."""
    if response.status_code == 302 and response["Location"] == "/admin/":
        return 403
    return response.status_code


def stored_files(root):
    return [path for path in Path(root).rglob("*") if path.is_file()] if Path(root).exists() else []


def nothing_stored(root):
    return not (
        ContactRecord.objects.exists()
        or FollowUp.objects.exists()
        or ContactAttachment.objects.exists()
        or stored_files(root)
    )


# The record form ---------------------------------------------------------------------------


def test_a_symposium_is_entered_once_and_counts_for_each_expert(client, world):
    experts = world["experts"]
    group = [experts["city_a"], experts["city_b"], experts["county_a"]]
    user = world["city_party_office"]
    client.force_login(user)
    data = contact_form_data([world["city_party"]], group, rows=[follow_up_row(experts["city_b"])])
    response = client.post(ADD, data)
    assert response.status_code == 302, field_error(response.content.decode(), "experts")
    record = ContactRecord.objects.get()
    for expert in group:
        assert list(expert.contacts.all()) == [record]
    follow_up = FollowUp.objects.get()
    assert list(experts["city_b"].follow_ups.all()) == [follow_up]
    assert (follow_up.record, follow_up.status) == (record, FollowUpStatus.OPEN)
    assert (record.level, record.recorded_by) == (Level.CITY, user)
    assert ContactLogEntry.objects.filter(contact=record, action="wagtail.create", user=user).exists()
    assert FollowUpLogEntry.objects.filter(follow_up=follow_up, action="wagtail.create", user=user).exists()
    # The county office sees the record of the city's symposium, as one of its experts took part.
    client.force_login(world["county"])
    assert client.get(f"{CONTACTS}inspect/{record.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("user", "leader", "expert", "level"),
    [
        ("city", "county_gov", "county_a", Level.CITY),
        ("county", "county_gov", "county_a", Level.XIANGZHOU),
        ("county_gov_office", "county_gov", "county_a", Level.XIANGZHOU),
        ("city_party_office", "city_party", "county_a", Level.CITY),
    ],
)
def test_the_record_level_is_the_recording_office_s_never_the_posted_one(client, world, user, leader, expert, level):
    client.force_login(world[user])
    data = contact_form_data([world[leader]], [world["experts"][expert]], level=Level.WUXUAN)
    assert client.post(ADD, data).status_code == 302
    assert ContactRecord.objects.get().level == level


def future(world):
    return {"date": f"{timezone.localdate() + datetime.timedelta(days=1):%Y-%m-%d}"}


@pytest.mark.parametrize(
    ("user", "leaders", "experts", "changes", "field", "message"),
    [
        ("city", ["city_party"], ["city_a"], future, "date", "联系日期不能晚于今天"),
        # An expert or a leader outside the user's scope, posted by hand.
        ("county", ["county_gov"], ["county_a", "wuxuan_a"], None, "experts", "只能选择您负责范围内的在库专家"),
        ("county_gov_office", ["county_gov"], ["city_a"], None, "experts", "只能选择您负责范围内的在库专家"),
        ("county", ["city_party"], ["county_a"], None, "leaders", "只能选择您可以登记联系记录的在任领导"),
        ("city_party_office", ["city_gov"], ["city_a"], None, "leaders", "只能选择您可以登记联系记录的在任领导"),
        ("city", [], ["city_a"], None, "leaders", "请至少选择一位参加的领导"),
        ("city", ["city_party"], [], None, "experts", "请至少选择一位专家"),
    ],
)
def test_the_form_refuses_with_a_message_next_to_the_field_and_stores_nothing(
    client, world, private_root, user, leaders, experts, changes, field, message
):
    client.force_login(world[user])
    data = contact_form_data(
        [world[name] for name in leaders],
        [world["experts"][name] for name in experts],
        rows=[follow_up_row(world["experts"][experts[0]])] if experts else [],
        **(changes(world) if changes else {}),
    )
    response = client.post(ADD, data, format="multipart")
    html = response.content.decode()
    assert response.status_code == 200
    assert message in field_error(html, field)
    assert "武宣专家甲" not in html  # an expert posted by hand is never shown back
    assert nothing_stored(private_root)


def test_a_removed_expert_posted_by_hand_is_refused(client, world, private_root):
    expert = world["experts"]["city_c"]
    remove_expert(expert, date=timezone.localdate(), reason="left_city", basis="调离", user=world["city"])
    client.force_login(world["city"])
    response = client.post(ADD, contact_form_data([world["city_party"]], [expert]))
    assert "只能选择您负责范围内的在库专家" in field_error(response.content.decode(), "experts")
    assert nothing_stored(private_root)


@pytest.mark.parametrize("bad_id", ["9" * 40, "-1", "abc"])
def test_an_id_no_expert_can_have_is_refused_next_to_the_field(client, world, private_root, bad_id):
    client.force_login(world["city"])
    data = {**contact_form_data([world["city_party"]], [world["experts"]["city_a"]]), "experts": [bad_id]}
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "只能选择您负责范围内的在库专家" in field_error(response.content.decode(), "experts")
    assert nothing_stored(private_root)


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (lambda experts: follow_up_row(experts["city_b"]), "expert", "该专家不在本次联系的专家中"),
        (lambda experts: {**follow_up_row(experts["city_a"]), "due_on": ""}, "due_on", "请填写办结时限"),
        (lambda experts: follow_up_row(experts["city_a"], problem=""), "problem", "请填写反映的问题"),
        (
            lambda experts: follow_up_row(experts["city_a"], due_on=timezone.localdate() - datetime.timedelta(days=1)),
            "due_on",
            "办结时限不能早于联系日期",
        ),
    ],
)
def test_a_follow_up_row_is_refused_next_to_its_field_and_nothing_is_stored(
    client, world, private_root, row, field, message
):
    experts = world["experts"]
    client.force_login(world["city"])
    rows = [follow_up_row(experts["city_a"]), row(experts)]
    response = client.post(
        ADD, contact_form_data([world["city_party"]], [experts["city_a"]], rows=rows, attachments=pdf_upload())
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in field_error(html, field, row=1)
    assert field_error(html, field, row=0) == ""
    assert "请修改下方“反映的问题”中标出的错误" in html
    assert "刚才选择的材料没有保存" in html
    assert nothing_stored(private_root)


def test_the_form_offers_only_the_leaders_the_user_may_record_for(client, world):
    world["city_gov"].active = False
    world["city_gov"].save()
    pages = {}
    for user in ("city", "county", "city_party_office"):
        client.force_login(world[user])
        pages[user] = client.get(ADD).content.decode()
    assert "覃书记" in pages["city"] and "蓝县长" in pages["city"] and "韦市长" not in pages["city"]  # 韦市长 left
    assert "蓝县长" in pages["county"] and "覃书记" not in pages["county"]
    assert "覃书记" in pages["city_party_office"] and "蓝县长" not in pages["city_party_office"]


def test_an_edit_keeps_what_the_record_holds_beyond_the_editor_s_choices(client, world):
    """A leader office edits the city office's record of its leader: an expert removed since stays."""
    experts = world["experts"]
    record = contact([world["city_party"]], [experts["city_a"], experts["city_c"]])
    remove_expert(experts["city_c"], date=timezone.localdate(), reason="left_city", basis="调离", user=world["city"])
    client.force_login(world["city_party_office"])
    page = client.get(f"{CONTACTS}edit/{record.pk}/").content.decode()
    assert "市专家丙" in page
    data = contact_form_data([world["city_party"]], [experts["city_a"], experts["city_c"]], summary="补充座谈情况。")
    assert client.post(f"{CONTACTS}edit/{record.pk}/", data).status_code == 302
    record.refresh_from_db()
    assert record.summary == "补充座谈情况。"
    assert set(record.experts.values_list("name", flat=True)) == {"市专家甲", "市专家丙"}
    assert ContactLogEntry.objects.filter(contact=record, action="wagtail.edit").exists()


def test_an_existing_follow_up_is_kept_and_edited_in_the_record_form(client, world):
    experts = world["experts"]
    record = contact([world["city_party"]], [experts["city_a"]])
    follow_up = make_follow_up(record, experts["city_a"], timezone.localdate() + datetime.timedelta(days=10))
    client.force_login(world["city"])
    row = follow_up_row(experts["city_a"], owner="市人社局", id=follow_up.pk, record=record.pk)
    data = contact_form_data([world["city_party"]], [experts["city_a"]], rows=[row])
    data["follow_ups-INITIAL_FORMS"] = "1"
    assert client.post(f"{CONTACTS}edit/{record.pk}/", data).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.owner == "市人社局"
    assert FollowUpLogEntry.objects.filter(follow_up=follow_up, action="wagtail.edit").exists()
    # Taking the expert out of the record while a problem of theirs is followed is refused.
    data = contact_form_data([world["city_party"]], [experts["city_b"]], rows=[row])
    data["follow_ups-INITIAL_FORMS"] = "1"
    response = client.post(f"{CONTACTS}edit/{record.pk}/", data)
    assert "该专家不在本次联系的专家中" in field_error(response.content.decode(), "expert", row=0)
    assert list(record.experts.all()) == [experts["city_a"]]


# Must-visits and the one transaction ----------------------------------------------------------


def accepted_achievement(world, expert):
    liaison = make_liaison("hospital-liaison", expert.unit)
    report = services.file_report(
        EventReport(
            expert=expert, kind=EventKind.ACHIEVEMENT, event_date=timezone.localdate(), details="获得自治区科技进步奖。"
        ),
        user=liaison,
    )
    return services.accept_report(report, user=world["city"])


def test_a_must_visit_record_does_the_pending_must_visits(client, world):
    expert = world["experts"]["city_a"]
    pair(world["city_party"], expert)
    pair(world["city_gov"], expert)
    accepted_achievement(world, expert)
    assert MustVisit.objects.filter(done_by__isnull=True).count() == 2
    client.force_login(world["city_party_office"])
    data = contact_form_data([world["city_party"]], [expert], kind=ContactKind.ACHIEVEMENT_VISIT)
    assert client.post(ADD, data).status_code == 302
    record = ContactRecord.objects.get()
    assert MustVisit.objects.get(leader=world["city_party"]).done_by == record
    assert MustVisit.objects.get(leader=world["city_gov"]).done_by is None  # 韦市长 has not visited yet
    assert "获得重大成就必访" in client.get(f"{CONTACTS}inspect/{record.pk}/").content.decode()


def test_an_error_after_the_record_is_saved_leaves_nothing_behind(client, world, private_root, monkeypatch):
    def fail(record):
        raise RuntimeError("must-visits unavailable")

    monkeypatch.setattr(services, "mark_must_visits_done", fail)
    experts = world["experts"]
    client.force_login(world["city"])
    data = contact_form_data(
        [world["city_party"]], [experts["city_a"]], rows=[follow_up_row(experts["city_a"])], attachments=pdf_upload()
    )
    with pytest.raises(RuntimeError):
        client.post(ADD, data)
    assert nothing_stored(private_root)
    assert not ContactLogEntry.objects.exists()


# Materials ---------------------------------------------------------------------------------


def test_materials_are_stored_privately_under_their_checked_type(client, world, settings, private_root):
    client.force_login(world["city_party_office"])
    uploads = [pdf_upload("座谈会纪要.pdf"), image_upload("合影.jpg", "JPEG"), image_upload("看起来是.pdf")]
    data = contact_form_data([world["city_party"]], [world["experts"]["city_a"]], attachments=uploads)
    assert client.post(ADD, data).status_code == 302
    attachments = list(ContactRecord.objects.get().attachments.order_by("pk"))
    assert [attachment.name for attachment in attachments] == ["座谈会纪要.pdf", "合影.jpg", "看起来是.pdf"]
    assert [attachment.extension for attachment in attachments] == ["pdf", "jpg", "png"]
    for attachment in attachments:
        path = Path(attachment.file.path)
        assert path.is_relative_to(private_root) and not path.is_relative_to(settings.MEDIA_ROOT)
        assert not path.stem.startswith(("座谈", "合影"))  # a random name on disk
    assert ContactLogEntry.objects.filter(action="liaison.contact.attachment_added").count() == 3


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (exe_upload, "附件只能是PDF、JPEG或PNG文件"),
        (lambda: pdf_upload(size=5 * 1024 * 1024 + 1), "附件不能超过5MB"),
        (lambda: SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"broken" * 10), "图片文件已损坏"),
    ],
)
def test_unsafe_materials_are_refused_next_to_the_field(client, world, private_root, upload, message):
    client.force_login(world["city"])
    data = contact_form_data([world["city_party"]], [world["experts"]["city_a"]], attachments=[pdf_upload(), upload()])
    response = client.post(ADD, data)
    assert message in field_error(response.content.decode(), "attachments")
    assert nothing_stored(private_root)


@pytest.fixture
def record_with_material(client, world):
    client.force_login(world["city_party_office"])
    experts = [world["experts"]["city_a"], world["experts"]["county_a"]]
    data = contact_form_data([world["city_party"]], experts, attachments=pdf_upload("纪要.pdf"))
    assert client.post(ADD, data).status_code == 302
    client.logout()
    return ContactRecord.objects.get()


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("city", 200),
        ("county", 200),  # one of the county's experts took part
        ("leader_user", 200),
        ("city_party_office", 200),
        ("other_county", 404),
        ("county_gov_office", 404),
        ("liaison", 404),
    ],
)
def test_materials_are_served_only_to_those_who_see_the_record(client, world, record_with_material, user, status):
    attachment = record_with_material.attachments.get()
    client.force_login(world[user])
    response = client.get(f"{CONTACTS}attachment/{attachment.pk}/")
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert "attachment" in response["Content-Disposition"]
        assert ContactLogEntry.objects.filter(action="liaison.contact.attachment_viewed", user=world[user]).exists()


def test_a_material_is_served_under_the_type_its_content_is(client, world):
    client.force_login(world["city"])
    data = contact_form_data(
        [world["city_party"]], [world["experts"]["city_a"]], attachments=image_upload("扫描件.pdf")
    )
    assert client.post(ADD, data).status_code == 302
    response = client.get(f"{CONTACTS}attachment/{ContactAttachment.objects.get().pk}/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert "%E6%89%AB%E6%8F%8F%E4%BB%B6.png" in response["Content-Disposition"]  # 扫描件.png


def test_a_removed_material_leaves_the_disk_once_the_edit_is_saved(
    client, world, record_with_material, django_capture_on_commit_callbacks
):
    record = record_with_material
    attachment = record.attachments.get()
    path = Path(attachment.file.path)
    client.force_login(world["city_party_office"])
    data = contact_form_data([world["city_party"]], list(record.experts.all()), remove_attachments=[attachment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{CONTACTS}edit/{record.pk}/", data).status_code == 302
    assert not record.attachments.exists()
    assert not path.exists()
    assert ContactLogEntry.objects.filter(contact=record, action="liaison.contact.attachment_removed").exists()


# Follow-up status ----------------------------------------------------------------------------


@pytest.fixture
def follow_up(world):
    record = contact([world["city_party"]], [world["experts"]["city_a"]])
    return make_follow_up(record, world["experts"]["city_a"], timezone.localdate() + datetime.timedelta(days=10))


def post_status(client, follow_up, status, outcome=""):
    return client.post(f"{FOLLOW_UPS}status/{follow_up.pk}/", {"status": status, "outcome": outcome})


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (FollowUpStatus.SOLVED, "标记为已解决时，请写明如何解决的"),
        (FollowUpStatus.UNSOLVABLE, "标记为无法解决时，请写明原因"),
    ],
)
def test_closing_a_follow_up_needs_its_outcome(client, world, follow_up, status, message):
    client.force_login(world["city_party_office"])
    response = post_status(client, follow_up, status, "   ")
    assert message in field_error(response.content.decode(), "outcome")
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.closed_on) == (FollowUpStatus.OPEN, None)
    assert not FollowUpLogEntry.objects.exists()


def test_closing_sets_the_closing_date_and_reopening_clears_it_each_change_logged(client, world, follow_up):
    user = world["city_party_office"]
    client.force_login(user)
    assert post_status(client, follow_up, FollowUpStatus.SOLVED, "已协调入学。").status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.closed_on, follow_up.outcome) == (
        FollowUpStatus.SOLVED,
        timezone.localdate(),
        "已协调入学。",
    )
    assert post_status(client, follow_up, FollowUpStatus.IN_PROGRESS, "家长反映仍未落实。").status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.closed_on) == (FollowUpStatus.IN_PROGRESS, None)
    entries = FollowUpLogEntry.objects.filter(follow_up=follow_up, action="liaison.followup.status").order_by("pk")
    assert [(entry.data["before"], entry.data["after"], entry.user) for entry in entries] == [
        (FollowUpStatus.OPEN, FollowUpStatus.SOLVED, user),
        (FollowUpStatus.SOLVED, FollowUpStatus.IN_PROGRESS, user),
    ]
    history = client.get(f"{FOLLOW_UPS}history/{follow_up.pk}/").content.decode()
    assert "办理状态：已解决 → 办理中" in history


def test_a_closed_follow_up_keeps_its_closing_date_when_its_outcome_changes(world, follow_up):
    earlier = timezone.localdate() - datetime.timedelta(days=3)
    FollowUp.objects.filter(pk=follow_up.pk).update(status=FollowUpStatus.SOLVED, outcome="已解决。", closed_on=earlier)
    follow_up.refresh_from_db()
    services.change_follow_up_status(
        follow_up, status=FollowUpStatus.UNSOLVABLE, outcome="政策不允许。", user=world["city"]
    )
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.closed_on) == (FollowUpStatus.UNSOLVABLE, earlier)


def test_a_status_form_that_changes_nothing_is_refused(client, world, follow_up):
    client.force_login(world["city"])
    response = post_status(client, follow_up, FollowUpStatus.OPEN)
    assert "办理状态和办理结果都没有变化" in field_error(response.content.decode(), "status")


# Overdue follow-ups --------------------------------------------------------------------------


def test_overdue_follow_ups_stand_out_in_words_and_can_be_filtered(client, world):
    experts = world["experts"]
    record = contact([world["city_party"]], [experts["city_a"], experts["city_b"]])
    today = timezone.localdate()
    late = make_follow_up(record, experts["city_a"], today - datetime.timedelta(days=5), leader_attention=True)
    make_follow_up(record, experts["city_b"], today + datetime.timedelta(days=5), problem="职称评审咨询。")
    make_follow_up(
        record,
        experts["city_b"],
        today - datetime.timedelta(days=9),
        problem="已办结的旧问题。",
        status=FollowUpStatus.SOLVED,
    )
    client.force_login(world["leader_user"])
    soup = BeautifulSoup(client.get(FOLLOW_UPS).content.decode(), "html.parser")
    overdue_rows = soup.select("tr.liaison-row--overdue")
    assert len(overdue_rows) == 1
    assert "已逾期 5 天" in overdue_rows[0].get_text()
    assert overdue_rows[0].select("td")[-1].get_text(strip=True) == "是"  # 领导直接过问
    assert re.findall(r"已逾期 \d+ 天", soup.get_text()) == ["已逾期 5 天"]  # not the later one, not the closed one
    filtered = client.get(f"{FOLLOW_UPS}?overdue=true")
    assert [row.pk for row in filtered.context["object_list"]] == [late.pk]
    detail = client.get(f"{FOLLOW_UPS}inspect/{late.pk}/").content.decode()
    assert "已逾期 5 天" in detail
    assert "已逾期 5 天" in client.get(f"{CONTACTS}inspect/{record.pk}/").content.decode()


# Lists: what they show, search, filters, constant queries ----------------------------------------


def test_the_list_shows_each_record_once_with_its_count_of_experts_and_open_problems(client, world):
    experts = world["experts"]
    record = contact(
        [world["city_party"], world["city_gov"]],
        [experts["city_a"], experts["city_b"], experts["city_c"], experts["county_a"]],
    )
    make_follow_up(record, experts["city_a"], timezone.localdate())
    client.force_login(world["city"])
    cells = BeautifulSoup(client.get(CONTACTS).content.decode(), "html.parser").select("table.listing tbody td")
    summary = next(cell.get_text(strip=True) for cell in cells if "人：" in cell.get_text())
    assert summary.startswith("4人：") and summary.endswith("等")  # four experts, the first three named
    names = summary.removeprefix("4人：").removesuffix("等").split("、")
    assert len(set(names)) == 3 and set(names) <= {"市专家甲", "市专家乙", "市专家丙", "县专家甲"}
    rows = client.get(f"{CONTACTS}?q=市专家").context["object_list"]
    assert [row.pk for row in rows] == [record.pk]  # three experts match; the record is listed once
    assert rows[0].expert_count == 4 and rows[0].open_follow_ups == 1
    assert [row.pk for row in client.get(f"{CONTACTS}?q=韦市长").context["object_list"]] == [record.pk]
    assert not client.get(f"{CONTACTS}?q=蓝县长").context["object_list"]


def test_the_list_filters_by_kind_group_year_leader_and_expert_level(client, world):
    experts = world["experts"]
    today = timezone.localdate()
    visit = contact([world["city_party"]], [experts["city_a"]], kind=ContactKind.HARDSHIP_VISIT)
    symposium = contact([world["city_gov"]], [experts["county_a"]], kind=ContactKind.SYMPOSIUM)
    last_year = contact(
        [world["city_gov"]], [experts["city_b"]], kind=ContactKind.FIELD_VISIT, date=today.replace(year=today.year - 1)
    )
    client.force_login(world["city"])

    def listed(query):
        response = client.get(f"{CONTACTS}?{query}")
        assert response.status_code == 200
        return {row.pk for row in response.context["object_list"]}

    assert listed("kind=must_visit") == {visit.pk}
    assert listed("kind=six_activities") == {symposium.pk}
    assert listed(f"year={today.year - 1}") == {last_year.pk}
    assert listed(f"leader={world['city_gov'].pk}") == {symposium.pk, last_year.pk}
    assert listed("expert_level=xiangzhou") == {symposium.pk}
    assert listed(f"date_from={today:%Y-%m-%d}&date_to={today:%Y-%m-%d}") == {visit.pk, symposium.pk}


def group_activity(world, number):
    experts = list(world["experts"].values())[:4]
    record = contact([world["city_party"], world["city_gov"]], experts, date=timezone.localdate())
    make_follow_up(record, experts[0], timezone.localdate() - datetime.timedelta(days=number % 3))
    make_follow_up(record, experts[1], timezone.localdate() + datetime.timedelta(days=number))
    return record


@pytest.mark.parametrize("address", [CONTACTS, FOLLOW_UPS, f"{CONTACTS}?q=专家", f"{FOLLOW_UPS}?overdue=true"])
@pytest.mark.parametrize("user", ["city", "city_party_office"])
def test_list_queries_do_not_grow_with_rows(client, world, address, user):
    group_activity(world, 1)
    client.force_login(world[user])
    client.get(address)  # warm caches (content types, site)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    few = count_queries()
    for number in range(2, 16):
        group_activity(world, number)
    assert count_queries() == few


# Who reaches which route, with crafted ids ---------------------------------------------------------


@pytest.fixture
def rows(world):
    """A city record of 覃书记 with a city expert, a 象州县 record of 蓝县长, each with a follow-up."""
    experts = world["experts"]
    city_record = contact([world["city_party"]], [experts["city_a"]])
    county_record = contact([world["county_gov"]], [experts["county_a"]], level=Level.XIANGZHOU)
    due = timezone.localdate() + datetime.timedelta(days=3)
    return {
        "city_record": city_record,
        "county_record": county_record,
        "city_follow_up": make_follow_up(city_record, experts["city_a"], due),
        "county_follow_up": make_follow_up(county_record, experts["county_a"], due),
    }


def record_routes(pk):
    return {
        "inspect": f"{CONTACTS}inspect/{pk}/",
        "edit": f"{CONTACTS}edit/{pk}/",
        "history": f"{CONTACTS}history/{pk}/",
        "history-results": f"{CONTACTS}history-results/{pk}/",
        "usage": f"{CONTACTS}usage/{pk}/",
        "delete": f"{CONTACTS}delete/{pk}/",
    }


def follow_up_routes(pk):
    return {
        "inspect": f"{FOLLOW_UPS}inspect/{pk}/",
        "history": f"{FOLLOW_UPS}history/{pk}/",
        "history-results": f"{FOLLOW_UPS}history-results/{pk}/",
        "status": f"{FOLLOW_UPS}status/{pk}/",
    }


# (user, record or follow-up, route, status): 404 where the row is not theirs, 403 where they see it but may not act.
ROUTE_CASES = [
    # A county office of another county.
    ("other_county", "county_record", "inspect", 404),
    ("other_county", "county_record", "edit", 404),
    ("other_county", "county_record", "history", 404),
    ("other_county", "county_record", "usage", 404),
    ("other_county", "county_record", "history-results", 404),
    ("other_county", "county_follow_up", "history-results", 404),
    ("other_county", "county_follow_up", "inspect", 404),
    ("other_county", "county_follow_up", "status", 404),
    ("other_county", "county_follow_up", "history", 404),
    # The county office on its own rows, and on the city's.
    ("county", "county_record", "edit", 200),
    ("county", "county_follow_up", "status", 200),
    ("county", "city_record", "inspect", 404),
    ("county", "city_follow_up", "status", 404),
    # A leader: their own rows to read, nothing to change.
    ("leader_user", "city_record", "inspect", 200),
    ("leader_user", "city_record", "history", 200),
    ("leader_user", "city_record", "edit", 403),
    ("leader_user", "city_follow_up", "inspect", 200),
    ("leader_user", "city_follow_up", "status", 403),
    ("leader_user", "county_record", "inspect", 404),
    ("leader_user", "county_record", "edit", 404),
    ("leader_user", "county_follow_up", "status", 404),
    # A leader's office: its body's leaders' rows.
    ("city_party_office", "city_record", "edit", 200),
    ("city_party_office", "city_follow_up", "status", 200),
    ("city_party_office", "city_record", "delete", 403),
    ("city_party_office", "county_record", "inspect", 404),
    ("city_party_office", "county_record", "edit", 404),
    ("city_party_office", "county_follow_up", "inspect", 404),
    ("county_gov_office", "county_record", "edit", 200),
    ("county_gov_office", "city_record", "edit", 404),
    ("county_gov_office", "city_follow_up", "status", 404),
    # A unit liaison has nothing here.
    ("liaison", "county_record", "inspect", 404),
    ("liaison", "county_record", "edit", 404),
    ("liaison", "county_record", "history", 404),
    ("liaison", "county_record", "history-results", 404),
    ("liaison", "county_record", "usage", 404),
    ("liaison", "county_follow_up", "history-results", 404),
    ("leader_user", "county_record", "history-results", 404),
    ("city_party_office", "county_record", "usage", 404),
    ("liaison", "county_follow_up", "inspect", 404),
    ("liaison", "county_follow_up", "status", 404),
]


@pytest.mark.parametrize(("user", "row", "route", "status"), ROUTE_CASES)
def test_each_route_answers_only_within_the_user_s_rows(client, world, rows, user, row, route, status):
    routes = record_routes if row.endswith("record") else follow_up_routes
    client.force_login(world[user])
    assert status_of(client.get(routes(rows[row].pk)[route])) == status


def test_a_county_office_sees_but_may_not_edit_the_city_s_record_of_its_expert(client, world, rows):
    record = contact([world["city_party"]], [world["experts"]["county_a"]])
    client.force_login(world["county"])
    assert client.get(f"{CONTACTS}inspect/{record.pk}/").status_code == 200
    assert status_of(client.get(f"{CONTACTS}edit/{record.pk}/")) == 403
    assert status_of(client.post(f"{CONTACTS}edit/{record.pk}/", {})) == 403
    listing = client.get(CONTACTS)
    assert f"{CONTACTS}edit/{record.pk}/" not in listing.content.decode()


@pytest.mark.parametrize(
    ("user", "records", "follow_ups", "may_add"),
    [
        ("city", {"city_record", "county_record"}, {"city_follow_up", "county_follow_up"}, True),
        ("county", {"county_record"}, {"county_follow_up"}, True),
        ("other_county", set(), set(), True),
        ("leader_user", {"city_record"}, {"city_follow_up"}, False),
        ("city_party_office", {"city_record"}, {"city_follow_up"}, True),
        ("county_gov_office", {"county_record"}, {"county_follow_up"}, True),
    ],
)
def test_each_role_lists_its_own_rows_and_only_offices_may_add(client, world, rows, user, records, follow_ups, may_add):
    client.force_login(world[user])
    listed = {row.pk for row in client.get(CONTACTS).context["object_list"]}
    assert listed == {rows[name].pk for name in records}
    listed = {row.pk for row in client.get(FOLLOW_UPS).context["object_list"]}
    assert listed == {rows[name].pk for name in follow_ups}
    assert (client.get(ADD).status_code == 200) is may_add
    data = contact_form_data([world["city_party"]], [world["experts"]["city_a"]])
    if not may_add:
        assert status_of(client.post(ADD, data)) == 403
        assert ContactRecord.objects.count() == 2


def test_a_unit_liaison_reaches_no_list_and_no_form(client, world, rows):
    client.force_login(world["liaison"])
    chooser = "/admin/experts/chooser/"
    for address in (CONTACTS, FOLLOW_UPS, ADD, chooser, f"{chooser}chosen/{world['experts']['county_a'].pk}/"):
        assert status_of(client.get(address, {"purpose": "contacts"})) == 403, address


def test_the_expert_chooser_offers_and_returns_only_the_user_s_active_experts(client, world):
    experts = world["experts"]
    client.force_login(world["county_gov_office"])
    page = json.loads(client.get("/admin/experts/chooser/?purpose=contacts&multiple=1").content)["html"]
    assert "县专家甲" in page and "市专家甲" not in page and "武宣专家甲" not in page
    ids = f"id={experts['county_a'].pk}&id={experts['wuxuan_a'].pk}&id=abc"
    chosen = json.loads(client.get(f"/admin/experts/chooser/chosen-multiple/?purpose=contacts&{ids}").content)
    assert [item["title"] for item in chosen["result"]] == ["县专家甲（象州县中学）"]
    assert client.get(f"/admin/experts/chooser/chosen/{experts['wuxuan_a'].pk}/?purpose=contacts").status_code == 404


def test_a_superuser_may_do_everything(client, world, rows):
    client.force_login(make_superuser())
    for routes in (record_routes(rows["county_record"].pk), follow_up_routes(rows["county_follow_up"].pk)):
        for address in routes.values():
            assert client.get(address).status_code == 200, address
    assert re.search(r"蓝县长", client.get(ADD).content.decode())


@pytest.mark.parametrize(
    ("address", "parameter"),
    [
        *((CONTACTS, name) for name in ("q", "year", "date_from", "kind", "method", "leader", "expert_level", "p")),
        *((FOLLOW_UPS, name) for name in ("q", "status", "overdue", "leader_attention", "level", "p")),
    ],
)
def test_the_lists_refuse_nul_and_ignore_junk(client, world, rows, address, parameter):
    client.force_login(world["city"])
    assert statuses(client, address, parameter) == expected()


def test_a_county_reads_only_its_own_experts_in_another_levels_record(client, world):
    """A city-wide symposium with experts of several counties: the 象州 office sees the record (one of
    its experts was there) but neither the names nor the problems of the others."""
    experts = world["experts"]
    record = contact([world["city_party"]], [experts["city_a"], experts["county_a"], experts["wuxuan_a"]])
    make_follow_up(record, experts["county_a"], timezone.localdate(), problem="县里的问题。")
    make_follow_up(record, experts["wuxuan_a"], timezone.localdate(), problem="武宣的问题。")
    county_record = contact([world["county_gov"]], [experts["county_a"], experts["city_b"]], level=Level.XIANGZHOU)

    client.force_login(world["county"])
    listing = text_of(client.get(CONTACTS))
    assert "3人：县专家甲" in listing and "2人：县专家甲、市专家乙" in listing
    assert "市专家甲" not in listing and "武宣专家甲" not in listing
    page = text_of(client.get(f"{CONTACTS}inspect/{record.pk}/"))
    assert "县专家甲" in page and "县里的问题" in page and "另有2名其他属地的专家" in page
    assert not [secret for secret in ("市专家甲", "武宣专家甲", "武宣的问题") if secret in page]
    # Its own county's record names everyone in it, as the office that entered it knows them.
    assert "市专家乙" in text_of(client.get(f"{CONTACTS}inspect/{county_record.pk}/"))

    client.force_login(world["city"])
    page = text_of(client.get(f"{CONTACTS}inspect/{record.pk}/"))
    assert "武宣专家甲" in page and "武宣的问题" in page and "另有" not in page


def text_of(response):
    assert response.status_code == 200
    return response.content.decode()
