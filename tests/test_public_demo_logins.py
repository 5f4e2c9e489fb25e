"""The demo's logins for the review before publishing: an editor, a reviewer and a final reviewer."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from base.demo import DEMO_PASSWORD
from base.models import StandardPage
from home.demo import EDITORIAL_USERS
from home.models import HomePage
from staff.roles import EDITORIAL_GROUPS, EDITORS, FINAL_REVIEWERS, REVIEWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_output():
    output = io.StringIO()
    call_command("load_demo_content", stdout=output, allow_demo_without_debug=True)
    return output.getvalue()


def demo_user(group_name):
    username = next(username for group, username, *_ in EDITORIAL_USERS if group == group_name)
    # As the login page does: the lockout (django-axes) needs the request to know the client address.
    return authenticate(RequestFactory().post("/admin/login/"), username=username, password=DEMO_PASSWORD)


def test_a_printed_login_for_each_editorial_group(demo_output):
    assert [group for group, *_ in EDITORIAL_USERS] == EDITORIAL_GROUPS
    for group_name, username, *_ in EDITORIAL_USERS:
        assert f"用户名 {username}  密码 {DEMO_PASSWORD}" in demo_output
        user = demo_user(group_name)
        assert user is not None, username
        assert list(user.groups.values_list("name", flat=True)) == [group_name]
        assert user.has_perm("wagtailadmin.access_admin")
        assert not user.is_superuser


def test_the_demo_editor_cannot_publish_but_the_review_can(client, demo_output):
    editor, reviewer, final = (demo_user(group) for group in (EDITORS, REVIEWERS, FINAL_REVIEWERS))
    home = HomePage.objects.get()
    assert not home.permissions_for_user(editor).can_publish_subpage()
    assert not home.permissions_for_user(reviewer).can_publish_subpage()

    # The editor's "publish" click saves a draft; "submit" starts the review.
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=("base", "standardpage", home.pk))
    form = nested_form_data({"title": "演示编辑的新页面", "slug": "yanshi", "summary": "", "body": streamfield([])})
    assert client.post(url, {**form, "action-publish": "1"}).status_code == 302
    page = StandardPage.objects.get(slug="yanshi")
    assert not page.live
    edit_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    assert client.post(edit_url, {**form, "action-submit": "1"}).status_code == 302
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)

    def approve(user):
        task_state = WorkflowState.objects.get(pk=state.pk).current_task_state
        client.force_login(user)
        url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
        assert client.post(url, {"comment": "同意"}).status_code in (200, 302)

    approve(reviewer)
    assert not StandardPage.objects.get(pk=page.pk).live
    approve(final)
    assert StandardPage.objects.get(pk=page.pk).live
