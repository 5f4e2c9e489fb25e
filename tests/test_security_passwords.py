"""Password policy: at least 10 characters of three kinds, not like the user's name, not common, not
all digits, refused with Chinese messages in Wagtail's user form; new passwords hashed with Argon2."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.test import override_settings

from base.demo import DEMO_ADMIN_USERNAME, DEMO_PASSWORD
from portal.settings import base
from staff.levels import Level
from staff.roles import COUNTY_OFFICE

pytestmark = pytest.mark.django_db


def user_form_data(username, password):
    return {
        "username": username,
        "email": f"{username}@example.cn",
        "first_name": "伟",
        "last_name": "张",
        "password1": password,
        "password2": password,
        "level": Level.WUXUAN,
        "groups": [Group.objects.get(name=COUNTY_OFFICE).pk],
    }


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short1!", "密码太短，至少需要 10 个字符。"),
        ("abcdefghijkl", "密码须包含小写字母、大写字母、数字、其他符号四类字符中的至少 3 类。"),
        ("Password1234", "这个密码太常见了。"),
        ("Zhangwei2026!", "密码跟 用户名 太相似了。"),
        ("38294751029384", "密码只包含数字。"),
    ],
    ids=["short", "two-kinds", "common", "like-the-username", "digits"],
)
def test_the_user_form_refuses_a_weak_password_in_chinese(client, password, message):
    client.force_login(User.objects.create_superuser("boss", password="pw"))
    response = client.post("/admin/users/new/", user_form_data("zhangwei2026", password))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="zhangwei2026").exists()


def test_a_strong_password_and_the_demo_password_are_accepted_and_hashed_with_argon2(client):
    client.force_login(User.objects.create_superuser("boss", password="pw"))
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        response = client.post("/admin/users/new/", user_form_data("zhangwei2026", "Laibin-Rencai-88"))
        assert response.status_code == 302
        created = User.objects.get(username="zhangwei2026")
        assert created.password.startswith("argon2$")
        assert created.check_password("Laibin-Rencai-88")
        assert identify_hasher(make_password(DEMO_PASSWORD)).algorithm == "argon2"
    # The demo's shared password meets the policy (lower case, digits, symbols).
    validate_password(DEMO_PASSWORD, User(username=DEMO_ADMIN_USERNAME, first_name="演示管理员"))


def test_base_settings_put_argon2_first_and_tests_keep_a_fast_hasher():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    # Older hashes still verify (and are upgraded at the next sign-in).
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_changing_ones_own_password_follows_the_same_rules(client):
    user = User.objects.create_user("zhangwei2026", password="Old-pass-2026", first_name="伟", email="z@example.cn")
    user.groups.add(Group.objects.get(name=COUNTY_OFFICE))
    client.force_login(user)
    data = {
        "name_email-first_name": "伟",
        "name_email-last_name": "张",
        "name_email-email": "z@example.cn",
        "password-old_password": "Old-pass-2026",
        "password-new_password1": "onlylowercase",
        "password-new_password2": "onlylowercase",
        "locale-preferred_language": "zh-hans",
        "locale-current_time_zone": "Asia/Shanghai",
        "theme-theme": "system",
        "theme-density": "default",
        "theme-contrast": "system",
        "theme-keyboard_shortcuts": "on",
    }
    response = client.post("/admin/account/", data)
    assert "密码须包含小写字母、大写字母、数字、其他符号四类字符中的至少 3 类。" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("Old-pass-2026")
