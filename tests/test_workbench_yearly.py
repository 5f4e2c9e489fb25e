"""The yearly report (年度工作报告): its figures against the dashboard's and the lists', the workbook's
sheets against a hand-built world, who sees which level, bad input, the export's log entry, the
workbook built by the background worker, and in a browser a county office's path from the dashboard to a
list and to the report (downloaded, printed)."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse
from playwright.sync_api import expect

from experts.models import RemovalReason
from experts.services import remove_expert
from staff.exports import XLSX_CONTENT_TYPE
from staff.levels import Level
from staff.models import ExportLogEntry
from workbench import workbooks
from workbench.models import WorkbookState, YearlyWorkbook
from workbench.panels import CountiesPanel, ExpertsPanel, LiaisonPanel
from workbench.yearly import YearlyReport

from .browser_sign_in import sign_in
from .conftest import DESKTOP, PHONE
from .experts_builders import make_expert, make_staff
from .task_worker import run_task_worker
from .test_workbench_dashboard import PT, TODAY, YEAR, listed, world  # noqa: F401 - the dashboard tests' hand-built world

URL = "/admin/reports/yearly/"
A4_WIDTH = 794  # CSS pixels of 210 mm at 96 dpi
SHEETS = [
    "专家与年度变动",
    "结对联系与名额",
    "联系服务与六活动",
    "五报告",
    "来信来访统计",
    "关心关爱、政治引领、决策咨询、创新创业支持",
    "专家变动明细",
]


def panel(panel_class, user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return panel_class(request).get_context_data({})


def stats(report):
    """{label: Stat} of the report's sections."""
    return {stat.label: stat for section in report.sections() for stat in section.stats}


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(XLSX_CONTENT_TYPE)
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def figures_of(sheet):
    """{項目: 数值} of a section's sheet (its key figures come first, down to the first empty row)."""
    found = {}
    for label, value, *_ in sheet.iter_rows(min_row=2, values_only=True):
        if label is None:
            break
        found[label] = value
    return found


# The three agree ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_reports_figures_equal_the_dashboards_and_the_lists_on_the_demo_data(client, demo_site):
    city, county = User.objects.get(username="rcb_city"), User.objects.get(username="rcb_xingbin")
    checked = 0
    # Each office's report of all it sees, its dashboard and its lists.
    for user in (county, city):
        client.force_login(user)
        found = stats(YearlyReport(user, YEAR))
        experts, liaison = panel(ExpertsPanel, user), panel(LiaisonPanel, user)
        dashboard = {
            "在库专家": experts["active"].total,
            "全年无联系记录的专家": liaison["uncontacted"].total,
            "六项活动全部开展": liaison["activities"].complete.total,
            "结对少于名额的领导": liaison["under_quota"].total,
        }
        for label, number in dashboard.items():
            assert found[label].value == number, (user, label)
            if found[label].link:
                assert listed(client, found[label].link) == number, (user, label)
                checked += 1
        assert found["在库专家"].value > 0 and found["全年无联系记录的专家"].value > 0
        for stat in found.values():  # every other number with a list behind it
            if stat.link and stat.label not in dashboard:
                assert listed(client, stat.link) == stat.value, (user, stat.label)
                checked += 1
    # The city office's report of one county: the dashboard's county row and the county's lists.
    client.force_login(city)
    counties = panel(CountiesPanel, city)
    row = dict(counties["rows"])[Level.XINGBIN.label]
    columns = {column.label: cell for column, cell in zip(counties["columns"], row, strict=True)}
    found = stats(YearlyReport(city, YEAR, Level.XINGBIN))
    for label in ("在库专家", "全年无联系记录的专家", "六项活动全部开展", "结对少于名额的领导"):
        number, link = columns[label]
        assert found[label].value == number, label
        assert found[label].link == link
        if link:
            assert listed(client, link) == number, label
            checked += 1
    # …and the county's own report says the same.
    assert stats(YearlyReport(county, YEAR))["在库专家"].value == found["在库专家"].value
    assert checked >= 16


