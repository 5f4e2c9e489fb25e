"""Audit of data access: opening an expert's or an intake item's detail or edit form is logged, and
full phone numbers and e-mail addresses show only on an explicit, logged reveal (security.reveal)."""

import pytest

from experts.models import ExpertLogEntry
from intake.models import IntakeLogEntry
from liaison.models import ContactLogEntry, EventReportLogEntry, FollowUpLogEntry
from security import audit
from staff.levels import Level
from staff.roles import EDITORS

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .intake_builders import new_item
from .liaison_builders import contact, make_follow_up, make_leader, make_liaison, report

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"
EMAIL = "wei.expert@example.invalid"


@pytest.fixture
def city_user():
    return make_staff("city", Level.CITY)


@pytest.fixture
def county_user():
    return make_staff("xingbin", Level.XINGBIN)


@pytest.fixture
def expert(city_user):
    return make_expert(city_user, make_unit("兴宾区人民医院", Level.XINGBIN), name="韦某", mobile=MOBILE, email=EMAIL)


@pytest.fixture
def city_expert(city_user):
    return make_expert(city_user, make_unit("来宾市人民医院"), name="城某", mobile="13900000009")


@pytest.fixture
def item():
    return new_item(level=Level.XINGBIN, mobile="13807720002", email="qin@example.cn")[0]


def entries(model, action, **filters):
    return list(model.objects.filter(action=action, **filters))


# Views are logged --------------------------------------------------------------------------


def test_opening_an_experts_detail_is_logged_with_the_address_and_result(client, county_user, expert):
    client.force_login(county_user)
    response = client.get(f"/admin/experts/inspect/{expert.pk}/", REMOTE_ADDR="10.2.3.4")
    assert response.status_code == 200
    [entry] = entries(ExpertLogEntry, audit.VIEW, expert=expert)
    assert entry.user == county_user
    assert entry.data == {"ip": "10.2.3.4", "result": "成功", "via": "detail"}
    assert entry.label == "韦某"


def test_opening_an_experts_edit_form_is_logged(client, county_user, expert):
    client.force_login(county_user)
    response = client.get(f"/admin/experts/edit/{expert.pk}/")
    assert response.status_code == 200
    # The form holds the full values (they cannot be corrected unseen): that is why opening it is logged.
    assert MOBILE in response.content.decode()
    [entry] = entries(ExpertLogEntry, audit.VIEW, expert=expert)
    assert entry.data["via"] == "edit"
    assert entry.data["ip"] == "127.0.0.1"


def test_a_refused_detail_is_not_logged_as_a_view(client, county_user, city_expert):
    client.force_login(county_user)
    assert client.get(f"/admin/experts/inspect/{city_expert.pk}/").status_code == 404
    assert client.get(f"/admin/experts/edit/{city_expert.pk}/").status_code == 404
    assert not entries(ExpertLogEntry, audit.VIEW)


def test_opening_an_intake_items_detail_and_edit_form_is_logged(client, county_user, item):
    client.force_login(county_user)
    assert client.get(f"/admin/intake/items/inspect/{item.pk}/").status_code == 200
    assert client.get(f"/admin/intake/items/edit/{item.pk}/").status_code == 200
    vias = sorted(entry.data["via"] for entry in entries(IntakeLogEntry, audit.VIEW, item=item))
    assert vias == ["detail", "edit"]


def test_opening_liaison_records_about_experts_is_logged(client, city_user, expert):
    leader = make_leader()
    record = contact([leader], [expert])
    follow_up = make_follow_up(record, expert, due_on=record.date)
    liaison = make_liaison("liaison", expert.unit)
    filed = report(liaison, expert)
    superuser = make_superuser()
    client.force_login(superuser)
    assert client.get(f"/admin/liaison/contacts/inspect/{record.pk}/").status_code == 200
    assert client.get(f"/admin/liaison/followups/inspect/{follow_up.pk}/").status_code == 200
    assert client.get(f"/admin/liaison/reports/inspect/{filed.pk}/").status_code == 200
    assert entries(ContactLogEntry, audit.VIEW, contact=record, user=superuser)
    assert entries(FollowUpLogEntry, audit.VIEW, follow_up=follow_up, user=superuser)
    assert entries(EventReportLogEntry, audit.VIEW, report=filed, user=superuser)


# Masked until revealed ----------------------------------------------------------------------


def test_the_detail_shows_the_phone_and_email_masked_with_reveal_buttons(client, county_user, expert):
    client.force_login(county_user)
    page = client.get(f"/admin/experts/inspect/{expert.pk}/").content.decode()
    assert MOBILE not in page
    assert EMAIL not in page
    assert "139****5678" in page
    assert "w***@example.invalid" in page
    assert "显示完整号码" in page
    assert "显示完整邮箱" in page
    assert f'action="/admin/experts/reveal/{expert.pk}/mobile/"' in page
    assert "csrfmiddlewaretoken" in page
    # The button works through a static script (a CSP allows no inline script or handler).
    assert "security/reveal.js" in page
    assert "onclick" not in page and "onsubmit" not in page


