"""Wagtail's own reports export through staff.exports: BOM, formula guard, local times, each export logged."""

import datetime

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
from staff.roles import COUNTY_OFFICE
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


# url, builder of a record with a formula, the column it shows in, the column of its time, the export's name
REPORTS = {
    "site-history": ("/admin/reports/site-history/", logged, "名称", "时间", "网站历史"),
    "locked": ("/admin/reports/locked/", locked, "标题", "锁定时间", "已锁定的页面"),
    "aging": ("/admin/reports/aging-pages/", aging, "标题", "最后发布时间", "较早的页面"),
    "page-types": ("/admin/reports/page-types-usage/", last_edited, "最后编辑的页面", "最后编辑时间", "页面类型使用情况"),
    "workflow": ("/admin/reports/workflow/", in_review, "页面/片段标题", "开始时间", "工作流"),
    "workflow-tasks": ("/admin/reports/workflow_tasks/", in_review, "页面/片段标题", "开始时间", "工作流任务"),
    "redirects": ("/admin/redirects/", redirect, "目标地址", None, "重定向"),
}


@pytest.fixture
def root():
    return make_staff("root", is_superuser=True)


def export(client, url, export_format):
    response = client.get(f"{url}?export={export_format}")
    assert response.status_code == 200
    return csv_rows(response) if export_format == "csv" else xlsx_rows(response)


def row_with(rows, heading, value):
    """The row (heading → value) whose `heading` column holds `value`."""
    return next(dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[rows[0].index(heading)] == value)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("report", REPORTS)
def test_a_formula_in_a_report_comes_out_guarded(client, root, report, export_format):
    url, build, heading, _, _ = REPORTS[report]
    build(root)
    client.force_login(root)
    values = column(export(client, url, export_format), heading)
    assert "'" + FORMULA in values
    assert FORMULA not in values


@pytest.mark.parametrize("results", ["", "results/"])
@pytest.mark.parametrize("report", REPORTS)
def test_a_report_csv_starts_with_the_bom_also_from_its_results_url(client, root, report, results):
    url, build, heading, _, _ = REPORTS[report]
    build(root)
    client.force_login(root)
    content = content_of(client.get(f"{url}{results}?export=csv")).decode("utf-8")
    assert content.startswith("\ufeff")
    assert heading in content.splitlines()[0]


@pytest.mark.parametrize("report", [name for name, (*_, time, _) in REPORTS.items() if time])
def test_report_times_are_written_in_local_time(client, root, report):
    url, build, heading, time, _ = REPORTS[report]
    build(root)
    client.force_login(root)
    assert row_with(export(client, url, "xlsx"), heading, "'" + FORMULA)[time] == LOCAL  # a real date cell
    assert row_with(export(client, url, "csv"), heading, "'" + FORMULA)[time] == "2026-10-09 00:30"


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("report", REPORTS)
def test_a_report_export_is_logged_with_its_row_count(client, root, report, export_format):
    url, build, _, _, name = REPORTS[report]
    build(root)
    client.force_login(root)
    rows = export(client, url, export_format)
    entry = ExportLogEntry.objects.get(action="reports.export")
    assert (entry.user, entry.label) == (root, f"导出{name}（{export_format.upper()}）")
    assert entry.data["rows"] == len(rows) - 1 > 0
    assert entry.data["format"] == export_format


@pytest.fixture
def items():
    return {level: new_item(level=level, subject=f"{label}的事项")[0] for level, label in Level.choices}


def test_a_county_exports_only_its_own_site_history_and_its_export_is_logged_at_its_level(client, items):
    xiangzhou = make_staff("xiangzhou", Level.XIANGZHOU, COUNTY_OFFICE)
    client.force_login(xiangzhou)
    for export_format in ("csv", "xlsx"):
        labels = column(export(client, "/admin/reports/site-history/", export_format), "名称")
        assert str(IntakeLogEntry.objects.get(item=items[Level.XIANGZHOU]).label) in labels
        assert any("象州县的事项" in label for label in labels)
        others = [item.subject for level, item in items.items() if level != Level.XIANGZHOU]
        assert not [label for label in labels for subject in others if subject in label]
    assert list(ExportLogEntry.objects.values_list("level", flat=True)) == [Level.XIANGZHOU] * 2


def test_a_site_history_export_shows_in_site_history_to_its_level_only(client, root, items):
    xiangzhou = make_staff("xiangzhou", Level.XIANGZHOU, COUNTY_OFFICE)
    client.force_login(xiangzhou)
    content_of(client.get("/admin/reports/site-history/?export=csv"))
    for user, sees in [
        (xiangzhou, True),
        (make_staff("city", Level.CITY, COUNTY_OFFICE), True),
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
