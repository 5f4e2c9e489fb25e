"""A county's staff member searches, filters, exports and imports experts in a real browser."""

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from base.demo import DEMO_PASSWORD
from experts.models import Expert, ExpertImport, ExpertStatus
from staff.levels import Level

from .browser_sign_in import sign_in
from .experts_builders import import_row, make_staff, run_import_worker, xlsx_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def listed_names(page):
    return sorted(page.locator("table.listing tbody tr td:first-child a").all_inner_texts())


def test_county_user_searches_filters_and_exports(live_server, page, demo_site, screenshot):
    own = Expert.objects.filter(level="xingbin", status=ExpertStatus.ACTIVE)
    hospital = own.filter(unit__name__contains="人民医院")
    team = hospital.first().talent_team
    expected_after_filter = sorted(hospital.filter(talent_team=team).values_list("name", flat=True))
    assert list(hospital) and len(expected_after_filter) < own.count()

    sign_in(page, live_server.url, "rcb_xingbin")
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


def test_an_import_shows_its_progress_then_the_preview_then_the_result(live_server, page, screenshot, tmp_path):
    make_staff("importer", Level.XINGBIN, password=DEMO_PASSWORD)
    upload = tmp_path / "experts.xlsx"
    upload.write_bytes(xlsx_file([import_row(), import_row(姓名="导某二", 手机号码="13700000002")]).read())
    # The page's polls reach the server only while Playwright runs, never while the worker runs here.
    page.route("**/progress/", lambda route: route.continue_())

    sign_in(page, live_server.url, "importer")
    page.goto(f"{live_server.url}/admin/experts/import/")
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(upload)
    page.get_by_role("button", name="上传并检查").click()
    status = page.locator("[data-import-progress]").get_by_role("status")
    expect(status).to_contain_text("排队等待后台任务…")
    screenshot(page, "experts-import-queued")

    # What the page shows between two of the check's transactions, updated without reloading.
    job = ExpertImport.objects.get()
    ExpertImport.objects.filter(pk=job.pk).update(worker_started_at=timezone.now(), total=2, checked=1)
    expect(page.locator("[data-import-detail]")).to_have_text("已检查 1 / 2 行")
    expect(status).to_contain_text("正在逐行检查 2 行数据…")
    expect(page.locator("progress")).to_have_js_property("value", 1)
    screenshot(page, "experts-import-checking")

    run_import_worker()
    expect(page.get_by_role("heading", name="导入预览")).to_be_visible()
    expect(page.locator("table.listing tbody tr")).to_have_count(2)
    screenshot(page, "experts-import-preview")

    page.get_by_role("button", name="确认导入 2 名专家").click()
    expect(page.get_by_role("heading", name="正在导入")).to_be_visible()
    run_import_worker()
    expect(page.get_by_role("heading", name="导入完成")).to_be_visible()
    expect(page.get_by_text("已导入 2 名专家。")).to_be_visible()
    screenshot(page, "experts-import-done")
    assert sorted(Expert.objects.values_list("name", flat=True)) == ["导某一", "导某二"]
