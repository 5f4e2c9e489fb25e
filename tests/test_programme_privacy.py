"""The programme's records in an expert's subject access export and anonymisation (programme/privacy.py)."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from openpyxl import load_workbook
from wagtail.log_actions import log

from care.models import CheckupRound, FamilySupport, FamilySupportOutcome, GreenChannelRequest, GreenChannelStatus
from experts.models import Expert
from programme.models import AttendanceStatus, ProgrammeLogEntry
from staff.levels import Level

from .experts_builders import make_expert, make_staff, make_unit
from .privacy_builders import remove
from .programme_builders import make_activity, make_expert_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    city = make_staff("city", Level.CITY)
    unit = make_unit("兴宾区人民医院", Level.XINGBIN)
    expert = make_expert(city, unit, name="覃某华", mobile="13907720001")
    other = make_expert(city, unit, name="韦某明", mobile="13907720002")
    make_activity(
        CheckupRound,
        [expert, other],
        level=Level.CITY,
        date=datetime.date(2026, 4, 1),
        status=AttendanceStatus.ATTENDED,
        hospital="来宾市人民医院",
    )
    support = make_expert_record(
        FamilySupport,
        expert,
        kind="schooling",
        description="覃某华（13907720001）之子入学",
        outcome=FamilySupportOutcome.SOLVED,
    )
    log(instance=support, action="wagtail.edit", user=city, title=str(support), data={"note": "覃某华来电"})
    return city, expert, other, support


def test_the_subject_access_export_has_a_sheet_per_kind_with_the_experts_rows(client, setting):
    city, expert, other, _ = setting
    client.force_login(city)
    response = client.get(f"/admin/experts/subject-access/{expert.pk}/")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    checkups = [tuple(row) for row in workbook["集中体检"].values]
    assert checkups[0][-2:] == ("参加情况", "同场其他专家人数")
    assert checkups[1][checkups[0].index("体检医院")] == "来宾市人民医院" and checkups[1][-2:] == ("已参加", 1)
    support = "\n".join(" ".join(str(c) for c in row if c) for row in workbook["帮扶事项"].values)
    assert "之子入学" in support and "已解决" in support
    assert other.name not in support


def test_an_open_green_channel_request_or_family_support_holds_anonymisation_back(client, setting):
    city, expert, _, support = setting
    expert = remove(expert, city)
    make_expert_record(GreenChannelRequest, expert, hospital="市人民医院", need="预约", status=GreenChannelStatus.OPEN)
    FamilySupport.objects.filter(pk=support.pk).update(outcome=FamilySupportOutcome.IN_PROGRESS)
    client.force_login(city)
    page = client.get(f"/admin/experts/anonymise/{expert.pk}/").content.decode()
    assert "还有 1 条未办结的诊疗绿色通道" in page and "还有 1 条未办结的帮扶事项" in page
    client.post(f"/admin/experts/anonymise/{expert.pk}/", {"basis": "本人申请", "confirm": "on"})
    assert Expert.objects.get(pk=expert.pk).name == "覃某华"


def test_anonymising_scrubs_the_records_and_their_log_but_keeps_the_rows(client, setting):
    city, expert, _, support = setting
    expert = remove(expert, city)
    client.force_login(city)
    response = client.post(f"/admin/experts/anonymise/{expert.pk}/", {"basis": "本人申请", "confirm": "on"})
    assert response.status_code == 302
    support.refresh_from_db()
    assert "覃某华" not in support.description and "13907720001" not in support.description
    assert support.description.startswith(f"已匿名专家 #{expert.pk}")
    content_type = ContentType.objects.get_for_model(FamilySupport)
    entry = ProgrammeLogEntry.objects.get(content_type=content_type, record_id=support.pk, action="wagtail.edit")
    assert "覃某华" not in entry.data["note"]
    assert CheckupRound.objects.get().attendances.count() == 2  # the coverage keeps its counts
