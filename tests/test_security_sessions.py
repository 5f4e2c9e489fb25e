"""Sessions end after 30 minutes idle, 12 hours after the sign-in however busy, and everywhere at once
when an administrator or the user asks."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from security import audit
from security.models import SignInLogEntry
from security.sessions import SIGNED_IN_AT
from staff.levels import Level

from .experts_builders import make_staff, make_superuser

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def is_signed_out(response, message=None):
    if response.status_code != 302 or not response["Location"].startswith("/admin/login/"):
        return False
    return message is None or message in [str(m) for m in response.wsgi_request._messages]


def test_thirty_minutes_idle_end_the_session_and_each_request_starts_them_again():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client = signed_in(make_staff("county", Level.XINGBIN))
    start = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=29)):
        assert client.get("/admin/").status_code == 200  # slides the expiry to 29 + 30 minutes
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=58)):
        assert client.get("/admin/").status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=89)):
        assert is_signed_out(client.get("/admin/"))


def test_twelve_hours_after_signing_in_the_session_ends_with_a_message_however_busy():
    user = make_staff("county", Level.XINGBIN)
    client = signed_in(user)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 60 * 60 + 60
    session.save()
    assert client.get("/admin/").status_code == 200  # 11 h 59 min
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 60 * 60 - 1
    session.save()
    response = client.get("/admin/pages/")
    assert is_signed_out(response, "登录已超过 12 小时，为了账号安全，请重新登录。")
    assert response["Location"] == "/admin/login/?next=/admin/pages/"
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"]).content.decode()
    assert "登录已超过 12 小时" in login_page
    entry = SignInLogEntry.objects.filter(action=audit.SIGN_OUT).get()
    assert (entry.object_id, entry.data["result"]) == (str(user.pk), "会话超过 12 小时")


def test_an_administrator_signs_a_user_out_everywhere():
    user = make_staff("county", Level.XINGBIN)
    phone, desk = signed_in(user), signed_in(user)
    admin = signed_in(make_superuser())
    page = admin.get(f"/admin/security/accounts/{user.pk}/").content.decode()
    assert "在所有设备上退出" in page
    admin.post(f"/admin/security/accounts/{user.pk}/", {"action": "sign_out_everywhere"})
    assert is_signed_out(phone.get("/admin/"), "您的账号已在所有设备上退出，请重新登录。")
    assert is_signed_out(desk.get("/admin/"))
    assert admin.get("/admin/").status_code == 200
    assert signed_in(user).get("/admin/").status_code == 200  # a new sign-in works
    entry = SignInLogEntry.objects.get(action=audit.SIGNED_OUT_EVERYWHERE)
    assert entry.object_id == str(user.pk) and entry.user.is_superuser


def test_the_city_office_may_sign_a_user_out_everywhere_a_county_office_may_not():
    user = make_staff("county", Level.XINGBIN)
    session = signed_in(user)
    other = signed_in(make_staff("county2", Level.XINGBIN))
    refused = other.post(f"/admin/security/accounts/{user.pk}/", {"action": "sign_out_everywhere"})
    assert refused["Location"] == "/admin/"
    assert session.get("/admin/").status_code == 200
    office = signed_in(make_staff("city", Level.CITY))
    office.post(f"/admin/security/accounts/{user.pk}/", {"action": "sign_out_everywhere"})
    assert is_signed_out(session.get("/admin/"))


def test_a_user_signs_themselves_out_everywhere_from_the_account_page():
    user = make_staff("county", Level.XINGBIN)
    here, elsewhere = signed_in(user), signed_in(user)
    account = here.get("/admin/account/").content.decode()
    assert "/admin/security/sign-out-everywhere/" in account
    assert here.get("/admin/security/sign-out-everywhere/").status_code == 200
    response = here.post("/admin/security/sign-out-everywhere/")
    assert response["Location"] == "/admin/login/"
    assert "_auth_user_id" not in here.session
    assert is_signed_out(elsewhere.get("/admin/"))
    assert SignInLogEntry.objects.filter(action=audit.SIGNED_OUT_EVERYWHERE, user=user).count() == 1
