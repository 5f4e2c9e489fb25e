"""Wagtail's own reports export through staff.exports: BOM, formula guard, local times, each export logged."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLResolver, get_resolver
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import GroupApprovalTask, Page, PageLogEntry, TaskState, Workflow, WorkflowState, WorkflowTask

from base.models import StandardPage
from intake.models import IntakeLogEntry
from staff.exports import ListExportMixin
from staff.levels import Level
from staff.models import ExportLogEntry
from staff.roles import CITY_OFFICE, COUNTY_OFFICE
from tests.intake_builders import make_staff, new_item
from tests.test_exports import column, content_of, csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'
MOMENT = datetime.datetime(2026, 10, 8, 16, 30, tzinfo=datetime.UTC)  # 2026-10-09 00:30 in Beijing
LOCAL = datetime.datetime(2026, 10, 9, 0, 30)


def formula_page(**fields):
    page = StandardPage(title=FORMULA, slug="formula", **fields)
    Page.get_first_root_node().add_child(instance=page)
    return page


def in_review(user):
    """A page titled with a formula, in a workflow started at MOMENT (its first task too)."""
    workflow = Workflow.objects.create(name="页面审核")
    WorkflowTask.objects.create(workflow=workflow, task=GroupApprovalTask.objects.create(name="审核"), sort_order=0)
    page = formula_page()
    page.save_revision(user=user)
    workflow.start(page, user)
    WorkflowState.objects.update(created_at=MOMENT)
    TaskState.objects.update(started_at=MOMENT)


def locked(user):
    formula_page(locked=True, locked_by=user, locked_at=MOMENT)


def aging(user):
    formula_page(last_published_at=MOMENT)


def last_edited(user):
    formula_page(latest_revision_created_at=MOMENT)


def logged(user):
    formula_page()  # logged as created
    PageLogEntry.objects.update(timestamp=MOMENT)


def redirect(user):
    Redirect.objects.create(old_path="/old", redirect_link=FORMULA)


@dataclass(frozen=True)
class Report:
    url: str
    build: Callable  # makes a record whose title (or label) is FORMULA, at MOMENT
    shows: str  # the column that record's title shows in
    time: str | None  # the column of its time
    name: str  # the export's name


REPORTS = {
    "site-history": Report("/admin/reports/site-history/", logged, "名称", "时间", "网站历史"),
    "locked": Report("/admin/reports/locked/", locked, "标题", "锁定时间", "已锁定的页面"),
    "aging": Report("/admin/reports/aging-pages/", aging, "标题", "最后发布时间", "较早的页面"),
    "page-types": Report(
        "/admin/reports/page-types-usage/", last_edited, "最后编辑的页面", "最后编辑时间", "页面类型使用情况"
    ),
    "workflow": Report("/admin/reports/workflow/", in_review, "页面/片段标题", "开始时间", "工作流"),
    "workflow-tasks": Report("/admin/reports/workflow_tasks/", in_review, "页面/片段标题", "开始时间", "工作流任务"),
    "redirects": Report("/admin/redirects/", redirect, "目标地址", None, "重定向"),
}
TIMED = {name: report for name, report in REPORTS.items() if report.time}


@pytest.fixture
def root():
    return make_staff("root", is_superuser=True)


def export(client, url, export_format):
    response = client.get(f"{url}?export={export_format}")
    assert response.status_code == 200
    return csv_rows(response) if export_format == "csv" else xlsx_rows(response)


def cells(rows):
    return [cell for row in rows[1:] for cell in row]


def formula_row(rows):
    """The row of the record titled FORMULA, guarded or not, as heading → value."""
    return next(dict(zip(rows[0], row, strict=True)) for row in rows[1:] if {FORMULA, "'" + FORMULA} & set(row))


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("report", REPORTS.values(), ids=REPORTS.keys())
def test_a_formula_in_a_report_comes_out_guarded(client, root, report, export_format):
    report.build(root)
    client.force_login(root)
    rows = export(client, report.url, export_format)
    assert FORMULA not in cells(rows)
    assert "'" + FORMULA in column(rows, report.shows)


@pytest.mark.parametrize("results", ["", "results/"])
@pytest.mark.parametrize("report", REPORTS.values(), ids=REPORTS.keys())
def test_a_report_csv_starts_with_the_bom_also_from_its_results_url(client, root, report, results):
    report.build(root)
    client.force_login(root)
    content = content_of(client.get(f"{report.url}{results}?export=csv")).decode("utf-8")
    assert content.startswith("\ufeff")
    assert report.shows in content.splitlines()[0]


@pytest.mark.parametrize("report", TIMED.values(), ids=TIMED.keys())
def test_report_times_are_written_in_local_time(client, root, report):
    report.build(root)
    client.force_login(root)
    row = formula_row(export(client, report.url, "xlsx"))
    assert LOCAL in row.values()  # a real date cell
    assert row[report.time] == LOCAL
    row = formula_row(export(client, report.url, "csv"))
    assert "2026-10-09 00:30" in row.values()
    assert row[report.time] == "2026-10-09 00:30"


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("report", REPORTS.values(), ids=REPORTS.keys())
def test_a_report_export_is_logged_with_its_row_count(client, root, report, export_format):
    report.build(root)
    client.force_login(root)
    rows = export(client, report.url, export_format)
    entry = ExportLogEntry.objects.get(action="reports.export")
    assert (entry.user, entry.label) == (root, f"导出{report.name}（{export_format.upper()}）")
    assert entry.data["rows"] == len(rows) - 1 > 0
    assert entry.data["format"] == export_format


@pytest.fixture
def items():
    return {level: new_item(level=level, subject=f"{label}的事项")[0] for level, label in Level.choices}


def test_a_county_exports_only_its_own_site_history_and_the_export_is_logged_at_its_level(client, items):
    xiangzhou = make_staff("xiangzhou", Level.XIANGZHOU, COUNTY_OFFICE)
    client.force_login(xiangzhou)
    for export_format in ("csv", "xlsx"):
        rows = export(client, "/admin/reports/site-history/", export_format)
        entry = ExportLogEntry.objects.get(data__format=export_format)
        assert (entry.user, entry.level, entry.data["rows"]) == (xiangzhou, Level.XIANGZHOU, len(rows) - 1)
        text = " ".join(str(cell) for cell in cells(rows))
        assert str(IntakeLogEntry.objects.get(item=items[Level.XIANGZHOU]).label) in text
        assert "象州县的事项" in text
        assert not [item.subject for level, item in items.items() if level != Level.XIANGZHOU and item.subject in text]


def test_a_site_history_export_shows_in_site_history_to_its_level_only(client, root, items):
    xiangzhou = make_staff("xiangzhou", Level.XIANGZHOU, COUNTY_OFFICE)
    client.force_login(xiangzhou)
    content_of(client.get("/admin/reports/site-history/?export=csv"))
    for user, sees in [
        (xiangzhou, True),
        (make_staff("city", Level.CITY, CITY_OFFICE), True),
        (make_staff("wuxuan", Level.WUXUAN, COUNTY_OFFICE), False),
    ]:
        client.force_login(user)
        history = client.get("/admin/reports/site-history/").content.decode()
        assert ("导出网站历史（CSV）" in history) is sees, user


def exporting_routes(patterns, prefix=""):
    """(route, view class) of every URL in resolution order, with the view's `list_export`."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from exporting_routes(pattern.url_patterns, route)
        elif view_class := getattr(pattern.callback, "view_class", None):
            list_export = pattern.callback.view_initkwargs.get("list_export", getattr(view_class, "list_export", []))
            yield route, view_class, list_export


def test_no_admin_view_exports_through_wagtails_own_writer():
    routes = list(exporting_routes(get_resolver().url_patterns))
    served_by = {}
    for route, view_class, _ in routes:
        served_by.setdefault(route, view_class)  # the first pattern with a route answers it
    exporting = {
        route: served_by[route].__name__
        for route, view_class, list_export in routes
        if issubclass(view_class, SpreadsheetExportMixin) and list_export
    }
    assert "admin/reports/site-history/" in exporting
    assert [route for route, name in exporting.items() if not issubclass(served_by[route], ListExportMixin)] == []


def test_the_page_types_report_offers_its_downloads(client, root):
    client.force_login(root)
    html = client.get("/admin/reports/page-types-usage/").content.decode()
    assert "/admin/reports/page-types-usage/?export=xlsx" in html
    assert "/admin/reports/page-types-usage/?export=csv" in html
