"""Two-factor sign-in: who must enrol, enrolment, verification by authenticator or recovery code,
the throttle after a wrong code, and a reset by an administrator."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from security import audit
from security.models import SignInLogEntry
from staff.levels import Level
from staff.roles import EDITORS

from .browser_sign_in import device_code, key_code
from .experts_builders import make_staff, make_superuser

pytestmark = pytest.mark.django_db

ENROL = "/admin/security/two-factor/"
VERIFY = "/admin/security/two-factor/verify/"


def denied(response):
    """Wagtail answers a refused admin request with a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def field_errors(response):
    """The errors shown beside the code field."""
    return re.search(r'<div class="w-field__errors"[^>]*>(.*?)</div>', response.content.decode(), re.S).group(1)


def password_only(client, user):
    client.force_login(user, two_factor=False)
    return client


def editor(username="bianji"):
    user = User.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    StaticToken.objects.create(device=static, token="abcd2345")
    return device


@pytest.mark.parametrize(
    "make_user, expected",
    [
        (lambda: make_superuser(), ENROL),
        (lambda: make_staff("city", Level.CITY), ENROL),
        (lambda: make_staff("county", Level.XINGBIN), None),
        (lambda: editor(), None),
    ],
    ids=["superuser", "city-office", "county-office", "editor"],
)
def test_superusers_and_the_city_office_must_enrol_before_any_admin_page(client, make_user, expected):
    user = make_user()
    password_only(client, user)
    for url in ["/admin/", "/admin/account/", "/admin/users/", "/admin/security/lockouts/"]:
        response = client.get(url)
        if expected:
            assert response.status_code == 302, url
            assert response["Location"] == f"{expected}?next={url}"
    if not expected:
        assert client.get("/admin/").status_code == 200
    # The login, logout, enrolment and the admin's scripts stay open to them.
    assert client.get(ENROL).status_code == 200
    assert client.get("/admin/jsi18n/").status_code == 200
    assert client.get("/admin/sprite/").status_code == 200


@pytest.mark.parametrize("make_user", [make_superuser, editor], ids=["superuser", "optional-editor"])
def test_whoever_has_a_device_must_give_a_code_after_the_password(client, make_user):
    user = make_user()
    enrolled(user)
    password_only(client, user)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=/admin/pages/"
    # Not the enrolment page either: it would let the password alone set up a new device.
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    assert client.post("/admin/security/two-factor/recovery-codes/").status_code == 302


