"""The audit report (报告 → 审计日志): every log table in one list, filtered, scoped by role, exported,
never editable or deletable, and nothing prunes entries younger than three years."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone
from wagtail.log_actions import registry as log_registry

from base import scheduled_jobs
from experts.models import Expert, ExpertLogEntry
from intake.models import IntakeLogEntry
from security import audit
from security.reports import ALL_ENTRIES, OWN_LEVEL, audit_scope
from staff.exports import log_export
from staff.levels import Level
from staff.models import ExportLogEntry
from staff.roles import EDITORS, LEADERS, REVIEWERS, UNIT_LIAISONS

from .experts_builders import make_expert, make_staff, make_superuser, make_unit
from .intake_builders import new_item

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/audit/"


@pytest.fixture
def world():
    city = make_staff("city", Level.CITY)
    county = make_staff("xingbin", Level.XINGBIN)
    heshan = make_staff("heshan", Level.HESHAN)
    return {
        "city": city,
        "county": county,
        "heshan": heshan,
        "editor": make_staff("editor", Level.CITY, group=EDITORS),
        "xingbin_expert": make_expert(city, make_unit("兴宾区人民医院", Level.XINGBIN), name="兴宾专家"),
        "heshan_expert": make_expert(city, make_unit("合山市医院", Level.HESHAN), name="合山专家"),
        "item": new_item(level=Level.XINGBIN, subject="兴宾区的来信")[0],
    }


def request_from(user, address="10.0.0.1"):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    request.user = user
    return request


def labels(response):
    assert response.status_code == 200
    return [entry.label for entry in response.context["object_list"]]


def test_the_report_lists_entries_of_every_log_table_with_address_and_result(client, world):
    audit.audit(request_from(world["county"], "10.2.0.7"), world["xingbin_expert"], audit.REVEAL, field="mobile")
    audit.audit(request_from(world["county"], "10.2.0.7"), world["item"], audit.VIEW, result=audit.FAILURE)
    client.force_login(world["city"])
    response = client.get(REPORT)
    page = response.content.decode()
    assert "审计日志" in page
    for heading in ["时间", "用户", "操作", "对象", "客户端地址", "结果"]:
        assert f'<th scope="col">{heading}</th>' in page
    assert "查看了完整手机号码" in page and "10.2.0.7" in page
    assert "portal-audit__result--failed" in page  # a failed result stands out
    assert {"兴宾专家", "合山专家", str(world["item"])} <= set(labels(response))


def test_the_city_office_sees_every_entry_the_county_its_own(client, world):
    # Entries of each county's experts (their creation), and an export by each level.
    for user in (world["county"], world["heshan"]):
        client.force_login(user)
        client.get("/admin/experts/?export=csv")
    client.force_login(world["city"])
    city_sees = labels(client.get(REPORT))
    assert {"兴宾专家", "合山专家", str(world["item"])} <= set(city_sees)
    assert sum(label.startswith("导出专家名单") for label in city_sees) == 2
    client.force_login(world["county"])
    county_sees = labels(client.get(REPORT))
    assert "兴宾专家" in county_sees and str(world["item"]) in county_sees
    assert "合山专家" not in county_sees
    assert sum(label.startswith("导出专家名单") for label in county_sees) == 1


def test_the_rule_of_who_reads_the_report_is_in_one_place(world):
    assert audit_scope(make_superuser()) == ALL_ENTRIES
    assert audit_scope(world["city"]) == ALL_ENTRIES
    assert audit_scope(world["county"]) == OWN_LEVEL
    for group in (EDITORS, REVIEWERS, LEADERS, UNIT_LIAISONS):
        assert audit_scope(make_staff(f"u-{group}", Level.XINGBIN, group=group)) is None
    assert audit_scope(User.objects.create_user("nobody", password="pw")) is None


@pytest.mark.parametrize("url", [REPORT, f"{REPORT}results/", f"{REPORT}?export=csv"])
def test_other_roles_are_refused_and_get_no_menu_item(client, world, url):
    client.force_login(world["editor"])
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert not response.get("Content-Disposition")
    assert REPORT not in client.get("/admin/").content.decode()
    client.force_login(world["county"])
    assert REPORT in client.get("/admin/").content.decode()  # under 报告


def test_the_report_needs_a_sign_in(client):
    response = client.get(REPORT)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_filters_action_user_date_address_and_text(client, world):
    county, heshan = world["county"], world["heshan"]
    audit.audit(request_from(county, "10.2.0.7"), world["xingbin_expert"], audit.REVEAL, field="mobile")
    audit.audit(request_from(heshan, "10.3.0.9"), world["heshan_expert"], audit.VIEW)
    old = audit.audit(request_from(heshan, "10.3.0.9"), world["heshan_expert"], audit.REVEAL, field="email")
    ExpertLogEntry.objects.filter(pk=old.pk).update(timestamp=timezone.now() - datetime.timedelta(days=40))
    client.force_login(world["city"])

    def shown(**query):
        response = client.get(f"{REPORT}results/", query)
        return [(entry.action, entry.label, entry.user_id) for entry in response.context["object_list"]]

    assert {row[0] for row in shown(action=audit.REVEAL)} == {audit.REVEAL}
    assert len(shown(action=audit.REVEAL)) == 2
    assert {row[2] for row in shown(user=heshan.pk)} == {heshan.pk}
    assert shown(ip="10.2.") == [(audit.REVEAL, "兴宾专家", county.pk)]
    assert shown(ip="10.3.0.9", action=audit.REVEAL) == [(audit.REVEAL, "合山专家", heshan.pk)]
    today = timezone.localdate()
    recent = shown(timestamp_from=str(today - datetime.timedelta(days=7)), ip="10.3.0.9")
    assert recent == [(audit.VIEW, "合山专家", heshan.pk)]
    assert shown(timestamp_to=str(today - datetime.timedelta(days=30)), ip="10.3.0.9") == [
        (audit.REVEAL, "合山专家", heshan.pk)
    ]
    assert {row[1] for row in shown(q="合山")} == {"合山专家"}
    assert {row[2] for row in shown(q="heshan")} == {heshan.pk}


def test_the_report_is_paginated_and_its_query_count_does_not_grow_with_rows(client, world):
    client.force_login(world["city"])
    request = request_from(world["county"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(REPORT)
            assert response.status_code == 200
        return len(queries), response

    def add(rounds):
        for _ in range(rounds):
            audit.audit(request, world["xingbin_expert"], audit.VIEW)
            audit.audit(request, world["heshan_expert"], audit.REVEAL, field="mobile")
            audit.audit(request, world["item"], audit.VIEW)

    # The page's entries come from the same log tables both times (a query per table on the page).
    add(20)
    client.get(REPORT)  # warm caches (content types, site)
    few, _ = count()
    add(200)
    many, response = count()
    assert many == few
    assert len(response.context["object_list"]) == 50
    assert response.context["page_obj"].paginator.num_pages > 1


def test_the_export_has_the_filtered_entries_and_is_logged(client, world):
    audit.audit(request_from(world["county"], "10.2.0.7"), world["xingbin_expert"], audit.REVEAL, field="mobile")
    client.force_login(world["city"])
    response = client.get(REPORT, {"export": "csv", "ip": "10.2."})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "时间,用户,操作,对象,类型,客户端地址,结果"
    assert len(lines) == 2 and "兴宾专家" in lines[1] and "10.2.0.7" in lines[1] and "成功" in lines[1]
    entry = ExportLogEntry.objects.get(action="reports.export")
    assert entry.label == "导出审计日志（CSV）" and entry.data["rows"] == 1


# Not editable, not deletable, kept ------------------------------------------------------------


def log_entry_url_patterns():
    """Every admin URL pattern (with its name) whose view could act on a log entry."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                found.append((prefix + str(pattern.pattern), pattern.name or ""))

    walk(get_resolver().url_patterns)
    return found


