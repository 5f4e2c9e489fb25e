"""Signing in as a person does: the login page, then, when the site asks, the second factor.

Superusers and the city office (市委人才办) meet the two-factor step: on the verification page the
helper types the code an authenticator app would show (computed from the user's device); on the
enrolment page it reads the key shown as text, as someone without a camera would, and confirms it.
"""

import re
import time
from base64 import b32decode

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from base.demo import DEMO_PASSWORD


def code_for(key, step=30, t0=0, digits=6, drift=0, after_step=-1):
    """The code an authenticator app shows now for `key` (bytes), or the next step's if the current one
    was already used (django-otp refuses a step twice and accepts one step ahead)."""
    totp = TOTP(key, step, t0, digits, drift)
    totp.time = time.time()
    if totp.t() <= after_step:
        totp.time += step * (after_step - totp.t() + 1)
    return f"{totp.token():0{digits}d}"


def device_code(device):
    device.refresh_from_db()
    return code_for(device.bin_key, device.step, device.t0, device.digits, device.drift, device.last_t)


def key_code(shown_key):
    """The current code for a base32 key as the enrolment page shows it (groups of four)."""
    plain = shown_key.replace(" ", "")
    return code_for(b32decode(plain + "=" * (-len(plain) % 8)))


def signed_out(page):
    """Leaves the page first: a request the last page still has running (its cookie renewed with every
    answer) would otherwise sign the browser back in after the cookies are cleared."""
    page.goto("about:blank")
    page.context.clear_cookies()


def sign_in(page, base_url, username, password=DEMO_PASSWORD, *, expected_url=None):
    """Signs `username` in through /admin/login/ and any second-factor step; ends on the dashboard
    (or `expected_url`)."""
    signed_out(page)
    page.goto(f"{base_url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    if "/admin/security/two-factor/verify/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("验证码").fill(device_code(device))
        page.get_by_role("button", name="验证并进入工作台").click()
    elif "/admin/security/two-factor/" in page.url:
        page.get_by_label("验证码").fill(key_code(page.locator("#two-factor-key").inner_text()))
        page.get_by_role("button", name="确认启用").click()
        expect(page.locator(".security-codes code")).to_have_count(10)
        page.get_by_role("link", name="我已保存恢复码，继续").click()
    expect(page).to_have_url(expected_url or re.compile(f"^{re.escape(base_url)}/admin/$"))
