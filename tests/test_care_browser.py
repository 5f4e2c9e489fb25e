"""A county's talent office records a checkup round in a real browser: several experts at once through
the chooser, attendance marked after the checkup, and the year's coverage of its county rising; at
desktop and phone width (screenshots in test-artifacts/screenshots/)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from care.models import CheckupRound
from programme.models import AttendanceStatus
from staff.levels import Level

from .browser_sign_in import sign_in
from .conftest import DESKTOP, PHONE
from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .programme_builders import make_activity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def both_widths(page, screenshot, name, *, reload=True):
    # The admin scrolls inside its own frame, so a full-page shot is one screen: a tall one shows more.
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size({**size, "height": 1600})
        if reload:
            page.reload()
        screenshot(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


def checkups_cell(page, level_label):
    """The 参加集中体检 cell of `level_label`'s row in the by-level table."""
    table = page.locator("table.programme-table").first
    column = table.locator("thead th").all_inner_texts().index("参加集中体检")
    return (
        table.locator("tbody tr")
        .filter(has=page.get_by_role("rowheader", name=level_label))
        .locator("th, td")
        .nth(column)
    )


def test_a_county_office_records_a_checkup_round_and_sees_the_coverage_rise(live_server, page, screenshot):
    year = timezone.localdate().year
    root = make_superuser()
    hospital, school = make_unit("兴宾区人民医院", Level.XINGBIN), make_unit("兴宾区职业技术学校", Level.XINGBIN)
    joined = f"{year - 1}-01-01"
    names = ["韦某明", "覃某华", "蓝某林", "黄某涛"]
    experts = [
        make_expert(root, [hospital, school][n % 2], name=name, joined_on=joined) for n, name in enumerate(names)
    ]
    other = make_expert(root, make_unit("合山市人民医院", Level.HESHAN), name="合山专家", joined_on=joined)
    # The city's round already had one of them this year: it counts for the county too.
    make_activity(
        CheckupRound, [experts[3], other], level=Level.CITY, date=datetime.date(year, 1, 15), hospital="来宾市人民医院"
    )
    make_staff("xingbin", Level.XINGBIN)
    sign_in(page, live_server.url, "xingbin", "pw")

    page.goto(f"{live_server.url}/admin/care/coverage/?year={year}")
    expect(checkups_cell(page, "兴宾区")).to_have_text("1 （25.0%）")
    expect(page.get_by_role("rowheader", name="合山市")).to_have_count(0)

    page.goto(f"{live_server.url}/admin/care/")
    expect(page.get_by_role("heading", name="关心关爱")).to_be_visible()
    page.get_by_role("row").filter(has_text="集中体检").get_by_role("link", name="登记").click()
    expect(page.get_by_role("heading", name="登记集中体检")).to_be_visible()
    page.get_by_label("日期").fill(f"{year}-{timezone.localdate():%m-%d}")
    page.get_by_label("日期").press("Tab")  # leaves the date picker
    page.get_by_label("体检医院").fill("兴宾区人民医院")
    page.get_by_label("分组安排").fill("医疗系统专家上午体检，教育系统专家下午体检。")

    # Three experts at once through Wagtail's chooser modal; another county's expert is not offered.
    page.get_by_role("button", name="添加专家").click()
    modal = page.locator(".modal")
    expect(modal.get_by_text("韦某明")).to_be_visible()
    expect(modal.get_by_text("合山专家")).to_have_count(0)
    for expert in experts[:3]:
        modal.locator(f"input[data-multiple-choice-select][value='{expert.pk}']").check()
    modal.locator("[data-multiple-choice-submit]").click()
    expect(modal).to_be_hidden()
    expect(page.locator("[data-experts-widget-count]")).to_have_text("已选 3 位专家")
    page.get_by_label("受邀专家").scroll_into_view_if_needed()
    both_widths(page, screenshot, "care-checkup-form", reload=False)

    page.locator("footer").get_by_role("button", name="创建").click()
    expect(page.get_by_role("heading", name="集中体检详情")).to_be_visible()
    round_ = CheckupRound.objects.get(level=Level.XINGBIN)
    assert sorted(round_.attendances.values_list("expert__name", flat=True)) == sorted(names[:3])
    assert set(round_.attendances.values_list("status", flat=True)) == {AttendanceStatus.INVITED}
    expect(page.locator("table.programme-table")).to_contain_text("已邀请")

    page.get_by_role("link", name="登记参加情况").click()
    expect(page.get_by_role("heading", name=f"登记参加情况：{round_}")).to_be_visible()
    rows = page.locator("table.programme-attendance tbody tr")
    expect(rows).to_have_count(3)
    for name, status in [("韦某明", "已参加"), ("覃某华", "已参加"), ("蓝某林", "未参加")]:
        rows.filter(has_text=name).get_by_role("radio", name=status).check()
    both_widths(page, screenshot, "care-attendance", reload=False)
    page.get_by_role("button", name="保存参加情况").click()
    expect(page.get_by_text("已保存参加情况（3人有变动）")).to_be_visible()
    statuses = dict(round_.attendances.values_list("expert__name", "status"))
    assert statuses == {"韦某明": "attended", "覃某华": "attended", "蓝某林": "declined"}
    both_widths(page, screenshot, "care-checkup-inspect")
    expect(page.locator("table.programme-table")).to_contain_text("未参加")

    # The coverage of the county rises from 1 to 3 of its 4 experts.
    page.goto(f"{live_server.url}/admin/care/coverage/?year={year}")
    expect(checkups_cell(page, "兴宾区")).to_have_text("3 （75.0%）")
    page.get_by_role("link", name="未参加集中体检").click()
    missing = page.locator("#missing + .programme-scroll table tbody tr")
    expect(missing).to_have_count(1)
    expect(missing).to_contain_text("蓝某林")
    both_widths(page, screenshot, "care-coverage")