def test_enrolment_shows_a_local_qr_code_and_the_key_then_ten_recovery_codes_once(client):
    user = make_superuser()
    password_only(client, user)
    page = client.get(f"{ENROL}?next=/admin/pages/")
    html = page.content.decode()
    qr = re.search(r'<div class="security-qr">(.*?)</div>', html, re.S).group(1)
    assert qr.startswith("<svg") and 'aria-label="双重验证二维码"' in qr  # drawn here, inline: no image URL
    key = re.search(r'id="two-factor-key">([A-Z2-7 ]+)<', html).group(1)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert key.replace(" ", "") in device.config_url

    wrong = client.post(ENROL, {"code": "000000" if key_code(key) != "000000" else "111111", "next": "/admin/pages/"})
    assert "验证码不正确或已过期" in field_errors(wrong)
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    device.refresh_from_db()
    device.throttle_reset()
    done = client.post(ENROL, {"code": key_code(key), "next": "/admin/pages/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert 'href="/admin/pages/"' in done.content.decode()
    assert client.get("/admin/pages/").status_code == 200  # verified by the enrolment itself
    # Shown once: the page now only says how many are left.
    status = client.get(ENROL).content.decode()
    assert codes[0] not in status and "10</strong> 个恢复码" in status
    assert SignInLogEntry.objects.filter(action=audit.TWO_FACTOR_ENROLLED, object_id=str(user.pk)).exists()


def test_a_current_authenticator_code_passes_and_a_wrong_one_is_refused_next_to_the_field(client):
    user = make_superuser()
    device = enrolled(user)
    password_only(client, user)
    wrong = client.post(VERIFY, {"code": "12345x", "next": "/admin/pages/"})
    assert wrong.status_code == 200
    assert "恢复码不正确或已使用过" in field_errors(wrong)  # not six digits: taken as a recovery code
    assert client.get("/admin/pages/").status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(VERIFY, {"code": device_code(device), "next": "/admin/pages/"})
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200
    results = list(
        SignInLogEntry.objects.filter(object_id=str(user.pk), action__startswith="portal.two_factor")
        .order_by("timestamp")
        .values_list("action", "data__result")
    )
    assert results == [(audit.TWO_FACTOR_FAILED, "失败：恢复码不正确或已使用过。"), (audit.TWO_FACTOR_PASSED, "成功")]


def test_after_a_wrong_code_the_right_one_must_wait_and_the_page_says_so(client):
    user = make_superuser()
    device = enrolled(user)
    password_only(client, user)
    wrong_code = f"{(int(device_code(device)) + 1) % 1_000_000:06d}"
    client.post(VERIFY, {"code": wrong_code})
    response = client.post(VERIFY, {"code": device_code(device)})
    assert "验证码错误次数过多，请等待" in field_errors(response)
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_works_once(client):
    user = make_superuser()
    enrolled(user)
    password_only(client, user)
    response = client.post(VERIFY, {"code": "ABCD 2345", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(token="abcd2345").exists()

    client.logout()
    password_only(client, user)
    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    again = client.post(VERIFY, {"code": "abcd2345", "next": "/admin/"})
    assert "恢复码不正确或已使用过" in field_errors(again)
    assert client.get("/admin/").status_code == 302


def test_renewing_recovery_codes_replaces_the_old_ones(client):
    user = make_superuser()
    enrolled(user)
    client.force_login(user)  # with the conftest's verified device
    response = client.post("/admin/security/two-factor/recovery-codes/")
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert not StaticToken.objects.filter(token="abcd2345").exists()
    assert SignInLogEntry.objects.filter(action=audit.TWO_FACTOR_CODES_RENEWED).count() == 1


def test_an_optional_user_may_remove_their_own_two_factor_a_required_one_may_not(client):
    user = editor()
    client.force_login(user)
    assert client.post("/admin/security/two-factor/remove/").status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    client.logout()
    password_only(client, user)
    assert client.get("/admin/").status_code == 200  # unaffected once removed

    city = make_staff("city", Level.CITY)
    client.force_login(city)
    assert denied(client.post("/admin/security/two-factor/remove/"))
    assert TOTPDevice.objects.filter(user=city).exists()


def test_an_editor_without_a_device_is_never_asked(client):
    user = editor()
    password_only(client, user)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/account/").status_code == 200
    enrol = client.get(ENROL).content.decode()
    assert "确认启用" in enrol and "必须启用双重验证" not in enrol


def test_an_administrator_resets_a_users_two_factor_and_the_user_enrols_again(client):
    city = make_staff("city", Level.CITY)
    enrolled(city)
    admin = make_superuser()
    client.force_login(admin)
    page = client.get(f"/admin/security/accounts/{city.pk}/").content.decode()
    assert "重置双重验证" in page and "已启用" in page
    response = client.post(f"/admin/security/accounts/{city.pk}/", {"action": "reset_two_factor"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=city).exists()
    assert not StaticDevice.objects.filter(user=city).exists()
    entry = SignInLogEntry.objects.get(action=audit.TWO_FACTOR_RESET)
    assert (entry.user, entry.object_id, entry.label) == (admin, str(city.pk), "city")

    client.logout()
    password_only(client, city)
    assert client.get("/admin/")["Location"].startswith(ENROL)


def test_the_city_office_resets_staff_but_not_a_superuser_and_others_cannot_at_all(client):
    office = make_staff("city", Level.CITY)
    county = make_staff("county", Level.XINGBIN)
    root = make_superuser()
    enrolled(county)
    enrolled(root)
    client.force_login(office)
    assert client.post(f"/admin/security/accounts/{county.pk}/", {"action": "reset_two_factor"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=county, name="身份验证器").exists()
    assert denied(client.post(f"/admin/security/accounts/{root.pk}/", {"action": "reset_two_factor"}))
    assert TOTPDevice.objects.filter(user=root, name="身份验证器").exists()

    client.force_login(county)
    assert denied(client.get("/admin/security/accounts/"))
    assert denied(client.post(f"/admin/security/accounts/{office.pk}/", {"action": "reset_two_factor"}))
    assert TOTPDevice.objects.filter(user=office).exists()


def test_the_users_list_links_each_user_to_their_account_security_page(client):
    staff = make_staff("county", Level.XINGBIN)
    client.force_login(make_superuser())
    assert f'href="/admin/security/accounts/{staff.pk}/"' in client.get("/admin/users/").content.decode()