# The workbook against a hand-built world ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_workbook_holds_a_sheet_per_section_with_the_worlds_numbers(client, world):  # noqa: F811
    xb = world["xb_user"]
    # This year in 兴宾区: one expert enters, c (never contacted) leaves the city.
    newcomer = make_expert(xb, world["xb_unit"], name="新某来", joined_on=TODAY.isoformat(), talent_team=PT)
    remove_expert(world["c"], date=TODAY, reason=RemovalReason.LEFT_CITY, basis="调动文件", user=xb)
    client.force_login(xb)
    book = workbook(client.get(f"{URL}?year={YEAR}&format=xlsx"))
    assert book.sheetnames == SHEETS
    experts = figures_of(book["专家与年度变动"])
    assert experts["在库专家"] == 3 and experts["本年入库"] == 1 and experts["本年调出"] == 1
    assert experts["年度调整已确认"] == 1 and experts["年度调整待确认"] == 2
    rows = {row[0]: row[1:] for row in book["专家与年度变动"].iter_rows(values_only=True)}
    assert rows["专业技术人才"][0] == 3 and rows["调离本市"][0] == 1 and rows["其他"][0] == 0
    pairings = figures_of(book["结对联系与名额"])
    assert pairings == {"在任领导": 2, "结对少于名额的领导": 1, "正在结对联系的专家": 2}
    contacts = figures_of(book["联系服务与六活动"])
    assert contacts["全年联系服务记录"] == 1 and contacts["全年无联系记录的专家"] == 2  # b and the newcomer
    activities = {row[0]: row[1:3] for row in book["联系服务与六活动"].iter_rows(values_only=True)}
    assert activities["座谈交流"] == (1, pytest.approx(1 / 3)) and activities["节日慰问"] == (0, 0)
    assert figures_of(book["五报告"]) == {"全年五报告": 0}
    assert figures_of(book["来信来访统计"]) == {"全年登记事项": 1}
    assert figures_of(book["关心关爱、政治引领、决策咨询、创新创业支持"])["参加集中体检"] == 1
    changes = list(book["专家变动明细"].iter_rows(min_row=2, values_only=True))
    assert [row[1:] for row in changes] == [  # by date, then in the order they were recorded
        (newcomer.name, "兴宾区", "兴宾区高级中学", "入库", None),
        (world["c"].name, "兴宾区", "兴宾区人民医院", "调出", "调离本市"),
    ]


@pytest.mark.django_db
def test_the_workbook_download_is_logged_as_an_export(client, world):  # noqa: F811
    client.force_login(world["xb_user"])
    workbook(client.get(f"{URL}?year={YEAR}&format=xlsx"))
    entry = ExportLogEntry.objects.get(action=workbooks.EXPORT_ACTION)
    assert entry.user == world["xb_user"] and entry.level == Level.XINGBIN
    assert entry.label == f"导出{YEAR}年度工作报告（兴宾区，XLSX）" and entry.data["rows"] == 3


# Who sees which level ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_county_office_sees_its_county_whatever_level_the_address_names(client, world):  # noqa: F811
    client.force_login(world["xb_user"])
    response = client.get(f"{URL}?year={YEAR}&level={Level.HESHAN}")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.level_label == "兴宾区" and stats(report)["在库专家"].value == 3
    assert "合山市" not in response.content.decode()  # no level chooser, no other county's row
    book = workbook(client.get(f"{URL}?year={YEAR}&level={Level.HESHAN}&format=xlsx"))
    assert figures_of(book["专家与年度变动"])["在库专家"] == 3


