"""Only our groups and our review workflow exist: nobody can publish outside the review."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Workflow

from staff.roles import EDITORIAL_GROUPS, FINAL_REVIEWERS, LIAISON_GROUPS, STAFF_GROUPS

pytestmark = pytest.mark.django_db


def test_wagtail_default_groups_and_workflow_are_gone():
    assert set(Group.objects.values_list("name", flat=True)) == set(STAFF_GROUPS + EDITORIAL_GROUPS + LIAISON_GROUPS)
    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert Workflow.objects.filter(active=True).count() == 1


def test_only_final_reviewers_hold_the_publish_permission_on_pages():
    publishers = GroupPagePermission.objects.filter(permission__codename="publish_page")
    assert set(publishers.values_list("group__name", flat=True)) == {FINAL_REVIEWERS}
