"""The expert part of the demo content."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from base.demo import DEMO_PASSWORD
from experts.demo import STAFF_USERS
from experts.models import Expert, ExpertStatus, ExpertStatusChange, TalentCategory, TalentTeam, Unit, UnitType
from experts.models.pages import ExpertProfilePage
from staff.levels import Level
from staff.scoping import level_scope

pytestmark = pytest.mark.django_db


def test_demo_experts_cover_every_level_team_category_and_unit_type(demo_site):
    experts = Expert.objects.all()
    assert 50 <= experts.count() <= 70
    assert set(experts.values_list("level", flat=True)) == set(Level.values)
    assert set(experts.values_list("talent_team", flat=True)) == set(TalentTeam.values)
    assert set(experts.values_list("unit__unit_type", flat=True)) == set(UnitType.values)
    assert all(category.experts.exists() for category in TalentCategory.objects.all())
    removed = experts.filter(status=ExpertStatus.REMOVED)
    assert removed.count() >= 3
    assert all(expert.status_changes.filter(kind="removed").exclude(reason="").exists() for expert in removed)
    assert all("某" in name for name in experts.values_list("name", flat=True))


def test_every_third_expert_still_in_the_database_agreed_to_a_public_profile(demo_site):
    active = list(Expert.objects.filter(status=ExpertStatus.ACTIVE).order_by("pk"))
    consenting = [expert for expert in active if expert.public_profile_consent]
    assert consenting == active[::3]
    assert all(expert.public_profile_consent_on == expert.joined_on for expert in consenting)
    assert all(expert.public_shows_title for expert in consenting)
    assert [expert.public_shows_unit for expert in consenting[:4]] == [True, False, True, False]
    assert not Expert.objects.filter(status=ExpertStatus.REMOVED, public_profile_consent=True).exists()
    assert not Expert.objects.filter(public_profile_consent=False, public_shows_unit=True).exists()


def test_the_public_site_shows_a_profile_for_each_consenting_expert_only(demo_site):
    profiles = ExpertProfilePage.objects.live().select_related("expert")
    consenting = Expert.objects.filter(public_profile_consent=True, status=ExpertStatus.ACTIVE)
    assert sorted(profile.expert_id for profile in profiles) == sorted(consenting.values_list("pk", flat=True))
    for profile in profiles:
        assert bool(profile.unit_name) == profile.expert.public_shows_unit, profile


def test_demo_is_idempotent(demo_site):
    counts = (Expert.objects.count(), Unit.objects.count(), ExpertStatusChange.objects.count())
    consenting = list(Expert.objects.filter(public_profile_consent=True).values_list("pk", "public_shows_unit"))
    output = io.StringIO()
    call_command("load_demo_content", stdout=output, allow_demo_without_debug=True)
    assert (Expert.objects.count(), Unit.objects.count(), ExpertStatusChange.objects.count()) == counts
    assert list(Expert.objects.filter(public_profile_consent=True).values_list("pk", "public_shows_unit")) == consenting


def test_a_staff_login_per_county_is_printed_and_works(demo_site):
    output = io.StringIO()
    call_command("load_demo_content", stdout=output, allow_demo_without_debug=True)
    for level, _group, username, _name in STAFF_USERS:
        assert f"用户名 {username}" in output.getvalue()
        user = authenticate(RequestFactory().post("/admin/login/"), username=username, password=DEMO_PASSWORD)
        assert user is not None
        assert level_scope(user) == (None if level == Level.CITY else level)
    assert {level for level, *_ in STAFF_USERS} == set(Level.values)
