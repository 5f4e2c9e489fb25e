"""A reader's way through the public site, and an honour going through review, in Debian's chromium."""

import re

import pytest
from playwright.sync_api import expect

from home.demo import EDITORIAL_USERS
from honours.models import HonourPage
from spotlight.models import SpotlightArticlePage
from staff.roles import EDITORS, FINAL_REVIEWERS, REVIEWERS
from tests.conftest import PHONE
from tests.public_builders import build_public_demo

from .browser_sign_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_goes_home_column_article_profile_honour(live_server, page, screenshot):
    profiles = build_public_demo()
    article = SpotlightArticlePage.objects.live().get(related_experts__profile=profiles[0])
    honour = HonourPage.objects.live().filter(recipients__profile=profiles[0]).first()

    page.goto(live_server.url)
    expect(page.locator(".lead-story")).to_be_visible()
    screenshot(page, "public-home-desktop")

    page.locator(".article-card a.tag", has_text="人才下基层").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("人才下基层")
    screenshot(page, "public-column-desktop")

    page.get_by_role("link", name=article.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    expect(page.locator(".prev-next").first).to_be_visible()
    screenshot(page, "public-article-desktop")

    page.locator(".related-experts").get_by_role("link", name=profiles[0].title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(profiles[0].title)
    screenshot(page, "public-profile-desktop")

    page.locator("#honours-heading + ul").get_by_role("link", name=honour.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(honour.title)
    expect(page.locator(".recipient-list")).to_contain_text(profiles[0].title)
    screenshot(page, "public-honour-desktop")

    page.set_viewport_size(PHONE)
    for url, name in [
        ("/", "home"),
        (article.url, "article"),
        ("/experts/", "directory"),
        ("/honours/", "honours"),
        ("/news/", "news"),
        ("/services/lvse-tongdao/", "service"),
        ("/search/?q=%E5%8C%BB%E5%AD%A6", "search"),
    ]:
        page.goto(live_server.url + url)
        expect(page.locator("h1")).to_be_visible()
        # Nothing wider than the phone: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
        screenshot(page, f"public-{name}-phone")


def test_larger_text_persists_and_every_control_is_reachable_by_keyboard(live_server, page, screenshot):
    build_public_demo()
    page.goto(f"{live_server.url}/news/")
    base_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    toggle = page.locator("[data-text-size-toggle]")
    toggle.focus()
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > base_size

    page.goto(f"{live_server.url}/experts/")
    expect(page.locator("html")).to_have_class(re.compile("text-large"))
    expect(page.locator("[data-text-size-toggle]")).to_have_attribute("aria-pressed", "true")
    screenshot(page, "public-directory-large-text")

    page.locator("#filter-team").select_option(label="专业技术人才")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile("team=professional_technical"))

    # The focus ring is visible on links reached by keyboard.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"

    page.locator("[data-text-size-toggle]").click()
    page.reload()
    expect(page.locator("html")).not_to_have_class(re.compile("text-large"))


def header_fits_the_phone(page):
    # No sideways scrolling, and 搜索 on one line: a button no taller than a line of its text and its padding.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    button = page.locator(".site-search button")
    height, line, padding = button.evaluate(
        "b => { const s = getComputedStyle(b); return [b.getBoundingClientRect().height,"
        " parseFloat(s.lineHeight), parseFloat(s.paddingTop) + parseFloat(s.paddingBottom)"
        " + parseFloat(s.borderTopWidth) + parseFloat(s.borderBottomWidth)]; }"
    )
    assert height < 1.5 * line + padding
    box = button.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]


def test_larger_text_on_a_phone_fits_and_says_it_is_on(live_server, page, screenshot):
    build_public_demo()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/experts/")
    toggle = page.locator("[data-text-size-toggle]")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(toggle).to_have_text(re.compile(r"^\s*A\+\s*大字版\s*$"), use_inner_text=True)
    header_fits_the_phone(page)
    screenshot(page, "public-header-phone")

    toggle.click()
    expect(page.locator("html")).to_have_class(re.compile("text-large"))
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_have_text(re.compile("大字版：开"), use_inner_text=True)
    expect(page.get_by_role("button", name="大字版：开", pressed=True)).to_be_visible()
    header_fits_the_phone(page)
    screenshot(page, "public-header-phone-large-text")

    # The choice holds on the next page, already in words before anything is clicked.
    page.goto(f"{live_server.url}/news/")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_have_text(re.compile("大字版：开"), use_inner_text=True)
    header_fits_the_phone(page)

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(toggle).not_to_have_text(re.compile("开"), use_inner_text=True)
    header_fits_the_phone(page)


def test_demo_editor_submits_an_honour_reviewers_approve_and_it_goes_public(live_server, page, screenshot):
    build_public_demo()
    login_of = {group: username for group, username, *_ in EDITORIAL_USERS}  # the demo's printed logins
    index = HonourPage.objects.first().get_parent()

    sign_in(page, live_server.url, login_of[EDITORS])
    page.goto(f"{live_server.url}/admin/pages/add/honours/honourpage/{index.pk}/")
    page.locator("#id_title").fill("2026年度来宾市青年科技奖")
    page.locator("#id_honour_type").select_option(label="表彰奖励")
    page.locator("#id_conferred_title").fill("来宾市青年科技奖")
    page.locator("#id_conferring_body").fill("来宾市科学技术协会")
    page.locator("#id_recipients-0-team_name").fill("青年科技创新团队")
    page.locator("#id_summary").fill("表彰在科技创新中表现突出的青年团队。")
    page.locator(".c-sf-add-button").first.click()
    page.get_by_role("option", name="正文段落").click()
    page.locator(".public-DraftEditor-content").first.click()
    page.keyboard.type("他们勇于创新，成绩突出。")
    page.locator("#id_summary").click()  # Draftail saves its content when it loses focus
    expect(page.locator("input[name='citation-0-value']")).to_have_value(re.compile("勇于创新"))
    screenshot(page, "admin-honour-editor")

    page.locator("footer [data-w-dropdown-target='toggle']").click()
    page.locator("button[name='action-submit']").click()
    expect(page.locator(".messages")).to_be_visible()
    honour = HonourPage.objects.get(title="2026年度来宾市青年科技奖")
    assert not honour.live

    for username in (login_of[REVIEWERS], login_of[FINAL_REVIEWERS]):
        sign_in(page, live_server.url, username)
        page.goto(f"{live_server.url}/admin/pages/{honour.pk}/edit/")
        screenshot(page, f"admin-honour-review-{username}")
        page.locator("footer [data-w-dropdown-target='toggle']").click()
        # "批准" at the first step, "批准 和发布" at the last.
        page.get_by_role("button", name=re.compile(r"^批准( 和发布)?$")).click()
        expect(page.locator(".messages")).to_be_visible()
        screenshot(page, f"admin-honour-approved-{username}")

    assert HonourPage.objects.get(pk=honour.pk).live
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/honours/")
    page.get_by_role("link", name="2026年度来宾市青年科技奖").click()
    expect(page.locator(".recipient-list")).to_contain_text("青年科技创新团队")
    screenshot(page, "public-new-honour")
