"""Lockout after 5 failed sign-ins per account and per address, held in the database that every
app-server process shares, shown and lifted on the 登录锁定 screen."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from security import audit
from security.models import SignInLogEntry
from staff.levels import Level

from .experts_builders import make_staff, make_superuser

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Right-pass-2026"
LOCKED_TEXT = "登录失败次数过多，请 15 分钟后再试"


def account(username="zhangsan"):
    return User.objects.create_user(username, password=PASSWORD)


def sign_in(username, password, address, client=None):
    client = client or Client()
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def without_csrf_token(response):
    return re.sub(r'"CSRF_TOKEN": "\w+"', "", response.content.decode())


def is_locked_out(response):
    return response.status_code == 429 and LOCKED_TEXT in response.content.decode()


@pytest.mark.django_db
def test_five_failures_for_one_account_from_five_addresses_lock_it_even_with_the_right_password():
    account()
    answers = [sign_in("zhangsan", "wrong", f"10.0.0.{n}") for n in range(1, 6)]
    assert [answer.status_code for answer in answers[:4]] == [200] * 4
    assert is_locked_out(answers[4])
    assert is_locked_out(sign_in("zhangsan", PASSWORD, "10.0.0.99"))
    # Another account from those addresses is not concerned.
    account("lisi")
    assert sign_in("lisi", PASSWORD, "10.0.0.1").status_code == 302


@pytest.mark.django_db
def test_five_usernames_from_one_address_lock_the_address():
    account()
    for username in ["a1", "a2", "a3", "a4", "zhangsan"]:
        sign_in(username, "wrong", "10.0.0.7")
    assert is_locked_out(sign_in("zhangsan", PASSWORD, "10.0.0.7"))
    assert AccessAttempt.objects.filter(ip_address="10.0.0.7").count() == 5
    # From elsewhere the account was tried once only (then once more while locked): not locked.
    assert sign_in("zhangsan", PASSWORD, "10.0.0.8").status_code == 302


@pytest.mark.django_db
def test_the_lockout_page_does_not_say_whether_the_account_exists():
    account()
    for _ in range(5):
        sign_in("zhangsan", "wrong", "10.0.1.1")
        sign_in("nobody-here", "wrong", "10.0.2.1")
    existing = sign_in("zhangsan", "wrong", "10.0.3.1")
    unknown = sign_in("nobody-here", "wrong", "10.0.4.1")
    assert is_locked_out(existing) and is_locked_out(unknown)
    assert without_csrf_token(existing) == without_csrf_token(unknown)
    assert "zhangsan" not in existing.content.decode()


@pytest.mark.django_db
def test_the_city_office_sees_the_lockout_lifts_it_and_the_account_signs_in():
    user = account()
    for n in range(1, 6):
        sign_in("zhangsan", "wrong", f"10.0.0.{n}")
    office = make_staff("city", Level.CITY)
    admin = Client()
    admin.force_login(office)
    page = admin.get("/admin/security/lockouts/").content.decode()
    locked_section = page.split('id="locked-accounts-heading"')[1].split("</section>")[0]
    assert "zhangsan" in locked_section and "5 次" in locked_section
    failures = page.split('id="failures-heading"')[1]
    assert "10.0.0.5" in failures

    lifted = admin.post("/admin/security/lockouts/", {"kind": "username", "value": "zhangsan"})
    assert lifted.status_code == 302
    assert "当前没有被锁定的账号" in admin.get("/admin/security/lockouts/").content.decode()
    assert sign_in("zhangsan", PASSWORD, "10.0.0.5").status_code == 302
    entry = SignInLogEntry.objects.get(action=audit.LOCKOUT_LIFTED)
    assert (entry.user, entry.object_id, entry.label, entry.data["result"]) == (
        office,
        str(user.pk),
        "zhangsan",
        "成功",
    )


@pytest.mark.django_db
def test_an_address_lockout_is_lifted_on_the_screen_too():
    account()
    for username in ["a1", "a2", "a3", "a4", "a5"]:
        sign_in(username, "wrong", "10.0.0.7")
    admin = Client()
    admin.force_login(make_superuser())
    assert (
        "10.0.0.7" in admin.get("/admin/security/lockouts/").content.decode().split('id="locked-addresses-heading"')[1]
    )
    admin.post("/admin/security/lockouts/", {"kind": "ip", "value": "10.0.0.7"})
    assert sign_in("zhangsan", PASSWORD, "10.0.0.7").status_code == 302


@pytest.mark.django_db
def test_only_superusers_and_the_city_office_see_the_lockout_screen():
    county = make_staff("county", Level.XINGBIN)
    client = Client()
    client.force_login(county)
    response = client.get("/admin/security/lockouts/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.post("/admin/security/lockouts/", {"kind": "ip", "value": "10.0.0.7"})["Location"] == "/admin/"


def other_process(script):
    """Runs `script` in `manage.py shell`, a separate process on this test's database, as a second
    app-server process would."""
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{settings['NAME']}"
    else:
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + settings["NAME"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


FAIL_THREE_TIMES = """
from django.test import Client
for n in range(3):
    Client().post("/admin/login/", {"username": "zhangsan", "password": "wrong"}, REMOTE_ADDR=f"10.9.0.{n}")
print("done")
"""

RIGHT_PASSWORD = f"""
from django.test import Client
print(Client().post("/admin/login/", {{"username": "zhangsan", "password": "{PASSWORD}"}}, REMOTE_ADDR="10.9.9.9").status_code)
"""


@pytest.mark.django_db(transaction=True)
def test_failures_made_in_another_process_count_here_and_the_lockout_holds_there():
    account()
    assert other_process(FAIL_THREE_TIMES) == "done"
    assert sign_in("zhangsan", "wrong", "10.8.0.1").status_code == 200  # the 4th, counting the other process's
    assert is_locked_out(sign_in("zhangsan", "wrong", "10.8.0.2"))  # the 5th
    assert other_process(RIGHT_PASSWORD) == "429"


@pytest.mark.django_db
def test_signing_in_to_ones_own_account_does_not_clear_the_failures_against_another():
    account()
    account("attacker")
    for n in range(4):
        sign_in("zhangsan", f"guess-{n}", "10.5.5.5")
    assert sign_in("attacker", PASSWORD, "10.5.5.5").status_code == 302
    assert is_locked_out(sign_in("zhangsan", "guess-4", "10.5.5.5"))  # still the 5th guess
    assert is_locked_out(sign_in("zhangsan", PASSWORD, "10.6.6.6"))
    # The account that signed in starts again from nothing.
    assert not AccessAttempt.objects.filter(username="attacker").exists()


@pytest.mark.django_db
def test_a_malformed_forwarded_address_is_counted_under_the_proxys_address_not_an_error(settings):
    settings.INTAKE_TRUSTED_PROXY_COUNT = 1
    account()
    response = Client().post(
        "/admin/login/", {"username": "zhangsan", "password": "wrong"}, HTTP_X_FORWARDED_FOR="not-an-address"
    )
    assert response.status_code == 200
    # The hop is not an address: the failure counts against the address the request came from.
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"
    assert SignInLogEntry.objects.get().data["ip"] == "127.0.0.1"
