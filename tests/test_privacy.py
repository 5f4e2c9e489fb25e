"""An expert's rights over their data: the subject access export and anonymisation (experts.privacy)."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from experts.models import Expert, ExpertLogEntry
from experts.models.pages import ExpertProfilePage
from experts.privacy import ANONYMISE, SUBJECT_ACCESS
from experts.reviews import YearlyReview
from honours.models import HonourPage
from intake.models import IntakeItem
from liaison.coverage import activity_totals
from liaison.models import ContactAttachment, ContactRecord, EventReport, FollowUp, FollowUpStatus, Pairing
from programme.kinds import KINDS as SERVICE_KINDS
from staff.levels import Level
from staff.models import ExportLogEntry

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .liaison_builders import make_liaison
from .privacy_builders import make_full_expert, remove
from .public_builders import build_sections

SHEETS = [
    "专家记录",
    "入库调出记录",
    "年度调整确认",
    "公开简介",
    "操作日志",
    "结对联系",
    "联系服务记录",
    "问题跟踪",
    "五报告",
    "五报告流转记录",
    "必访事项",
    "来信来访事项",
    "来信来访办理环节",
    "荣誉表彰",
    "专家风采",
    *(kind.label for kind in SERVICE_KINDS.values()),  # one sheet per kind of the programme's records
]


@pytest.fixture
def two_experts(db):
    """Two full city experts (the second only to be left out), and a city office user."""
    sections = build_sections()
    city = make_staff("city", Level.CITY)
    unit = make_unit()
    one = make_full_expert(city, unit, sections, name="覃隐私甲", mobile="13977770001", email="jia@example.invalid")
    other = make_full_expert(city, unit, sections, name="蒙别人乙", mobile="13977770002", email="yi@example.invalid")
    return city, one, other


def workbook_text(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return {
        sheet.title: "\n".join(" ".join(str(cell) for cell in row if cell is not None) for row in sheet.values)
        for sheet in workbook.worksheets
    }, workbook


def test_subject_access_holds_every_kind_of_record_and_nothing_of_others(client, two_experts):
    city, expert, other = two_experts
    client.force_login(city)
    response = client.get(f"/admin/experts/subject-access/{expert.pk}/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert "subject-access" in response["Content-Disposition"]
    sheets, workbook = workbook_text(response)
    assert sorted(sheets) == sorted(SHEETS)
    for title in SHEETS[: -len(SERVICE_KINDS)]:  # a heading row and at least one record in every sheet
        assert workbook[title].max_row >= 2, title
    assert expert.mobile in sheets["专家记录"]
    assert "调离" not in sheets["入库调出记录"] and "入库" in sheets["入库调出记录"]
    assert "韦领导" in sheets["结对联系"]
    assert "实验室用房紧张" in sheets["联系服务记录"] and "实验室用房紧张" in sheets["问题跟踪"]
    assert "获评自治区优秀专家" in sheets["五报告"]
    assert "获得重大成就必访" in sheets["必访事项"]
    assert "科研经费" in sheets["来信来访事项"] and "申请书.pdf" in sheets["来信来访事项"]
    assert "来宾市优秀专家" in sheets["荣誉表彰"] and "专访" in sheets["专家风采"]
    assert "心血管内科专家" in sheets["公开简介"]
    everything = "\n".join(sheets.values())
    for value in (other.name, other.mobile, other.email):
        assert value not in everything

    entry = ExportLogEntry.objects.get(action=SUBJECT_ACCESS)
    assert entry.user == city and entry.data["ip"] == "10.1.2.3" and entry.data["expert"] == expert.pk
    assert entry.data["rows"] > len(SHEETS)
    assert ExpertLogEntry.objects.filter(expert=expert, action=SUBJECT_ACCESS, data__ip="10.1.2.3").exists()


def test_subject_access_and_anonymise_follow_the_county(client, db):
    city = make_staff("city", Level.CITY)
    unit = make_unit("兴宾区人民医院", Level.XINGBIN)
    expert = make_expert(city, unit)
    own, neighbour = make_staff("xingbin", Level.XINGBIN), make_staff("heshan", Level.HESHAN)
    urls = [f"/admin/experts/subject-access/{expert.pk}/", f"/admin/experts/anonymise/{expert.pk}/"]
    client.force_login(neighbour)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert client.post(urls[1], {"basis": "申请", "confirm": "on"}).status_code == 404
    client.force_login(own)
    assert [client.get(url).status_code for url in urls] == [200, 200]
    client.force_login(make_superuser())
    assert [client.get(url).status_code for url in urls] == [200, 200]
    inspect = client.get(reverse("experts:inspect", args=[expert.pk])).content.decode()
    assert "导出本人数据" in inspect and "匿名化处理" in inspect


def test_a_unit_liaison_may_see_the_expert_but_not_export_or_anonymise(client, db):
    city = make_staff("city", Level.CITY)
    unit = make_unit()
    expert = make_expert(city, unit)
    client.force_login(make_liaison("liaison", unit))
    response = client.get(reverse("experts:inspect", args=[expert.pk]))
    assert response.status_code == 200 and "导出本人数据" not in response.content.decode()
    for url in (f"/admin/experts/subject-access/{expert.pk}/", f"/admin/experts/anonymise/{expert.pk}/"):
        response = client.get(url)  # Wagtail answers a PermissionDenied with a redirect to the dashboard
        assert (response.status_code, response.url) == (302, "/admin/")
    assert not ExportLogEntry.objects.exists()


def test_anonymising_is_refused_with_reasons_while_the_expert_is_active_or_work_is_open(client, two_experts):
    city, expert, _ = two_experts
    client.force_login(city)
    url = f"/admin/experts/anonymise/{expert.pk}/"
    page = client.get(url).content.decode()
    assert "只有已调出的专家可以匿名化处理" in page and "确认匿名化处理" not in page
    response = client.post(url, {"basis": "本人书面申请", "confirm": "on"})
    assert "只有已调出的专家可以匿名化处理" in response.content.decode()
    assert Expert.objects.get(pk=expert.pk).name == expert.name

    expert = remove(expert, city)
    FollowUp.objects.filter(expert=expert).update(status=FollowUpStatus.OPEN)
    item = IntakeItem.objects.get(expert=expert)
    IntakeItem.objects.filter(pk=item.pk).update(status="in_progress")
    page = client.get(url).content.decode()
    assert "只有已调出" not in page
    assert "还有 1 条未办结的问题跟踪" in page and "还有 1 件未办结" in page
    client.post(url, {"basis": "本人书面申请", "confirm": "on"})
    assert Expert.objects.get(pk=expert.pk).name == expert.name


def test_the_confirm_screen_asks_for_the_basis_and_the_confirmation(client, two_experts):
    city, expert, _ = two_experts
    expert = remove(expert, city)
    client.force_login(city)
    response = client.post(f"/admin/experts/anonymise/{expert.pk}/", {"basis": ""})
    html = response.content.decode()
    assert "请填写申请依据。" in html and "请勾选确认：匿名化处理不可撤销。" in html
    assert Expert.objects.get(pk=expert.pk).name == expert.name


def figures(year, user):
    """What statistics count: the yearly review's totals and the liaison coverage of every expert."""
    review = YearlyReview(year, user)
    experts = list(Expert.objects.values_list("pk", flat=True))
    return {
        "active": review.active_count,
        "removed": review.removed_by_reason,
        "joined": review.joined_count,
        "reviewed": review.reviewed_count,
        "teams": review.by_team,
        "levels": review.by_level,
        "categories": review.by_category,
        "coverage": [row.counts for row in review.coverage],
        "activities": activity_totals(experts, year),
        "contacts": ContactRecord.objects.filter(experts__in=experts).count(),
        "pairings": Pairing.objects.count(),
        "reports": list(EventReport.objects.values_list("kind", "stage")),
        "intake": list(IntakeItem.objects.order_by("pk").values_list("kind", "channel", "status", "level")),
    }