@pytest.mark.django_db
def test_the_city_office_chooses_a_level_or_the_whole_city(client, world):  # noqa: F811
    client.force_login(world["city_user"])
    heshan = client.get(f"{URL}?year={YEAR}&level={Level.HESHAN}").context["report"]
    assert heshan.level_label == "合山市" and stats(heshan)["在库专家"].value == 2
    whole = client.get(URL).context["report"]
    assert whole.year == YEAR and whole.level_label == "全市" and stats(whole)["在库专家"].value == 6
    text = client.get(URL).content.decode()
    assert '<option value="" selected>全市</option>' in text and f'<option value="{Level.JINXIU}">' in text


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["leader_user", "liaison_user", "dept_user"])
def test_leaders_liaisons_and_departments_have_no_yearly_report(client, world, user):  # noqa: F811
    client.force_login(world[user])
    for path in (URL, f"{URL}?format=xlsx", reverse("workbench_yearly:workbook"), reverse("workbench_yearly:download")):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home")), path  # refused
    assert "年度工作报告" not in client.get("/admin/").content.decode()


@pytest.mark.django_db
def test_the_report_is_in_the_reports_menu_of_the_offices(client, world):  # noqa: F811
    client.force_login(world["xb_user"])
    assert URL in client.get("/admin/").content.decode()


# Bad input ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["abc", "1999", str(YEAR + 1), "２０２６x", ""])
def test_a_bad_year_is_answered_in_chinese_beside_the_field(client, world, year):  # noqa: F811
    client.force_login(world["xb_user"])
    for suffix in ("", "&format=xlsx"):
        response = client.get(f"{URL}?year={year}{suffix}")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        text = response.content.decode()
        assert f"请填写 2000 至 {YEAR} 之间的年份" in text and 'aria-invalid="true"' in text
        assert response.context["report"] is None
    assert not ExportLogEntry.objects.exists()


@pytest.mark.django_db
def test_an_unknown_level_is_refused_for_the_city_office(client, world):  # noqa: F811
    client.force_login(world["city_user"])
    response = client.get(f"{URL}?year={YEAR}&level=nowhere")
    assert response.context["report"] is None and "请从列表中选择属地。" in response.content.decode()


