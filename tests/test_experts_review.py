"""年度调整: the year's experts, bulk confirmation, and the summary figures."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from experts.models import AnnualReview, StatusChangeKind
from experts.reviews import YearlyReview
from experts.services import remove_expert, restore_expert
from staff.levels import Level

from .experts_builders import make_expert, make_staff, make_unit

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1


@pytest.fixture
def city_user():
    return make_staff("city", Level.CITY)


@pytest.fixture
def county_user():
    return make_staff("xingbin", Level.XINGBIN)


@pytest.fixture
def last_year_database(city_user):
    """Last year: three joined (one of them removed), and one restored after a removal the year before."""
    xingbin_hospital = make_unit("兴宾区人民医院", Level.XINGBIN)
    city_school = make_unit("来宾市第一中学", Level.CITY, "school")
    kept = make_expert(city_user, name="留某", joined_on=f"{LAST_YEAR}-02-01", talent_team="highly_skilled")
    moved = make_expert(city_user, xingbin_hospital, name="调某", joined_on=f"{LAST_YEAR}-03-01")
    back = make_expert(
        city_user, city_school, name="回某", joined_on=f"{LAST_YEAR - 2}-03-01", talent_team="social_work"
    )
    new = make_expert(city_user, xingbin_hospital, name="新某", joined_on=f"{LAST_YEAR}-05-01")
    remove_expert(moved, date=datetime.date(LAST_YEAR, 6, 1), reason="left_city", basis="", user=city_user)
    remove_expert(back, date=datetime.date(LAST_YEAR - 1, 6, 1), reason="other", basis="", user=city_user)
    restore_expert(back, date=datetime.date(LAST_YEAR, 7, 1), basis="恢复", user=city_user)
    return {"kept": kept, "moved": moved, "back": back, "new": new}


def test_last_years_summary(city_user, last_year_database):
    review = YearlyReview(LAST_YEAR, city_user)
    assert {expert.name for expert in review.experts()} == {"留某", "回某", "新某"}
    assert review.active_count == 3
    assert review.joined_count == 3
    assert review.restored_count == 1
    assert review.removed_count == 1
    assert dict(review.removed_by_reason)["调离本市"] == 1
    assert dict(review.by_team) == {
        "党政人才": 0,
        "企业经营管理人才": 0,
        "专业技术人才": 1,
        "高技能人才": 1,
        "农村实用人才": 0,
        "社会工作人才": 1,
    }
    assert dict(review.by_level)["市本级"] == 2
    assert dict(review.by_level)["兴宾区"] == 1
    assert dict(review.by_category)["博士研究生或副高级及以上职称"] == 3


def test_the_year_before_is_read_from_the_history_as_it_was(city_user, last_year_database):
    review = YearlyReview(LAST_YEAR - 1, city_user)
    # 回某 joined two years before last and was removed the year before last; nobody else existed yet.
    assert review.active_count == 0
    assert dict(review.removed_by_reason)["其他"] == 1


def test_coverage_of_the_six_teams_per_level(city_user, last_year_database):
    coverage = {row.level: row for row in YearlyReview(LAST_YEAR, city_user).coverage}
    assert coverage["市本级"].covered == 2
    assert coverage["市本级"].missing == ["党政人才", "企业经营管理人才", "专业技术人才", "农村实用人才"]
    assert coverage["兴宾区"].covered == 1
    assert coverage["合山市"].covered == 0
    assert len(coverage) == 7


def test_county_staff_see_only_their_countys_figures(county_user, last_year_database):
    review = YearlyReview(LAST_YEAR, county_user)
    assert {expert.name for expert in review.experts()} == {"新某"}
    assert review.removed_count == 1  # 调某 left 兴宾区
    assert [row.level for row in review.coverage] == ["兴宾区"]


def test_confirm_many_at_once_on_the_review_screen(client, city_user):
    experts = [make_expert(city_user, name=f"审某{index}") for index in range(3)]
    client.force_login(city_user)
    response = client.get(f"/admin/experts/review/?year={THIS_YEAR}")
    assert response.status_code == 200
    assert response.context["review"].unreviewed_count == 3

    response = client.post(
        f"/admin/experts/review/?year={THIS_YEAR}",
        {"year": THIS_YEAR, "expert": [experts[0].pk, experts[1].pk]},
    )
    assert response.status_code == 302
    assert set(AnnualReview.objects.values_list("expert__name", flat=True)) == {"审某0", "审某1"}
    response = client.get(f"/admin/experts/review/?year={THIS_YEAR}&shown=no")
    assert [expert.name for expert in response.context["page_obj"]] == ["审某2"]


def test_county_staff_cannot_confirm_another_countys_expert(client, city_user, county_user):
    other = make_expert(city_user, make_unit("合山市人民医院", Level.HESHAN))
    client.force_login(county_user)
    client.post(f"/admin/experts/review/?year={THIS_YEAR}", {"year": THIS_YEAR, "expert": [other.pk]})
    assert not AnnualReview.objects.exists()


def test_past_years_are_read_only(client, city_user, last_year_database):
    client.force_login(city_user)
    response = client.post(
        f"/admin/experts/review/?year={LAST_YEAR}", {"year": LAST_YEAR, "expert": [last_year_database["kept"].pk]}
    )
    assert response.status_code == 302
    assert not AnnualReview.objects.exists()


def test_the_review_screen_shows_the_summary(client, city_user, last_year_database):
    client.force_login(city_user)
    content = client.get(f"/admin/experts/review/?year={LAST_YEAR}").content.decode()
    assert "六支人才队伍覆盖情况" in content
    assert "调离本市 1 人" in content
    assert "2/6" in content


def test_status_changes_ignore_dates_after_the_reference_day(city_user):
    expert = make_expert(city_user, joined_on=f"{LAST_YEAR}-01-10")
    remove_expert(expert, date=timezone.localdate(), reason="other", basis="", user=city_user)
    assert YearlyReview(LAST_YEAR, city_user).active_count == 1
    assert StatusChangeKind.REMOVED in expert.status_changes.values_list("kind", flat=True)


def test_review_screen_queries_do_not_grow_with_experts(client, city_user):
    make_expert(city_user)
    client.force_login(city_user)
    client.get("/admin/experts/review/")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/experts/review/").status_code == 200
        return len(queries)

    few = count_queries()
    for _ in range(12):
        make_expert(city_user)
    assert count_queries() == few


def test_this_years_experts_are_read_from_the_stored_status_as_the_history_says(city_user):
    """Today the status column is the history's latest word: the dashboard reads it rather than
    looking up each expert's history (seconds at 100,000 experts, bench/growth.py)."""
    kept = make_expert(city_user, joined_on=f"{LAST_YEAR}-01-10")
    gone = make_expert(city_user, joined_on=f"{LAST_YEAR}-01-10")
    back = make_expert(city_user, joined_on=f"{LAST_YEAR}-01-10")
    remove_expert(gone, date=timezone.localdate(), reason="other", basis="", user=city_user)
    remove_expert(back, date=datetime.date(LAST_YEAR, 6, 1), reason="other", basis="", user=city_user)
    restore_expert(back, date=timezone.localdate(), basis="恢复", user=city_user)
    active = YearlyReview(THIS_YEAR, city_user).active_experts()
    with CaptureQueriesContext(connection) as queries:
        assert set(active) == {kept, back}
    assert "experts_expertstatuschange" not in queries[0]["sql"]
    assert set(YearlyReview(LAST_YEAR, city_user).active_experts()) == {kept, gone}
