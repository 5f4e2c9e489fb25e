"""Expert records: status derived from the history, removal and restoration, the signals they send."""

import pytest
from django.core.exceptions import ValidationError

from experts.models import (
    ExpertLogEntry,
    ExpertStatus,
    ExpertStatusChange,
    RemovalReason,
    StatusChangeKind,
    TalentCategory,
)
from experts.services import confirm_reviews, derive_status, remove_expert, restore_expert
from experts.signals import expert_left_public, expert_removed
from staff.levels import Level

from .experts_builders import days_ago, make_expert, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_user():
    return make_staff("city", Level.CITY)


@pytest.fixture
def received():
    """The expert_removed and expert_left_public signals sent during the test."""
    calls = []

    def on_removed(sender, expert, date, user, **kwargs):
        calls.append(("removed", expert.pk, date, user))

    def on_left_public(sender, expert, **kwargs):
        calls.append(("left_public", expert.pk))

    expert_removed.connect(on_removed, weak=False)
    expert_left_public.connect(on_left_public, weak=False)
    yield calls
    expert_removed.disconnect(on_removed)
    expert_left_public.disconnect(on_left_public)


def test_talent_categories_come_from_the_migration():
    assert list(TalentCategory.objects.values_list("name", flat=True)) == [
        "国家级高层次人才计划入选者",
        "自治区级高层次人才计划入选者",
        "来宾市专业技术拔尖人才",
        "博士研究生或副高级及以上职称",
        "企业经营管理人才",
        "其他优秀人才",
    ]


def test_a_new_expert_enters_the_database_with_a_history_row_and_a_log_entry(city_user):
    expert = make_expert(city_user, joined_on="2024-03-01")
    change = expert.status_changes.get()
    assert (change.kind, change.date.isoformat(), change.made_by) == (StatusChangeKind.JOINED, "2024-03-01", city_user)
    assert expert.status == ExpertStatus.ACTIVE == derive_status(expert)
    assert ExpertLogEntry.objects.filter(expert=expert, action="wagtail.create", user=city_user).exists()


def test_removal_records_who_why_and_when_and_ends_public_presence(city_user, received):
    expert = make_expert(city_user)
    remove_expert(expert, date=days_ago(1), reason=RemovalReason.LEFT_CITY, basis="调动函", user=city_user)

    expert.refresh_from_db()
    assert expert.status == ExpertStatus.REMOVED == derive_status(expert)
    change = expert.status_changes.latest()
    assert (change.kind, change.reason, change.basis, change.made_by, change.date) == (
        StatusChangeKind.REMOVED,
        RemovalReason.LEFT_CITY,
        "调动函",
        city_user,
        days_ago(1),
    )
    assert received == [("removed", expert.pk, days_ago(1), city_user), ("left_public", expert.pk)]
    entry = ExpertLogEntry.objects.get(expert=expert, action="experts.remove")
    assert entry.user == city_user
    assert entry.data["reason"] == "调离本市"


def test_a_failing_receiver_undoes_the_removal(city_user):
    expert = make_expert(city_user)

    def broken(**kwargs):
        raise RuntimeError("pairings could not be ended")

    expert_removed.connect(broken, weak=False)
    try:
        with pytest.raises(RuntimeError):
            remove_expert(expert, date=days_ago(0), reason=RemovalReason.OTHER, basis="", user=city_user)
    finally:
        expert_removed.disconnect(broken)
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.ACTIVE
    assert expert.status_changes.count() == 1


def test_restore_makes_the_expert_active_again_and_keeps_the_history(city_user):
    expert = make_expert(city_user)
    remove_expert(expert, date=days_ago(10), reason=RemovalReason.OTHER, basis="本人申请", user=city_user)
    restore_expert(expert, date=days_ago(2), basis="本人申请恢复", user=city_user)

    expert.refresh_from_db()
    assert expert.status == ExpertStatus.ACTIVE == derive_status(expert)
    assert list(expert.status_changes.values_list("kind", flat=True)) == ["joined", "removed", "restored"]
    assert ExpertLogEntry.objects.filter(expert=expert, action="experts.restore").exists()


def test_status_is_derived_from_the_latest_change_by_date_not_by_insertion(city_user):
    expert = make_expert(city_user, joined_on="2020-01-01")
    ExpertStatusChange.objects.create(expert=expert, kind=StatusChangeKind.REMOVED, date=days_ago(30))
    ExpertStatusChange.objects.create(expert=expert, kind=StatusChangeKind.RESTORED, date=days_ago(60))
    assert derive_status(expert) == ExpertStatus.REMOVED


@pytest.mark.parametrize(
    ("setup", "kind_call", "message"),
    [
        ("active", "restore", "不能恢复入库"),
        ("removed", "remove", "不能调出"),
    ],
)
def test_impossible_transitions_are_refused(city_user, setup, kind_call, message):
    expert = make_expert(city_user)
    if setup == "removed":
        remove_expert(expert, date=days_ago(1), reason=RemovalReason.OTHER, basis="", user=city_user)
    with pytest.raises(ValidationError, match=message):
        if kind_call == "remove":
            remove_expert(expert, date=days_ago(0), reason=RemovalReason.OTHER, basis="", user=city_user)
        else:
            restore_expert(expert, date=days_ago(0), basis="依据", user=city_user)


def test_removal_dates_must_follow_the_history_and_not_lie_in_the_future(city_user):
    expert = make_expert(city_user, joined_on=days_ago(5).isoformat())
    with pytest.raises(ValidationError) as early:
        remove_expert(expert, date=days_ago(6), reason=RemovalReason.OTHER, basis="", user=city_user)
    assert "不能早于上一次变动" in str(early.value)
    with pytest.raises(ValidationError) as future:
        remove_expert(expert, date=days_ago(-1), reason=RemovalReason.OTHER, basis="", user=city_user)
    assert "不能晚于今天" in str(future.value)
    with pytest.raises(ValidationError, match="请选择调出原因"):
        remove_expert(expert, date=days_ago(0), reason="", basis="", user=city_user)
    assert ExpertStatusChange.objects.filter(expert=expert).count() == 1


def test_restore_needs_a_basis(city_user):
    expert = make_expert(city_user)
    remove_expert(expert, date=days_ago(1), reason=RemovalReason.OTHER, basis="", user=city_user)
    with pytest.raises(ValidationError, match="请填写恢复入库的依据"):
        restore_expert(expert, date=days_ago(0), basis="  ", user=city_user)


def test_confirming_reviews_skips_removed_and_already_confirmed_experts(city_user):
    first, second, gone = (make_expert(city_user) for _ in range(3))
    remove_expert(gone, date=days_ago(0), reason=RemovalReason.OTHER, basis="", user=city_user)
    assert confirm_reviews([first], year=2026, user=city_user) == 1
    assert confirm_reviews([first, second, gone], year=2026, user=city_user) == 1
    assert set(first.annual_reviews.values_list("year", flat=True)) == {2026}
    assert not gone.annual_reviews.exists()
    assert ExpertLogEntry.objects.filter(action="experts.review").count() == 2