def test_the_intake_detail_shows_the_submitters_contact_masked(client, county_user, item):
    client.force_login(county_user)
    page = client.get(f"/admin/intake/items/inspect/{item.pk}/").content.decode()
    assert "13807720002" not in page
    assert "qin@example.cn" not in page
    assert "138****0002" in page
    assert "显示完整号码" in page and "显示完整邮箱" in page


def test_a_reveal_with_javascript_logs_the_field_and_returns_the_value(client, county_user, expert):
    client.force_login(county_user)
    response = client.post(
        f"/admin/experts/reveal/{expert.pk}/mobile/", HTTP_ACCEPT="application/json", REMOTE_ADDR="10.9.8.7"
    )
    assert response.status_code == 200
    assert response.json() == {"field": "mobile", "label": "手机号码", "value": MOBILE}
    assert "no-store" in response["Cache-Control"]
    [entry] = entries(ExpertLogEntry, audit.REVEAL, expert=expert)
    assert entry.data == {"ip": "10.9.8.7", "result": "成功", "field": "mobile"}
    assert entry.user == county_user


def test_a_reveal_without_javascript_shows_the_value_once_on_the_detail(client, county_user, expert):
    client.force_login(county_user)
    response = client.post(f"/admin/experts/reveal/{expert.pk}/email/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/experts/inspect/{expert.pk}/#reveal-email"
    page = client.get(response["Location"]).content.decode()
    assert EMAIL in page
    assert MOBILE not in page  # only the field revealed
    assert [entry.data["field"] for entry in entries(ExpertLogEntry, audit.REVEAL)] == ["email"]
    # Shown once: the next opening is masked again.
    assert EMAIL not in client.get(f"/admin/experts/inspect/{expert.pk}/").content.decode()


def test_the_intake_reveal_logs_and_returns_the_submitters_email(client, county_user, item):
    client.force_login(county_user)
    response = client.post(f"/admin/intake/items/{item.pk}/reveal/email/", HTTP_ACCEPT="application/json")
    assert response.json()["value"] == "qin@example.cn"
    assert entries(IntakeLogEntry, audit.REVEAL, item=item)[0].data["field"] == "email"


@pytest.mark.parametrize("url", ["/admin/experts/reveal/{pk}/mobile/", "/admin/experts/reveal/{pk}/email/"])
def test_a_get_to_the_reveal_is_refused(client, county_user, expert, url):
    client.force_login(county_user)
    assert client.get(url.format(pk=expert.pk)).status_code == 405
    assert not entries(ExpertLogEntry, audit.REVEAL)


def test_a_reveal_outside_the_users_scope_is_a_404_and_not_logged(client, county_user, city_expert):
    client.force_login(county_user)
    response = client.post(f"/admin/experts/reveal/{city_expert.pk}/mobile/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    intake_item = new_item(level=Level.CITY)[0]
    assert client.post(f"/admin/intake/items/{intake_item.pk}/reveal/mobile/").status_code == 404
    assert client.post("/admin/experts/reveal/999999/mobile/").status_code == 404
    assert not entries(ExpertLogEntry, audit.REVEAL)
    assert not entries(IntakeLogEntry, audit.REVEAL)


def test_only_the_contact_fields_can_be_revealed(client, county_user, expert):
    client.force_login(county_user)
    for field in ["name", "birth_date", "notes", "password"]:
        assert client.post(f"/admin/experts/reveal/{expert.pk}/{field}/").status_code == 404
    assert not entries(ExpertLogEntry, audit.REVEAL)


def test_a_user_without_expert_permissions_cannot_reveal(client, expert):
    editor = make_staff("editor", Level.XINGBIN, group=EDITORS)
    client.force_login(editor)
    assert client.post(f"/admin/experts/reveal/{expert.pk}/mobile/").status_code in (302, 403, 404)
    assert not entries(ExpertLogEntry, audit.REVEAL)


def test_the_reveal_needs_the_csrf_token(county_user, expert):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(county_user)
    assert client.post(f"/admin/experts/reveal/{expert.pk}/mobile/").status_code == 403
    assert not entries(ExpertLogEntry, audit.REVEAL)


def test_an_empty_field_has_nothing_to_reveal(client, county_user, city_user):
    expert = make_expert(city_user, make_unit("兴宾区人民医院", Level.XINGBIN), email="")
    client.force_login(county_user)
    page = client.get(f"/admin/experts/inspect/{expert.pk}/").content.decode()
    assert "显示完整邮箱" not in page
    assert client.post(f"/admin/experts/reveal/{expert.pk}/email/").status_code == 404


def test_the_history_names_the_view_and_the_revealed_field(client, county_user, expert):
    client.force_login(county_user)
    client.get(f"/admin/experts/inspect/{expert.pk}/")
    client.post(f"/admin/experts/reveal/{expert.pk}/mobile/", HTTP_ACCEPT="application/json")
    history = client.get(f"/admin/experts/history/{expert.pk}/").content.decode()
    assert "查看了详情" in history
    assert "查看了完整手机号码" in history