def test_no_admin_url_edits_or_deletes_log_entries(client, world):
    entry = audit.audit(request_from(world["county"]), world["xingbin_expert"], audit.VIEW)
    log_models = list(log_registry.get_log_entry_models())
    words = {model._meta.model_name for model in log_models} | {"logentry", "log-entry", "log_entry", "audit"}
    for route, name in log_entry_url_patterns():
        if any(word in route.lower() or word in name.lower() for word in words):
            # Only the read-only report matches: no edit, delete or add route for any log table.
            assert route.startswith("admin/reports/audit/") or route == "admin/reports/audit/results/", route
    for model in log_models:
        for view in ("edit", "delete", "add", "create"):
            for name in (
                f"{model._meta.model_name}:{view}",
                f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:{view}",
            ):
                with pytest.raises(NoReverseMatch):
                    reverse(name, args=[entry.pk])
    # The report answers POST with nothing (no form on it acts on entries).
    client.force_login(make_superuser())
    client.post(REPORT, {"action": "delete", "id": entry.pk})
    assert ExpertLogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("path", ["/django-admin/", "/django-admin/wagtailcore/modellogentry/"])
def test_djangos_admin_is_not_mounted(client, path):
    client.force_login(make_superuser())
    assert client.get(path).status_code == 404


def test_no_code_deletes_log_entries():
    """The retention promise (entries kept at least three years) holds because nothing in the
    project deletes rows of a log table: no job, command or view calls delete on one."""
    root = Path(__file__).resolve().parent.parent
    deletes = re.compile(r"LogEntry\w*\.objects[^\n]*\.(delete|_raw_delete)\(|log_entries[^\n]*\.delete\(")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if not {".venv", "tests", "migrations", "node_modules"} & set(path.relative_to(root).parts)
        and deletes.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_entries_three_years_old_survive_the_scheduled_jobs(world):
    world["export"] = log_export(request_from(world["county"]), "experts.export", Expert, "导出专家名单（CSV）", 2)
    entry = audit.audit(request_from(world["county"]), world["xingbin_expert"], audit.VIEW)
    three_years = timezone.now() - datetime.timedelta(days=3 * 366)
    ExpertLogEntry.objects.filter(pk=entry.pk).update(timestamp=three_years)
    intake_entry = audit.audit(request_from(world["county"]), world["item"], audit.VIEW)
    IntakeLogEntry.objects.filter(pk=intake_entry.pk).update(timestamp=three_years)
    export = ExportLogEntry.objects.get(pk=world["export"].pk)
    ExportLogEntry.objects.filter(pk=export.pk).update(timestamp=three_years)
    assert scheduled_jobs.run_all() == []
    assert ExportLogEntry.objects.filter(pk=export.pk).exists()
    assert ExpertLogEntry.objects.filter(pk=entry.pk).exists()
    assert IntakeLogEntry.objects.filter(pk=intake_entry.pk).exists()
