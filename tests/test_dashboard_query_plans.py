"""The dashboard's two costliest rules read indexes (bench/dashboard.py measures the time): an
expert's status on a date, and a county's contact records (by their level and their experts'); and
the expert list's first page in name order (bench/growth.py). On SQLite and on PostgreSQL."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from base.wagtail_hooks import refresh_sqlite_statistics
from experts.models import Expert
from experts.reviews import YearlyReview
from liaison.models import ContactRecord
from staff.levels import Level
from staff.scoping import visible_rows

from .experts_builders import make_expert, make_staff, make_unit
from .liaison_builders import contact, make_leader

pytestmark = pytest.mark.django_db


def query_plan(queryset):
    """The plan's lines. PostgreSQL is asked with fresh statistics, and sequential scans and sorts
    off: it plans for the tables' real sizes, and would scan and sort the few rows a test makes
    whatever the indexes; so asked, it uses an index wherever one serves the lookup or the order."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")  # the statistics autovacuum would have gathered
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return [row[0].strip() for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


def sorts(plan):
    return any("ORDER BY" in line or line.startswith("Sort") or "->  Sort" in line for line in plan)


def scans(plan):
    return any(line.startswith("SCAN") or "Seq Scan" in line for line in plan)


def test_the_status_on_a_date_is_read_from_the_index_without_a_sort():
    city = make_staff("city", Level.CITY)
    make_expert(city, make_unit())
    # A past year: this year's experts are read from the stored status (tests/test_experts_review.py).
    last_year = timezone.localdate().year - 1
    plan = query_plan(YearlyReview(last_year, city).active_experts().order_by())  # the list's own sort aside
    assert any("status_change_latest_idx" in line for line in plan), plan
    assert not sorts(plan), plan


def test_a_countys_contact_records_are_found_by_index_and_counted_once():
    county = make_staff("xiangzhou", Level.XIANGZHOU)
    school = make_unit("象州县中学", Level.XIANGZHOU)
    city_expert = make_expert(make_staff("city", Level.CITY), make_unit(), name="市专家甲")
    county_a, county_b = (make_expert(county, school, name=name) for name in ("县专家甲", "县专家乙"))
    leader = make_leader()
    day = datetime.date(2026, 5, 6)
    own = contact([leader], [county_a, county_b], date=day, level=Level.XIANGZHOU)
    cities_with_ours = contact([leader], [city_expert, county_a], date=day)
    contact([leader], [city_expert], date=day)  # the city's alone
    records = visible_rows(county, ContactRecord)
    assert sorted(records.values_list("pk", flat=True)) == sorted([own.pk, cities_with_ours.pk])
    assert records.filter(date=day).count() == 2
    plan = query_plan(records)
    assert not scans(plan), plan


def test_the_expert_lists_first_page_in_name_order_is_read_from_the_index():
    city = make_staff("city", Level.CITY)
    unit = make_unit()
    for number in range(30):
        make_expert(city, unit, name=f"专家{number}")
    # As the scheduled job does on the hour (statistics another test left would otherwise stand):
    # with them, status narrows nothing.
    refresh_sqlite_statistics(now=timezone.now().replace(minute=0))
    plan = query_plan(visible_rows(city, Expert).filter(status="active").order_by("name")[:20])
    assert any("expert_name_idx" in line for line in plan), plan
    assert not sorts(plan), plan