def database_rows():
    """Every row of the database as the text a dump shows: {(model, pk): JSON text}."""
    output = io.StringIO()
    call_command("dumpdata", stdout=output, exclude=["contenttypes", "auth.permission"])
    return {(row["model"], row.get("pk")): json.dumps(row, ensure_ascii=False) for row in json.loads(output.getvalue())}


def rows_holding(value):
    return [key for key, text in database_rows().items() if value in text]


def test_anonymising_keeps_the_statistics_and_leaves_no_personal_value(
    client, two_experts, django_capture_on_commit_callbacks
):
    city, expert, other = two_experts
    expert = remove(expert, city)
    year = timezone.localdate().year
    root = make_superuser()
    before = figures(year, root)
    profile = ExpertProfilePage.objects.get(expert=expert)
    photo_path = Path(profile.photo.file.path)
    item = IntakeItem.objects.get(expert=expert)
    attachment_path = Path(settings.INTAKE_ATTACHMENT_ROOT) / item.attachment.name
    contact_file = Path(ContactAttachment.objects.get(record__experts=expert).file.path)
    assert photo_path.exists() and attachment_path.exists() and contact_file.exists()
    old = [expert.name, expert.mobile, expert.email]
    assert all(rows_holding(value) for value in old)

    client.force_login(city)
    with django_capture_on_commit_callbacks(execute=True):  # files go once the transaction commits
        response = client.post(
            f"/admin/experts/anonymise/{expert.pk}/",
            {"basis": f"{expert.name}本人书面申请", "confirm": "on"},
            REMOTE_ADDR="10.9.8.7",
        )
    assert response.status_code == 302

    assert figures(year, root) == before
    anonymised = Expert.objects.get(pk=expert.pk)
    assert anonymised.name == f"已匿名专家 #{expert.pk}"
    assert (anonymised.mobile, anonymised.email, anonymised.birth_date, anonymised.notes) == ("", "", None, "")
    assert (anonymised.level, anonymised.unit, anonymised.talent_team, anonymised.title_level) == (
        expert.level,
        expert.unit,
        expert.talent_team,
        expert.title_level,
    )
    for value in old:
        assert (holding := rows_holding(value)) == [], f"{value}: {holding}"
    assert rows_holding(other.name) and rows_holding(other.mobile)  # the other expert is untouched
    assert not ExpertProfilePage.objects.filter(expert=expert).exists()
    assert HonourPage.objects.filter(recipients__profile__expert=other).exists()
    assert not photo_path.exists() and not attachment_path.exists() and not contact_file.exists()
    item.refresh_from_db()
    assert item.name == "已匿名" and item.expert is None and item.personal_data_cleared_at
    entry = ExpertLogEntry.objects.get(expert=expert, action=ANONYMISE)
    assert entry.user == city and entry.data["ip"] == "10.9.8.7"
    assert entry.data["basis"] == f"已匿名专家 #{expert.pk}本人书面申请"

    page = client.get(f"/admin/experts/anonymise/{expert.pk}/").content.decode()
    assert "该专家已经匿名化处理。" in page
    restore = client.post(f"/admin/experts/restore/{expert.pk}/", {"date": timezone.localdate(), "basis": "恢复"})
    assert "该专家已匿名化处理，不能恢复入库。" in restore.content.decode()
    assert Expert.objects.get(pk=expert.pk).status == "removed"
