"""The page editor: an autosave arriving with the submit, and required fields checked on submit."""

import contextlib
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from wagtail.admin.forms.pages import WagtailAdminPageForm
from wagtail.models import Page, PageLogEntry, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from news.models import NewsPage
from staff.roles import EDITORS, REVIEWERS
from tests.public_builders import build_sections
from tests.test_publishing_workflow import member_of

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def team(db):
    return {
        "sections": build_sections(),
        "editor": member_of(EDITORS, "editor"),
        "reviewer": member_of(REVIEWERS, "reviewer"),
    }


def news_form(**overrides):
    data = {
        "title": "人才工作动态",
        "slug": "rencai-dongtai",
        "category": "work",
        "date": "2026-11-30",
        "source": "",
        "document_number": "",
        "summary": "市委人才办召开专家座谈会。",
        "body": streamfield([("paragraph", rich_text("<p>座谈会纪要。</p>"))]),
        "attachments": streamfield([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def add_url(team):
    return reverse("wagtailadmin_pages:add", args=("news", "newspage", team["sections"]["news"].pk))


def field_errors(response, name):
    return response.context["form"].errors.get(name, [])


def test_a_submit_after_the_autosave_continues_on_the_autosaved_page(client, team):
    client.force_login(team["editor"])
    autosave = client.post(add_url(team), news_form(), **JSON)
    assert autosave.json()["success"], autosave.content
    # The editor pressed 提交审核 before the autosave's answer moved the form to the edit URL.
    response = client.post(add_url(team), {**news_form(summary="改过的摘要。"), "action-submit": "1"})

    assert response.status_code == 302, response.content.decode()[:2000]
    news = NewsPage.objects.get()
    assert news.pk == autosave.json()["pk"]
    assert news.get_latest_revision().content["summary"] == "改过的摘要。"
    assert WorkflowState.objects.get(object_id=str(news.pk)).status == WorkflowState.STATUS_IN_PROGRESS
    assert PageLogEntry.objects.filter(page=news, action="wagtail.workflow.start").exists()


def test_an_autosave_after_the_submit_makes_no_second_page(client, team):
    client.force_login(team["editor"])
    assert client.post(add_url(team), {**news_form(), "action-submit": "1"}).status_code == 302
    autosave = client.post(add_url(team), news_form(), **JSON)

    assert autosave.status_code == 400
    assert autosave.json()["error_code"] == "validation_error"
    assert NewsPage.objects.count() == 1


def test_a_draft_of_ones_own_that_was_submitted_is_not_taken_over(client, team):
    client.force_login(team["editor"])
    assert client.post(add_url(team), {**news_form(), "action-submit": "1"}).status_code == 302
    response = client.post(add_url(team), {**news_form(summary="另一篇"), "action-submit": "1"})

    assert response.status_code == 200
    assert field_errors(response, "slug")
    assert NewsPage.objects.get().get_latest_revision().content["summary"] == "市委人才办召开专家座谈会。"


@pytest.mark.django_db(transaction=True)
def test_an_autosave_and_a_submit_at_the_same_moment_make_one_submitted_page(team, monkeypatch):
    """Both requests pass the form's slug check before either saves, as in the browser when the
    submit comes within the autosave's half second: one page, submitted, and no 500."""
    both_checked = threading.Barrier(2, timeout=3)
    original_clean = WagtailAdminPageForm.clean

    def clean_then_wait(form):
        cleaned = original_clean(form)
        # Broken when the other request waits for this one's lock: the fixed behaviour.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_checked.wait()
        return cleaned

    monkeypatch.setattr(WagtailAdminPageForm, "clean", clean_then_wait)
    url = add_url(team)
    results = {}

    def post(name, data, **headers):
        client = Client(raise_request_exception=False)
        client.force_login(team["editor"])
        try:
            results[name] = client.post(url, data, **headers)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=("autosave", news_form()), kwargs=JSON),
        threading.Thread(target=post, args=("submit", {**news_form(), "action-submit": "1"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results["submit"].status_code == 302, results["submit"].content.decode()[:2000]
    assert results["autosave"].status_code in (200, 400)
    news = NewsPage.objects.get()
    assert WorkflowState.objects.get(object_id=str(news.pk)).status == WorkflowState.STATUS_IN_PROGRESS
    assert Page.objects.filter(slug="rencai-dongtai").count() == 1


# Required fields on submit: Wagtail 8 lets "保存草稿" (and the autosave) skip them, never a submit.


def test_a_new_page_with_a_required_field_missing_is_not_submitted(client, team):
    client.force_login(team["editor"])
    response = client.post(add_url(team), {**news_form(summary=""), "action-submit": "1"})

    assert response.status_code == 200
    assert field_errors(response, "summary") == ["必需字段"]
    assert not NewsPage.objects.exists()
    assert not WorkflowState.objects.exists()


def test_a_draft_with_a_required_field_missing_is_saved_but_not_submitted(client, team):
    client.force_login(team["editor"])
    assert client.post(add_url(team), {**news_form(summary=""), "action-save": "1"}).status_code == 302
    news = NewsPage.objects.get()
    revisions = news.revisions.count()
    edit_url = reverse("wagtailadmin_pages:edit", args=(news.pk,))

    response = client.post(edit_url, {**news_form(summary=""), "action-submit": "1"})

    assert response.status_code == 200
    assert field_errors(response, "summary") == ["必需字段"]
    assert 'name="summary"' in response.content.decode()  # the editor's form, with the error beside the field
    assert news.revisions.count() == revisions
    assert not WorkflowState.objects.exists()


def test_a_resubmit_after_requested_changes_checks_required_fields(client, team):
    client.force_login(team["editor"])
    assert client.post(add_url(team), {**news_form(), "action-submit": "1"}).status_code == 302
    news = NewsPage.objects.get()
    state = WorkflowState.objects.get(object_id=str(news.pk))
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, team["reviewer"], "reject")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    revisions = news.revisions.count()

    edit_url = reverse("wagtailadmin_pages:edit", args=(news.pk,))
    response = client.post(edit_url, {**news_form(summary=""), "action-submit": "1"})

    assert response.status_code == 200
    assert field_errors(response, "summary") == ["必需字段"]
    assert news.revisions.count() == revisions
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
