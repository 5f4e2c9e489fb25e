"""Only our groups and our review workflow exist: nobody can publish outside the review."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Workflow

from staff.roles import ALL_GROUPS, CITY_OFFICE

pytestmark = pytest.mark.django_db


def test_wagtail_default_groups_and_workflow_are_gone():
    assert set(Group.objects.values_list("name", flat=True)) == set(ALL_GROUPS)
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert Workflow.objects.filter(active=True).count() == 1


def test_no_group_holds_a_publish_permission_only_the_review_publishes():
    assert not GroupPagePermission.objects.filter(permission__codename="publish_page").exists()
    # Public answers are not reviewed by the workflow: the city office publishes them.
    publishers = Group.objects.filter(permissions__codename__startswith="publish_")
    assert set(publishers.values_list("name", "permissions__codename")) == {(CITY_OFFICE, "publish_publicanswer")}
