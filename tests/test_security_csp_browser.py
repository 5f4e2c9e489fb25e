"""In Chromium: no page breaks under its Content-Security-Policy.

Every `securitypolicyviolation` event (in any frame) and every console complaint about the
policy is collected while a reader goes through the public site and a staff member through
the admin; there must be none, and the scripts that matter must have run.
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import expect
from wagtail.images.models import Image

from base.demo import DEMO_ADMIN_USERNAME
from experts.models import Expert
from experts.models.pages import ExpertProfilePage
from intake.models import IntakeItem
from liaison.demo import OFFICE_USERNAME
from spotlight.models import SpotlightArticlePage
from tests.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.reportViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
        + ` at ${event.sourceFile || location.href}:${event.lineNumber} (${(event.sample || "").slice(0, 60)})`);
});
"""


@pytest.fixture
def violations(page):
    """What the policy refused on the pages this test opens, in any of their frames."""
    found = []
    page.context.expose_binding("reportViolation", lambda source, text: found.append(text))
    page.context.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: found.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return found


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    return response


def sign_in(page, live_server, username):
    """The session of a signed-in staff member, past the second factor (tests/conftest.py)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_public_pages_and_the_contact_form_run_under_the_strict_policy(
    live_server, page, demo_site, violations, screenshot
):
    base = live_server.url
    article = SpotlightArticlePage.objects.live().first()
    profile = ExpertProfilePage.objects.live().first()

    visit(page, base + "/")
    # portal.js ran from <head>: the text-size toggle works.
    page.locator("[data-text-size-toggle]").first.click()
    expect(page.locator("html")).to_have_class(re.compile("text-large"))
    screenshot(page, "csp-public-home")
    for url in [article.url, profile.url, "/news/", "/search/?q=%E4%B8%93%E5%AE%B6", "/contact/answers/"]:
        visit(page, base + url)
    # The same page again, from the page cache.
    assert visit(page, base + "/news/").headers["x-page-cache"] == "hit"
    screenshot(page, "csp-public-news")

    visit(page, base + "/contact/")
    page.get_by_role("radio", name="预约约见联系领导").check()
    expect(page.locator("#appointment-fields")).to_be_visible()  # contact_form.js ran
    page.get_by_role("radio", name="意见建议").check()
    page.get_by_role("textbox", name="姓名", exact=True).fill("韦测试")
    page.get_by_role("textbox", name="工作单位", exact=True).fill("来宾市测试研究院")
    page.get_by_role("textbox", name="手机号码", exact=True).fill("13807720001")
    page.get_by_role("textbox", name="电子邮箱", exact=True).fill("expert@example.cn")
    page.get_by_role("textbox", name="主题", exact=True).fill("关于人才公寓的建议")
    page.get_by_role("textbox", name="内容", exact=True).fill("建议在人才公寓周边增设公交站点。")
    page.get_by_role("checkbox", name=re.compile("我已阅读并同意")).check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="提交成功，我们已收到您反映的事项")).to_be_visible()
    tracking_number = page.locator("[data-tracking-number]").inner_text()
    query_code = page.locator("[data-query-code]").inner_text()
    assert IntakeItem.objects.filter(tracking_number=tracking_number).exists()
    screenshot(page, "csp-public-receipt")

    visit(page, base + "/contact/track/")
    page.get_by_role("textbox", name="查询号", exact=True).fill(tracking_number)
    page.get_by_role("textbox", name="查询码", exact=True).fill(query_code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".intake-timeline li").first).to_be_visible()

    page.set_viewport_size(PHONE)
    visit(page, base + article.url)
    screenshot(page, "csp-public-article-phone")
    assert violations == []


def test_a_signed_in_editor_sees_the_userbar_on_public_pages(live_server, page, demo_site, violations):
    sign_in(page, live_server, DEMO_ADMIN_USERNAME)
    visit(page, live_server.url + "/")
    expect(page.locator("wagtail-userbar")).to_be_attached()
    page.wait_for_function("document.querySelector('wagtail-userbar').shadowRoot !== null")
    assert violations == []


def test_admin_screens_run_under_the_admin_policy(live_server, page, demo_site, violations, screenshot):
    base = live_server.url
    sign_in(page, live_server, DEMO_ADMIN_USERNAME)

    visit(page, base + "/admin/")
    screenshot(page, "csp-admin-dashboard")

    article = SpotlightArticlePage.objects.live().first()
    visit(page, f"{base}/admin/pages/{article.pk}/edit/")
    editor = page.locator(".Draftail-Editor [contenteditable=true]").first
    expect(editor).to_be_visible()  # the rich text editor started
    editor.click()
    page.keyboard.type("测试")
    # The cover image is chosen already: its actions menu has "choose another".
    page.locator(".image-chooser").first.locator(".w-dropdown__toggle").click()
    page.locator("[data-chooser-action-choose]:visible").first.click()
    expect(page.locator(".modal-dialog")).to_be_visible()  # the image chooser opened
    expect(
        page.locator(".modal-dialog a.image-choice, .modal-dialog [data-chooser-modal-choice]").first
    ).to_be_visible()
    screenshot(page, "csp-admin-image-chooser")
    page.keyboard.press("Escape")

    expert = Expert.objects.first()
    visit(page, f"{base}/admin/experts/edit/{expert.pk}/")
    expect(page.locator("main form").first).to_be_visible()
    image = Image.objects.first()
    for url in [
        "/admin/liaison/coverage/",
        "/admin/experts/import/",
        "/admin/intake/items/",
        f"/admin/images/{image.pk}/",
    ]:
        visit(page, base + url)

    # A leader office records a contact: the form with its expert chooser.
    sign_in(page, live_server, OFFICE_USERNAME)
    visit(page, f"{base}/admin/liaison/contacts/new/")
    expect(page.locator("main form").first).to_be_visible()
    screenshot(page, "csp-admin-liaison-contact")
    assert violations == []
