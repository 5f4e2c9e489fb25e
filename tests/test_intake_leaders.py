"""The intake queue's preferred and meeting leaders: a choice of active leaders on the public form and
the staff forms, 其他／不确定 with words for a leader the expert cannot name, and the text of old items kept."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from intake import workflow
from intake.models import IntakeItem, Kind, Status
from liaison.models import Body
from staff.levels import Level
from staff.roles import CITY_OFFICE, COUNTY_OFFICE
from tests.intake_builders import CONTACT_URL, contact_page_fixture, form_data, make_staff, new_item  # noqa: F401

from .liaison_builders import admin_field_error, make_leader

pytestmark = pytest.mark.django_db

NEXT_WEEK = timezone.localdate() + datetime.timedelta(days=7)


@pytest.fixture
def leaders():
    return {
        "city": make_leader("覃书记", Level.CITY, Body.PARTY, post="市委书记"),
        "city_gov": make_leader("韦市长", Level.CITY, Body.GOVERNMENT, post="市长"),
        "county": make_leader("蓝县长", Level.XIANGZHOU, Body.GOVERNMENT, post="县长"),
        "left": make_leader("莫离任", Level.CITY, Body.CPPCC, post="原市政协主席", active=False),
    }


def public_error(response, field):
    html = response.content.decode()
    start = html.find(f'id="field-{field}"')
    end = html.find('id="field-', start + 1)
    match = re.search(r'<p class="field__error"[^>]*>(.*?)</p>', html[start : end if end > 0 else None], re.S)
    return match.group(1) if match else None


def appointment(**overrides):
    return form_data(kind=Kind.APPOINTMENT, preferred_date_from=NEXT_WEEK.isoformat(), **overrides)


# The public form ---------------------------------------------------------------------------


def test_the_contact_form_offers_active_leaders_by_body_with_their_posts(client, contact_page, leaders):
    html = client.get(CONTACT_URL).content.decode()
    select = re.search(r'<select name="preferred_leader".*?</select>', html, re.S).group(0)
    assert '<optgroup label="市委">' in select and '<optgroup label="象州县政府">' in select
    assert f'<option value="{leaders["city"].pk}">覃书记（市委书记）</option>' in select
    assert "蓝县长（县长）" in select
    assert "莫离任" not in select
    assert '<option value="other">其他／不确定（请在下一栏说明）</option>' in select
    # The city's bodies in the plan's order, then the counties.
    assert select.index("市委") < select.index("市政府") < select.index("象州县政府")


def test_an_expert_asks_for_a_leader_from_the_list(client, contact_page, leaders):
    response = client.post(CONTACT_URL, appointment(preferred_leader=leaders["city_gov"].pk))
    assert response.status_code == 302
    item = IntakeItem.objects.get()
    assert (item.preferred_leader, item.preferred_leader_text) == (leaders["city_gov"], "")


@pytest.mark.parametrize(
    ("choice", "text", "stored_text"),
    [("other", "市委分管人才工作的领导", "市委分管人才工作的领导"), ("", "分管教育的副市长", "分管教育的副市长")],
)
def test_an_expert_who_does_not_know_the_leader_describes_them(
    client, contact_page, leaders, choice, text, stored_text
):
    response = client.post(CONTACT_URL, appointment(preferred_leader=choice, preferred_leader_text=text))
    assert response.status_code == 302
    item = IntakeItem.objects.get()
    assert (item.preferred_leader, item.preferred_leader_text) == (None, stored_text)


@pytest.mark.parametrize(
    ("choice", "field", "message"),
    [
        ("", "preferred_leader", "请选择希望约见的领导；不清楚是哪位领导时，请选“其他／不确定”"),
        ("other", "preferred_leader_text", "请说明希望约见的领导"),
        ("left", "preferred_leader", "所选领导不在名单中"),
        ("99999", "preferred_leader", "所选领导不在名单中"),
    ],
)
def test_an_appointment_without_a_leader_is_refused_next_to_the_field(
    client, contact_page, leaders, choice, field, message
):
    choice = leaders["left"].pk if choice == "left" else choice
    response = client.post(CONTACT_URL, appointment(preferred_leader=choice, preferred_leader_text=""))
    assert response.status_code == 200
    assert message in (public_error(response, field) or "")
    assert not IntakeItem.objects.exists()


def test_leader_fields_of_another_kind_are_ignored_even_when_stale(client, contact_page, leaders):
    data = form_data(kind=Kind.SUGGESTION, preferred_leader="99999", preferred_leader_text="某领导")
    assert client.post(CONTACT_URL, data).status_code == 302
    item = IntakeItem.objects.get()
    assert (item.preferred_leader, item.preferred_leader_text) == (None, "")


# The staff forms ---------------------------------------------------------------------------


@pytest.fixture
def xiangzhou():
    return make_staff("xiangzhou", Level.XIANGZHOU, COUNTY_OFFICE)


@pytest.fixture
def city():
    return make_staff("city", Level.CITY, CITY_OFFICE)


def entry_data(**overrides):
    return {
        "channel": "hotline",
        "level": Level.XIANGZHOU,
        "kind": Kind.APPOINTMENT,
        "name": "来电专家",
        "mobile": "13807721111",
        "subject": "希望约见县领导汇报项目",
        "message": "电话反映：希望约见县领导，汇报产业项目进展。",
        "preferred_date_from": NEXT_WEEK.isoformat(),
        **overrides,
    }


def test_county_staff_enter_an_appointment_with_their_countys_leaders(client, xiangzhou, leaders):
    client.force_login(xiangzhou)
    add_url = reverse("intake_item:add")
    form = client.get(add_url).context["form"]
    assert {leader.name for leader in form.fields["preferred_leader"].queryset} == {"蓝县长"}
    response = client.post(add_url, entry_data(preferred_leader=leaders["city"].pk))
    assert "所选领导不在名单中" in admin_field_error(response, "preferred_leader")
    response = client.post(add_url, entry_data(preferred_leader="other"))
    assert "请说明希望约见的领导" in admin_field_error(response, "preferred_leader_text")
    assert not IntakeItem.objects.exists()
    assert client.post(add_url, entry_data(preferred_leader=leaders["county"].pk)).status_code == 302
    assert IntakeItem.objects.get().preferred_leader == leaders["county"]


def test_an_old_items_text_is_kept_shown_and_saved_again_unchanged(client, city, leaders):
    # An item from before the leaders were listed: text only, for the wish and for the meeting.
    item, _ = new_item(kind=Kind.APPOINTMENT, preferred_leader_text="市委分管领导", meeting_leader_text="市委联系领导")
    client.force_login(city)
    html = client.get(reverse("intake_item:inspect", args=[item.pk])).content.decode()
    assert "市委分管领导" in html
    edit_url = reverse("intake_item:edit", args=[item.pk])
    form = client.get(edit_url).context["form"]
    assert form["preferred_leader"].value() == "other"
    assert form["preferred_leader_text"].value() == "市委分管领导"
    data = {
        "kind": Kind.APPOINTMENT,
        "level": Level.CITY,
        "name": item.name,
        "mobile": item.mobile,
        "email": item.email,
        "subject": item.subject,
        "message": item.message,
        "preferred_leader": "other",
        "preferred_leader_text": "市委分管领导",
        "preferred_date_from": NEXT_WEEK.isoformat(),
    }
    assert client.post(edit_url, data).status_code == 302
    item.refresh_from_db()
    assert (item.preferred_leader, item.preferred_leader_text) == (None, "市委分管领导")


def arranged_item(city, **fields):
    item, _ = new_item(kind=Kind.APPOINTMENT, **fields)
    workflow.accept(item, city)
    return IntakeItem.objects.get(pk=item.pk)


def arrange_data(**overrides):
    return {"leader": "", "leader_text": "", "meeting_at": "2026-12-20 09:30", "place": "市委2号楼会议室", **overrides}


def test_the_meeting_leader_is_chosen_from_the_list_and_told_to_the_expert(client, city, leaders):
    item = arranged_item(city, preferred_leader=leaders["city_gov"])
    client.force_login(city)
    url = reverse("intake_item:action", args=[item.pk, "arrange"])
    form = client.get(url).context["form"]
    assert form["leader"].value() == leaders["city_gov"].pk  # the leader the expert asked for
    assert {leader.name for leader in form.fields["leader"].queryset} == {"覃书记", "韦市长", "蓝县长"}

    response = client.post(url, arrange_data())
    assert "请选择约见的领导" in admin_field_error(response, "leader")
    response = client.post(url, arrange_data(leader="other"))
    assert "请填写约见的领导" in admin_field_error(response, "leader_text")
    response = client.post(url, arrange_data(leader=leaders["left"].pk))
    assert "所选领导不在名单中" in admin_field_error(response, "leader")
    item.refresh_from_db()
    assert item.meeting_at is None

    assert client.post(url, arrange_data(leader=leaders["city"].pk, leader_text="多余的字")).status_code == 302
    item.refresh_from_db()
    assert (item.meeting_leader, item.meeting_leader_text) == (leaders["city"], "")
    step = item.steps.get(action="appointment")
    assert step.public_note.startswith("已安排约见：覃书记（市委书记），2026年12月20日 09:30")
    html = client.get(reverse("intake_item:inspect", args=[item.pk])).content.decode()
    assert "覃书记（市委书记），2026-12-20 09:30" in html


def test_a_meeting_with_a_leader_off_the_list_is_written_in_words(client, xiangzhou, leaders):
    item = arranged_item(xiangzhou, level=Level.XIANGZHOU, preferred_leader_text="市委分管领导")
    client.force_login(xiangzhou)
    url = reverse("intake_item:action", args=[item.pk, "arrange"])
    form = client.get(url).context["form"]
    assert (form["leader"].value(), form["leader_text"].value()) == ("other", "市委分管领导")
    # A county arranges with its own leaders; a city leader posted by hand is refused.
    assert {leader.name for leader in form.fields["leader"].queryset} == {"蓝县长"}
    response = client.post(url, arrange_data(leader=leaders["city"].pk))
    assert "所选领导不在名单中" in admin_field_error(response, "leader")
    response = client.post(url, arrange_data(leader="other", leader_text="市委分管人才工作的副书记"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.meeting_leader, item.meeting_leader_text) == (None, "市委分管人才工作的副书记")
    assert item.status == Status.ACCEPTED
    assert "市委分管人才工作的副书记" in client.get(reverse("intake_item:inspect", args=[item.pk])).content.decode()


def test_a_county_keeps_the_city_leader_an_expert_chose_when_the_item_comes_to_it(client, xiangzhou, leaders):
    item, _ = new_item(kind=Kind.APPOINTMENT, level=Level.XIANGZHOU, preferred_leader=leaders["city"])
    client.force_login(xiangzhou)
    edit_url = reverse("intake_item:edit", args=[item.pk])
    form = client.get(edit_url).context["form"]
    assert {leader.name for leader in form.fields["preferred_leader"].queryset} == {"覃书记", "蓝县长"}
    assert form["preferred_leader"].value() == leaders["city"].pk
    data = {
        **entry_data(subject=item.subject, message=item.message, name=item.name, mobile=item.mobile),
        "preferred_leader": leaders["city"].pk,
    }
    del data["channel"]
    assert client.post(edit_url, data).status_code == 302
    item.refresh_from_db()
    assert item.preferred_leader == leaders["city"]
    # Another city leader, never chosen for this item, is still not the county's to pick.
    response = client.post(edit_url, {**data, "preferred_leader": leaders["city_gov"].pk})
    assert "所选领导不在名单中" in admin_field_error(response, "preferred_leader")

    workflow.accept(item, xiangzhou)
    form = client.get(reverse("intake_item:action", args=[item.pk, "arrange"])).context["form"]
    assert form["leader"].value() == leaders["city"].pk
