"""The care chapter (关心关爱, /admin/care/): records, their scope, attendance and the yearly coverage."""

import datetime

import pytest
from django.test import Client

from care.models import CheckupRound, GreenChannelRequest, RecuperationTrip
from programme.models import AttendanceStatus
from staff.levels import Level

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .programme_builders import make_activity, make_expert_record

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year


@pytest.fixture
def people():
    root = make_superuser()
    city, xingbin, heshan = (
        make_staff("city", Level.CITY),
        make_staff("xingbin", Level.XINGBIN),
        make_staff("heshan", Level.HESHAN),
    )
    units = {level: make_unit(f"{level.label}医院", level) for level in (Level.CITY, Level.XINGBIN, Level.HESHAN)}
    experts = {
        "city": make_expert(root, units[Level.CITY], name="市专家"),
        "xingbin": make_expert(root, units[Level.XINGBIN], name="兴宾专家"),
        "xingbin2": make_expert(root, units[Level.XINGBIN], name="兴宾专家二", talent_team="highly_skilled"),
        "heshan": make_expert(root, units[Level.HESHAN], name="合山专家"),
    }
    return {"root": root, "city": city, "xingbin": xingbin, "heshan": heshan, "experts": experts}


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_county_office_records_a_checkup_round_and_marks_attendance(people):
    experts = people["experts"]
    client = client_of(people["xingbin"])
    response = client.post(
        "/admin/care/checkups/new/",
        {
            "date": f"{YEAR}-03-01",
            "hospital": "兴宾区人民医院",
            "arrangements": "",
            "experts": [experts["xingbin"].pk, experts["xingbin2"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    round_ = CheckupRound.objects.get()
    assert round_.level == Level.XINGBIN
    assert set(round_.attendances.values_list("status", flat=True)) == {AttendanceStatus.INVITED}
    attendance = {a.expert_id: a for a in round_.attendances.all()}
    response = client.post(
        f"/admin/care/checkups/attendance/{round_.pk}/",
        {
            f"status_{attendance[experts['xingbin'].pk].pk}": "attended",
            f"status_{attendance[experts['xingbin2'].pk].pk}": "declined",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/admin/care/coverage/?year={YEAR}").content.decode()
    assert "参加集中体检" in page


def test_a_county_cannot_name_another_countys_expert(people):
    experts = people["experts"]
    client = client_of(people["xingbin"])
    response = client.post(
        "/admin/care/checkups/new/",
        {"date": f"{YEAR}-03-01", "hospital": "医院", "experts": [experts["heshan"].pk]},
    )
    assert response.status_code == 200
    assert "只能选择您负责范围内的在库专家。" in response.content.decode()
    assert not CheckupRound.objects.exists()


def test_green_channel_is_seen_by_the_city_and_the_experts_county_only(people):
    experts = people["experts"]
    request = make_expert_record(
        GreenChannelRequest, experts["xingbin"], level=Level.CITY, hospital="市人民医院", need="预约专家门诊"
    )
    assert client_of(people["city"]).get(f"/admin/care/green-channel/inspect/{request.pk}/").status_code == 200
    assert client_of(people["xingbin"]).get(f"/admin/care/green-channel/inspect/{request.pk}/").status_code == 200
    assert client_of(people["heshan"]).get(f"/admin/care/green-channel/inspect/{request.pk}/").status_code == 404


def test_pages_answer(people):
    experts = people["experts"]
    trip = make_activity(
        RecuperationTrip,
        [experts["xingbin"], experts["city"]],
        level=Level.CITY,
        date=datetime.date(YEAR, 5, 1),
        end_date=datetime.date(YEAR, 5, 5),
        place="北海",
        kind="recuperation",
    )
    client = client_of(people["xingbin"])
    for url in [
        "/admin/care/",
        "/admin/care/recuperation/",
        f"/admin/care/recuperation/inspect/{trip.pk}/",
        "/admin/care/coverage/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    inspect = client.get(f"/admin/care/recuperation/inspect/{trip.pk}/").content.decode()
    assert "兴宾专家" in inspect and "市专家" not in inspect.replace("兴宾专家", "")
    assert client.get(f"/admin/care/recuperation/edit/{trip.pk}/")["Location"] == "/admin/"
    response = client_of(people["city"]).get("/admin/care/recuperation/?export=xlsx")
    assert response.status_code == 200
