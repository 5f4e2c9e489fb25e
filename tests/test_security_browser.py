"""In a browser: a superuser enrols in two-factor sign-in, signs in again with a code, is refused a
wrong one; the lockout page and the administrators' screens; at desktop and phone width."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from staff.levels import Level

from .browser_sign_in import device_code, key_code, sign_in, signed_out
from .conftest import DESKTOP, PHONE
from .experts_builders import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Chief-pass-2026"


def both_widths(page, screenshot, name):
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def password_step(page, base, username, password):
    signed_out(page)
    page.goto(f"{base}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_a_superuser_enrols_then_signs_in_with_a_code(live_server, page, screenshot):
    base = live_server.url
    user = User.objects.create_superuser("chief", password=PASSWORD)

    password_step(page, base, "chief", PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/security/two-factor/\?next="))
    expect(page.get_by_text("必须启用双重验证后才能使用工作台")).to_be_visible()
    expect(page.locator(".security-qr svg")).to_be_visible()
    both_widths(page, screenshot, "two-factor-enrol")

    page.get_by_label("验证码").fill(
        "000000" if key_code(page.locator("#two-factor-key").inner_text()) != "000000" else "111111"
    )
    page.get_by_role("button", name="确认启用").click()
    expect(page.locator(".w-field__errors")).to_contain_text("验证码不正确或已过期")
    expect(page.locator(".w-field__errors")).to_be_visible()
    screenshot(page, "two-factor-enrol-error")

    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    page.get_by_label("验证码").fill(key_code(page.locator("#two-factor-key").inner_text()))
    page.get_by_role("button", name="确认启用").click()
    codes = page.locator(".security-codes code")
    expect(codes).to_have_count(10)
    both_widths(page, screenshot, "two-factor-recovery-codes")
    recovery_code = codes.first.inner_text()
    page.get_by_role("link", name="我已保存恢复码，继续").click()
    expect(page).to_have_url(f"{base}/admin/")

    # Next time: the code after the password; a wrong one is refused next to the field.
    password_step(page, base, "chief", PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/security/two-factor/verify/"))
    expect(page.get_by_role("heading", name="双重验证")).to_be_visible()
    expect(page.get_by_text("输入“来宾市专家人才平台”当前显示的 6 位验证码")).to_be_visible()
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    page.get_by_label("验证码").fill(f"{(int(device_code(device)) + 500_000) % 1_000_000:06d}")
    page.get_by_role("button", name="验证并进入工作台").click()
    expect(page.locator(".w-field__errors")).to_contain_text("验证码不正确或已过期")
    expect(page.locator(".w-field__errors")).to_be_visible()
    both_widths(page, screenshot, "two-factor-verify-error")

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    page.get_by_label("验证码").fill(device_code(device))
    page.get_by_role("button", name="验证并进入工作台").click()
    expect(page).to_have_url(f"{base}/admin/")

    # A recovery code instead of the phone, once.
    password_step(page, base, "chief", PASSWORD)
    page.get_by_label("验证码").fill(recovery_code)
    page.get_by_role("button", name="验证并进入工作台").click()
    expect(page).to_have_url(f"{base}/admin/")
    expect(page.locator(".messages")).to_contain_text("已使用一个恢复码，还剩 9 个")

    page.goto(f"{base}/admin/account/")
    page.get_by_role("tab", name="更多动作").click()
    page.get_by_role("link", name="双重验证").click()
    expect(page.get_by_text("还有 9 个恢复码可用")).to_be_visible()
    both_widths(page, screenshot, "two-factor-status")


def test_the_lockout_page_and_the_administrators_screens(live_server, page, screenshot):
    base = live_server.url
    target = make_staff("zhangsan", Level.XINGBIN, password=PASSWORD)
    # Four failures from elsewhere, the fifth in the browser: this browser's address stays usable.
    for n in range(4):
        Client().post("/admin/login/", {"username": "zhangsan", "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{n}")
    password_step(page, base, "zhangsan", "wrong-password")
    expect(page.get_by_role("heading", name="暂时无法登录")).to_be_visible()
    expect(page.get_by_text("登录失败次数过多，请 15 分钟后再试")).to_be_visible()
    both_widths(page, screenshot, "lockout-page")

    User.objects.create_superuser("chief", password=PASSWORD)
    sign_in(page, base, "chief", PASSWORD)
    page.get_by_role("button", name="账号安全").click()
    page.get_by_role("link", name="登录锁定").click()
    rows = page.locator("section[aria-labelledby='locked-accounts-heading'] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("zhangsan")
    both_widths(page, screenshot, "security-lockouts")
    rows.get_by_role("button", name="解除锁定").click()
    expect(page.locator(".messages")).to_contain_text("已解除账号“zhangsan”的登录锁定")

    page.goto(f"{base}/admin/security/accounts/{target.pk}/")
    expect(page.get_by_role("cell", name="登录失败").first).to_be_visible()
    both_widths(page, screenshot, "security-account")
    page.goto(f"{base}/admin/security/accounts/")
    both_widths(page, screenshot, "security-accounts")

    sign_in(page, base, "zhangsan", PASSWORD)
