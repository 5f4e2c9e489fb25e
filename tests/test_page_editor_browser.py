"""The page editor in a browser: the rich-text "+" named in Chinese, and a submit with a required
field missing answered on the editor's form."""

import pytest
from playwright.sync_api import expect
from wagtail.models import WorkflowState

from news.models import NewsPage
from tests.browser_sign_in import sign_in
from tests.conftest import PHONE
from tests.public_builders import build_sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_news_article_without_its_summary_is_not_submitted(live_server, page, screenshot):
    sections = build_sections()
    sign_in(page, live_server.url, "bianji")  # 演示编辑, in the 编辑 group
    page.goto(f"{live_server.url}/admin/pages/add/news/newspage/{sections['news'].pk}/")
    page.locator("#id_title").fill("人才工作动态")
    page.locator("#id_category").select_option("work")

    # The body's first paragraph, through the stream's own "+".
    page.locator("[data-contentpath=body] button").first.click()
    page.get_by_role("option", name="正文段落").click()
    text = page.locator("[data-contentpath=body] [contenteditable=true]")
    text.click()
    page.keyboard.type("市委人才办召开专家座谈会。")
    expect(text).to_contain_text("座谈会")

    # The rich-text editor's "+" has a Chinese name (the catalogue's "Insert a block", which the
    # stream's own "+" buttons share) and is the tab stop just before the text.
    plus = page.locator("[data-contentpath=body] .Draftail-Editor").get_by_role("button", name="插入块", exact=True)
    expect(plus).to_have_count(1)
    page.keyboard.press("Shift+Tab")
    expect(plus).to_be_focused()
    page.keyboard.press("Enter")
    expect(plus).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")

    page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    page.locator("button[name=action-submit]").click()

    summary_error = page.locator("[data-contentpath=summary] .error-message")
    expect(summary_error).to_contain_text("必需字段")
    expect(page.locator("#id_title")).to_have_value("人才工作动态")  # what was typed is still there
    assert not WorkflowState.objects.exists()
    # The autosave may have kept a draft; it was not submitted, and it is the only page.
    assert NewsPage.objects.count() <= 1
    summary_error.scroll_into_view_if_needed()
    screenshot(page, "page-editor-submit-missing-summary")
    page.set_viewport_size(PHONE)
    summary_error.scroll_into_view_if_needed()
    screenshot(page, "page-editor-submit-missing-summary-phone")
