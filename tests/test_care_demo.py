"""The care chapter's demo records (care/demo.py) and the public service guide that describes them."""

import pytest
from django.utils import timezone

from care.models import (
    CheckupAttendance,
    CheckupRound,
    FamilySupport,
    GreenChannelRequest,
    GreenChannelStatus,
    HealthLecture,
    RecuperationAttendance,
    RecuperationKind,
    RecuperationTrip,
)
from experts.models import Expert, ExpertStatus
from programme.models import AttendanceStatus
from staff.levels import Level

pytestmark = pytest.mark.django_db


def test_the_demo_has_care_records_of_both_years_across_levels(demo_site):
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        rounds = CheckupRound.objects.filter(date__year=year)
        levels = set(rounds.values_list("level", flat=True))
        assert Level.CITY in levels and len(levels - {Level.CITY}) >= 3, year
        statuses = set(CheckupAttendance.objects.filter(activity__in=rounds).values_list("status", flat=True))
        assert {AttendanceStatus.ATTENDED, AttendanceStatus.DECLINED} <= statuses
        attended = CheckupAttendance.objects.filter(activity__in=rounds, status=AttendanceStatus.ATTENDED).count()
        assert attended > CheckupAttendance.objects.filter(activity__in=rounds).count() / 2  # most attended
        trips = RecuperationTrip.objects.filter(date__year=year)
        assert set(trips.values_list("kind", flat=True)) == set(RecuperationKind.values)
        assert RecuperationAttendance.objects.filter(activity__in=trips).exists()
        assert HealthLecture.objects.filter(date__year=year, attendances__isnull=False).exists()
        assert FamilySupport.objects.filter(date__year=year).exists()
        assert GreenChannelRequest.objects.filter(date__year=year).exists()
    # This year's latest round still has invitees to mark.
    assert CheckupAttendance.objects.filter(activity__date__year=this_year, status=AttendanceStatus.INVITED).exists()
    # Some active experts have not been offered a recuperation this year.
    offered = RecuperationAttendance.objects.filter(activity__date__year=this_year).values("expert_id")
    assert Expert.objects.filter(status=ExpertStatus.ACTIVE).exclude(pk__in=offered).exists()
    assert set(GreenChannelRequest.objects.values_list("status", flat=True)) == set(GreenChannelStatus.values)
    assert FamilySupport.objects.exclude(outcome_note="").exists()


def test_the_service_guide_describes_what_the_offices_do_without_a_card(client, demo_site):
    green_channel = client.get("/services/lvse-tongdao/").content.decode()
    assert "服务卡" not in green_channel
    assert "人才办" in green_channel and "跟踪到办结" in green_channel
    checkup = client.get("/services/jiankang-tijian/").content.decode()
    assert "发出体检邀请" in checkup and "体检结果由医院直接告知本人" in checkup
    recuperation = client.get("/services/xiujia-liaoyang/").content.decode()
    assert all(label in recuperation for label in RecuperationKind.labels)
