"""The intake queue and the expert list on a 390 px phone, as a leader or an office head reads them:
the subject and the name keep readable lines, and the page itself never scrolls sideways."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import DESKTOP, PHONE
from tests.public_builders import build_public_demo

from .browser_sign_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_CHARACTERS_PER_LINE = 8

# For each cell of the column headed `heading`: its text, the lines it takes, and how many
# characters of its font a line holds (the cell's content width in em).
CELL_LINES = """([table, heading]) => {
    const headers = [...table.tHead.rows[0].cells];
    const column = headers.findIndex((th) => th.innerText.trim() === heading);
    if (column < 0) throw new Error(`no column headed ${heading}`);
    return [...table.tBodies[0].rows].map((row) => {
        const cell = row.cells[column];
        const text = cell.querySelector("a") || cell;
        const range = document.createRange();
        range.selectNodeContents(text);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        const style = getComputedStyle(cell);
        const width = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return [text.innerText.trim(), tops.size, width / parseFloat(getComputedStyle(text).fontSize)];
    });
}"""


def assert_reads_on_a_phone(page, heading):
    table = page.locator("table.listing")
    expect(table).to_be_visible()
    cells = page.evaluate(CELL_LINES, [table.element_handle(), heading])
    assert cells, f"the list shows no rows under {heading}"
    for text, lines, characters in cells:
        # The whole text on one line, or lines of at least eight characters.
        assert lines == 1 or characters >= MIN_CHARACTERS_PER_LINE, f"{heading} {text!r}: {lines} lines"
    # Every column is in view: no sideways scrolling, of the page or of the table.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert table.bounding_box()["x"] + table.bounding_box()["width"] <= PHONE["width"]


def assert_every_column_on_a_desktop(page, headings, take_screenshot):
    page.set_viewport_size(DESKTOP)
    page.reload()
    expect(page.locator("table.listing thead th:visible")).to_have_text(headings)
    take_screenshot()
    page.set_viewport_size(PHONE)


@pytest.mark.parametrize("username", ["rcb_city", "rcb_xingbin"])
def test_the_queue_and_the_expert_list_read_on_a_phone(live_server, page, screenshot, username):
    build_public_demo()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, username)

    page.goto(live_server.url + reverse("intake_item:index"))
    screenshot(page, f"admin-queue-phone-{username}")
    assert_reads_on_a_phone(page, "主题")
    expect(page.locator("table.listing thead th:visible")).to_have_text(["查询号", "主题", "状态"])
    assert_every_column_on_a_desktop(
        page,
        ["查询号", "主题", "渠道", "类别", "状态", "期限", "承办", "属地", "登记时间"],
        lambda: screenshot(page, f"admin-queue-desktop-{username}"),
    )

    page.goto(live_server.url + reverse("experts:index"))
    screenshot(page, f"admin-experts-phone-{username}")
    assert_reads_on_a_phone(page, "姓名")
    expect(page.locator("table.listing thead th:visible")).to_have_text(["姓名", "工作单位", "专业领域"])
    assert_every_column_on_a_desktop(
        page,
        ["姓名", "工作单位", "专业领域", "职称级别", "人才队伍", "属地", "联系方式", "入库日期", "状态"],
        lambda: screenshot(page, f"admin-experts-desktop-{username}"),
    )


def test_a_departments_list_reads_on_a_phone(live_server, page, screenshot):
    build_public_demo()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "rcb_dept_xingbin")
    page.goto(live_server.url + reverse("intake_dept:index"))
    screenshot(page, "admin-department-list-phone")
    assert_reads_on_a_phone(page, "主题")
    expect(page.locator("table.listing thead th:visible")).to_have_text(["查询号", "主题", "状态", "办结期限"])
