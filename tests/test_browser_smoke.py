"""First browser tests: the public home page and the Chinese admin login."""

import re

import pytest
from playwright.sync_api import expect

from base.demo import DEMO_ADMIN_USERNAME, DEMO_PASSWORD
from base.models import PortalSettings
from tests.browser_sign_in import pass_second_factor
from tests.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_shows_portal_name_and_hotline_from_site_settings(live_server, page, demo_site, screenshot):
    settings = PortalSettings.for_site(demo_site)
    settings.hotline = "0772-7654321"
    settings.save()

    page.goto(live_server.url)

    expect(page).to_have_title(settings.portal_name)
    expect(page.locator(".site-brand__name")).to_have_text(settings.portal_name)
    expect(page.locator(".contact-card")).to_contain_text("0772-7654321")
    expect(page.locator(".site-footer")).to_contain_text("0772-7654321")
    screenshot(page, "home-desktop")

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator(".main-nav")).to_be_visible()
    screenshot(page, "home-phone")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(live_server, page, demo_site):
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))


def test_admin_login_in_chinese(live_server, page, demo_site, screenshot):
    page.goto(f"{live_server.url}/admin/")

    expect(page.get_by_label("用户名")).to_be_visible()
    expect(page.get_by_label("密码")).to_be_visible()
    screenshot(page, "admin-login")

    page.get_by_label("用户名").fill(DEMO_ADMIN_USERNAME)
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".messages")).to_contain_text("用户名")

    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    # The administrator must enrol in two-factor sign-in before reaching the dashboard.
    expect(page).to_have_url(f"{live_server.url}/admin/security/two-factor/?next=/admin/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("双重验证")
    pass_second_factor(page, DEMO_ADMIN_USERNAME)

    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page).to_have_title(re.compile("^控制面板"))
    expect(page.get_by_role("heading", level=1)).to_have_text("来宾市党委联系服务专家人才平台")
    screenshot(page, "admin-dashboard")