# The background worker -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_large_workbook_is_built_by_the_worker_with_its_progress_on_screen(client, world, monkeypatch):  # noqa: F811
    monkeypatch.setattr(workbooks, "INLINE_EXPERTS", 2)  # the city's six experts are "large" here
    client.force_login(world["city_user"])
    response = client.get(f"{URL}?year={YEAR}&format=xlsx")
    job = YearlyWorkbook.objects.get()
    status_url = f"{reverse('workbench_yearly:workbook')}?job={job.pk}"
    assert response.status_code == 302 and response["Location"] == status_url
    text = client.get(status_url).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in text
    assert re.search(r'role="status" aria-live="polite"', text) and "已完成 0 / 6 部分" in text
    assert not ExportLogEntry.objects.exists()  # asking is not exporting
    assert "后台任务尚未开始" not in text
    YearlyWorkbook.objects.update(created_at=job.created_at - workbooks.STALLED_AFTER * 2)
    assert "后台任务尚未开始。请确认后台任务进程（db_worker）正在运行" in client.get(status_url).content.decode()

    run_task_worker(workbooks.QUEUE)
    job.refresh_from_db()
    assert job.state == WorkbookState.DONE and job.sections_done == job.sections_total == 6
    path = workbooks.workbook_path(job)
    assert path.is_relative_to(Path(settings.WORKBENCH_WORKBOOK_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    text = client.get(status_url).content.decode()
    assert "http-equiv" not in text and "工作簿已生成" in text
    download = f"{reverse('workbench_yearly:download')}?job={job.pk}"
    assert download.replace("&", "&amp;") in text or download in text
    book = workbook(client.get(download))
    assert book.sheetnames == SHEETS and figures_of(book["专家与年度变动"])["在库专家"] == 6
    entry = ExportLogEntry.objects.get(action=workbooks.EXPORT_ACTION)
    assert entry.user == world["city_user"] and entry.data["rows"] == 6

    # Another office (even the same level's) finds no such workbook.
    client.force_login(make_staff("wb_city2", Level.CITY))
    assert client.get(download)["Location"] == reverse("workbench_yearly:index")
    assert client.get(status_url)["Location"] == reverse("workbench_yearly:index")
    assert ExportLogEntry.objects.count() == 1

    # A day later the file is gone.
    assert workbooks.prune_workbooks(now=job.created_at + workbooks.KEEP * 2) == 1
    assert not path.exists()


BEYOND = """width => [...document.querySelectorAll("body *")]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1)
    .slice(0, 5).map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def beyond(page, width):
    """The first elements shown past `width` (CSS pixels), described."""
    return page.evaluate(BEYOND, width)


# In a browser ---------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_county_user_follows_the_dashboard_to_a_list_then_downloads_and_prints_the_yearly_report(
    live_server, page, demo_site, screenshot
):
    sign_in(page, live_server.url, "rcb_xingbin")
    panel = page.get_by_role("region", name="专家人才概况")
    expect(panel).to_be_visible()
    liaison = page.get_by_role("region", name="联系服务概况")
    expect(liaison.get_by_role("link", name=re.compile("本月应访未访"))).to_be_visible()
    expect(liaison.get_by_role("link", name=re.compile("逾期未访"))).to_be_visible()
    expect(page.get_by_role("region", name="各属地情况")).to_have_count(0)  # the city office's alone
    expect(panel.get_by_role("img", name=re.compile("在库专家：按人才队伍和属地"))).to_be_visible()
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size({**size, "height": 3200})
        page.reload()
        screenshot(page, f"workbench-dashboard-{label}")
    page.set_viewport_size(DESKTOP)
    uncontacted = liaison.get_by_role("link", name=re.compile("全年无联系记录的专家"))
    number = int(uncontacted.locator(".workbench-stat__value").inner_text())
    uncontacted.click()
    expect(page.get_by_role("heading", name=re.compile(r"\d{4}年六活动覆盖情况"))).to_be_visible()
    expect(page.get_by_label("只看全年无联系记录的专家")).to_be_checked()
    expect(page.locator("p.liaison-summary")).to_contain_text(f"共 {number} 名专家")
    screenshot(page, "workbench-followed-list-desktop")

    # The report is in the menu: 报告 → 年度工作报告.
    page.get_by_role("button", name="报告", exact=True).click()
    page.get_by_role("link", name="年度工作报告").click()
    expect(page.get_by_role("heading", name=f"{YEAR}年度工作报告（兴宾区）")).to_be_visible()
    expect(page.get_by_label("属地", exact=True)).to_have_count(0)  # a county's office has no level chooser
    expect(page.get_by_role("img", name=re.compile("每月联系服务记录"))).to_be_visible()
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size({**size, "height": 7000})  # the admin scrolls its main area, not the page
        page.reload()
        screenshot(page, f"workbench-yearly-{label}")
    page.set_viewport_size(DESKTOP)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载工作簿（XLSX）").click()
    download = download_info.value
    assert download.suggested_filename == f"{YEAR}年度工作报告-兴宾区.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert book.sheetnames == SHEETS
    shown = int(page.get_by_role("region", name=re.compile("领导结对情况")).locator("td").first.inner_text())
    assert figures_of(book["结对联系与名额"])["在任领导"] == shown

    page.set_viewport_size({"width": A4_WIDTH, "height": 7000})
    page.emulate_media(media="print")
    expect(page.locator("#wagtail-sidebar")).to_be_hidden()
    expect(page.get_by_role("button", name="查看")).to_be_hidden()
    assert not beyond(page, A4_WIDTH)  # charts and tables fit the page's width
    screenshot(page, "workbench-yearly-print-a4")
    page.goto(f"{live_server.url}/admin/intake/statistics/")
    expect(page.locator("#wagtail-sidebar")).to_be_hidden()
    box = page.locator("table").first.bounding_box()
    assert box["x"] < 60  # the table starts at the page's edge, not beside (or under) the sidebar
    screenshot(page, "intake-statistics-print-a4")
    page.emulate_media(media="screen")
