"""axe-core on the main public pages, on a desktop and on a phone with 大字版 on.

axe-core comes from the pinned axe-playwright-python package (its axe.min.js, see requirements-dev.txt):
nothing is fetched at test time. A serious or critical violation fails the test, listed readably.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from wagtail.models import Site

from base.models import PortalSettings
from experts.models.pages import ExpertProfilePage
from honours.models import HonourIndexPage
from intake.demo import DEMO_QUERY_CODE, SHOWCASE_SUBJECT
from intake.models import IntakeItem
from intake.models.pages import ContactPage
from news.models import NewsIndexPage
from services.models import ServiceIndexPage
from spotlight.models import SpecialColumn, SpotlightArticlePage, SpotlightIndexPage
from tests.conftest import PHONE
from tests.public_builders import build_public_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAILING_IMPACTS = {"serious", "critical"}
# label-content-name-mismatch (WCAG 2.5.3) is one of axe's experimental rules, off unless asked for.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}


def serious_violations(page):
    """axe-core's serious and critical violations on the page, one readable line per element."""
    results = Axe().run(page, options=AXE_OPTIONS).response
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — {' '.join(node['target'])}: "
        f"{' '.join(node['failureSummary'].split())} in {' '.join(node['html'].split())[:200]}"
        for violation in results["violations"]
        if violation["impact"] in FAILING_IMPACTS
        for node in violation["nodes"]
    ]


def public_pages():
    """(name, path) of the main public pages of the demo site."""
    spotlight = SpotlightIndexPage.objects.get()
    column = SpecialColumn.objects.filter(live=True).first()
    contact = ContactPage.objects.get()
    return [
        ("home", "/"),
        ("column", spotlight.url + spotlight.reverse_subpage("column", args=[column.slug])),
        ("article", SpotlightArticlePage.objects.live().first().url),
        ("directory", "/experts/"),
        ("profile", ExpertProfilePage.objects.live().first().url),
        ("honours", HonourIndexPage.objects.get().url),
        ("news", NewsIndexPage.objects.get().url),
        ("services", ServiceIndexPage.objects.get().url),
        ("contact", contact.url),
        ("answers", contact.url + contact.reverse_subpage("answers")),
        ("track", contact.url + contact.reverse_subpage("track")),
        ("search", "/search/?q=医学"),
    ]


def check(page, name, problems):
    expect(page.locator("h1")).to_be_visible()
    problems.extend(f"[{name}] {line}" for line in serious_violations(page))


def visit_every_page(page, base_url, problems, suffix=""):
    for name, path in public_pages():
        page.goto(base_url + path)
        check(page, name + suffix, problems)

    contact = ContactPage.objects.get()
    page.goto(base_url + contact.url)
    page.locator(".intake-submit").click()
    expect(page.locator(".intake-alert, .errorlist").first).to_be_visible()
    check(page, "contact with errors" + suffix, problems)

    showcase = IntakeItem.objects.get(subject=SHOWCASE_SUBJECT)
    page.goto(base_url + contact.url + contact.reverse_subpage("track"))
    page.get_by_label("查询号").fill(showcase.tracking_number)
    page.get_by_label("查询码").fill(DEMO_QUERY_CODE)
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".intake-result")).to_contain_text(SHOWCASE_SUBJECT)
    check(page, "track with an item" + suffix, problems)


def test_the_main_public_pages_have_no_serious_axe_violations(live_server, page):
    build_public_demo()
    problems = []
    visit_every_page(page, live_server.url, problems)
    # The site-name link is named by the name it shows (WCAG 2.5.3), the logo disc being decoration.
    portal_name = PortalSettings.for_site(Site.objects.get(is_default_site=True)).portal_name
    expect(page.get_by_role("link", name=f"{portal_name} 返回首页", exact=True)).to_be_visible()
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)


def test_the_main_public_pages_on_a_phone_with_larger_text_have_no_serious_axe_violations(live_server, page):
    build_public_demo()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    page.locator("[data-text-size-toggle]").click()
    expect(page.locator("[data-text-size-toggle]")).to_have_attribute("aria-pressed", "true")
    problems = []
    visit_every_page(page, live_server.url, problems, suffix=" (390 px, 大字版)")
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)
