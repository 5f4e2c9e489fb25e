"""Every sign-in event leaves a log entry (who, when, address, result) in site history, for superusers
and the city office only, and no admin screen changes or deletes one."""

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.log_actions import registry

from security import audit
from security.models import SignInLogEntry
from staff.levels import Level

from .browser_sign_in import device_code
from .experts_builders import make_staff, make_superuser

pytestmark = pytest.mark.django_db

PASSWORD = "Right-pass-2026"


def post_login(client, username, password, address="10.1.2.3"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def entries():
    return list(SignInLogEntry.objects.order_by("timestamp", "id"))


def test_sign_in_two_factor_and_sign_out_are_logged_with_address_and_result():
    user = User.objects.create_superuser("chief", password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)
    client = Client()
    assert post_login(client, "chief", PASSWORD).status_code == 302
    wrong = f"{(int(device_code(device)) + 500_000) % 1_000_000:06d}"
    client.post("/admin/security/two-factor/verify/", {"code": wrong}, REMOTE_ADDR="10.1.2.3")
    device.refresh_from_db()
    device.throttle_reset()
    client.post("/admin/security/two-factor/verify/", {"code": device_code(device)}, REMOTE_ADDR="10.1.2.3")
    client.post("/admin/logout/", REMOTE_ADDR="10.1.2.3")

    logged = [(e.action, e.user, e.object_id, e.label, e.data["ip"], e.data["result"]) for e in entries()]
    assert [row[:5] for row in logged] == [
        (audit.SIGN_IN, user, str(user.pk), "chief", "10.1.2.3"),
        (audit.TWO_FACTOR_FAILED, user, str(user.pk), "chief", "10.1.2.3"),
        (audit.TWO_FACTOR_PASSED, user, str(user.pk), "chief", "10.1.2.3"),
        (audit.SIGN_OUT, user, str(user.pk), "chief", "10.1.2.3"),
    ]
    assert [row[5] for row in logged] == [
        "成功",
        "失败：验证码不正确或已过期，请输入身份验证器上当前显示的 6 位数字。",
        "成功",
        "本人退出",
    ]


def test_failed_sign_ins_are_logged_for_known_and_unknown_usernames_without_the_password():
    user = User.objects.create_user("zhangsan", password=PASSWORD)
    client = Client()
    post_login(client, "zhangsan", "Secret-guess-1")
    post_login(client, "no-such-user", "Secret-guess-2")
    known, unknown = entries()
    assert (known.action, known.user, known.object_id, known.label) == (
        audit.SIGN_IN_FAILED,
        None,
        str(user.pk),
        "zhangsan",
    )
    assert (unknown.action, unknown.user, unknown.object_id, unknown.label) == (
        audit.SIGN_IN_FAILED,
        None,
        None,
        "no-such-user",
    )
    assert unknown.data == {"ip": "10.1.2.3", "result": "用户名或密码错误"}
    assert not SignInLogEntry.objects.filter(data__icontains="Secret-guess").exists()


def test_a_lockout_is_logged_once_then_each_refused_attempt_as_such():
    User.objects.create_user("zhangsan", password=PASSWORD)
    client = Client()
    for n in range(5):
        post_login(client, "zhangsan", "wrong", f"10.0.0.{n}")
    post_login(client, "zhangsan", PASSWORD, "10.0.0.9")
    actions = [(e.action, e.data["result"]) for e in entries()]
    assert actions == [
        *[(audit.SIGN_IN_FAILED, "用户名或密码错误")] * 5,
        (audit.LOCKED_OUT, "已锁定 15 分钟"),  # once, after the 5th failure
        (audit.SIGN_IN_FAILED, "已锁定，拒绝登录"),
    ]


def site_history(user):
    client = Client()
    client.force_login(user)
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    return response.content.decode()


def test_site_history_shows_sign_in_events_to_superusers_and_the_city_office_only():
    post_login(Client(), "no-such-user", "wrong")
    assert "no-such-user" in site_history(make_superuser())
    assert "no-such-user" in site_history(make_staff("city", Level.CITY))
    assert "no-such-user" not in site_history(make_staff("county", Level.XINGBIN))
    assert SignInLogEntry in registry.get_log_entry_models()


def test_no_one_can_be_granted_a_way_to_change_or_delete_an_entry():
    post_login(Client(), "no-such-user", "wrong")
    entry = SignInLogEntry.objects.get()
    content_type = ContentType.objects.get_for_model(SignInLogEntry)
    assert not Permission.objects.filter(content_type=content_type).exists()
    root = make_superuser()
    assert AdminURLFinder(root).get_edit_url(entry) is None
    client = Client()
    client.force_login(root)
    for url in [
        f"/admin/snippets/security/signinlogentry/edit/{entry.pk}/",
        f"/admin/security/signinlogentry/{entry.pk}/",
    ]:
        assert client.get(url).status_code == 404
