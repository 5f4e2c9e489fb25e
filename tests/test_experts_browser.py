"""A county's staff member searches, filters and exports the expert list in a real browser."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from base.demo import DEMO_PASSWORD
from experts.models import Expert, ExpertStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")


def listed_names(page):
    return sorted(page.locator("table.listing tbody tr td:first-child a").all_inner_texts())


def test_county_user_searches_filters_and_exports(live_server, page, demo_site, screenshot):
    own = Expert.objects.filter(level="xingbin", status=ExpertStatus.ACTIVE)
    hospital = own.filter(unit__name__contains="人民医院")
    team = hospital.first().talent_team
    expected_after_filter = sorted(hospital.filter(talent_team=team).values_list("name", flat=True))
    assert list(hospital) and len(expected_after_filter) < own.count()

    log_in(page, live_server, "rcb_xingbin")
    page.get_by_role("button", name="专家人才库").click()
    page.get_by_role("link", name="专家人才", exact=True).click()
    expect(page.locator("table.listing tbody tr")).to_have_count(own.count())
    assert "市本级" not in page.locator("table.listing").inner_text()
    screenshot(page, "experts-county-list")

    page.get_by_role("textbox", name="搜索").fill("人民医院")
    expect(page.locator("table.listing tbody tr")).to_have_count(hospital.count())
    assert listed_names(page) == sorted(hospital.values_list("name", flat=True))

    page.locator("#filters-drilldown .w-dropdown__toggle").click()
    page.locator("[aria-controls='drilldown-id_talent_team']").click()
    page.locator("#drilldown-id_talent_team").get_by_label(Expert(talent_team=team).get_talent_team_display()).check()
    expect(page.locator("table.listing tbody tr")).to_have_count(len(expected_after_filter))
    assert listed_names(page) == expected_after_filter
    page.keyboard.press("Escape")
    screenshot(page, "experts-county-search-filter")

    page.get_by_role("button", name="动作").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载XLSX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as workbook_file:
        rows = list(load_workbook(workbook_file).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "姓名"
    assert sorted(row[0] for row in rows[1:]) == expected_after_filter
    assert {row[rows[0].index("属地")] for row in rows[1:]} == {"兴宾区"}
