"""Nothing public goes out without review (发布审核: 编辑提交 → 审核 → 终审), over every public page and special columns."""

import datetime
import html
import json
import time

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from honours.models import HonourPage
from news.models import NewsPage
from spotlight.models import SpecialColumn
from staff.roles import EDITORS, FINAL_REVIEWERS, REVIEWERS
from tests.public_builders import build_sections

WORKFLOW = "发布审核"


def member_of(group_name, username):
    user = User.objects.create_user(username, password="pw")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def team(db):
    return {
        "sections": build_sections(),
        "editor": member_of(EDITORS, "editor"),
        "reviewer": member_of(REVIEWERS, "reviewer"),
        "final": member_of(FINAL_REVIEWERS, "final"),
    }


def honour_form(title="2026年度来宾市优秀专家", **overrides):
    data = {
        "title": title,
        "slug": "2026-youxiu",
        "honour_type": "title",
        "conferred_title": "来宾市优秀专家",
        "conferring_body": "中共来宾市委 来宾市人民政府",
        "date": "2026-04-25",
        "summary": "表彰优秀专家。",
        "recipients": inline_formset([{"team_name": "胸痛中心团队", "profile": ""}], min=1),
        "citation": streamfield([("paragraph", rich_text("<p>表彰事迹。</p>"))]),
    }
    data.update(overrides)
    return nested_form_data(data)


def add_honour_in_admin(client, team, action):
    client.force_login(team["editor"])
    parent = team["sections"]["honours"]
    url = reverse("wagtailadmin_pages:add", args=("honours", "honourpage", parent.pk))
    response = client.post(url, {**honour_form(), action: "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return HonourPage.objects.get(slug="2026-youxiu")


def test_one_workflow_covers_every_public_page_and_special_columns(team):
    workflow = Workflow.objects.get(name=WORKFLOW)
    assert [task.name for task in workflow.tasks] == ["审核", "终审"]
    for page in team["sections"].values():
        assert page.get_workflow() == workflow, page
    assert SpecialColumn(name="x", slug="x", description="x").get_workflow() == workflow


def test_no_editorial_group_may_publish_directly(team):
    home = team["sections"]["home"]
    for user in (team["editor"], team["reviewer"], team["final"]):
        assert not home.permissions_for_user(user).can_publish_subpage(), user
        assert not home.permissions_for_user(user).can_publish(), user
        assert not user.has_perm("spotlight.publish_specialcolumn")
    assert home.permissions_for_user(team["editor"]).can_add_subpage()


def test_a_final_reviewer_gets_no_publish_action_and_a_crafted_one_does_not_publish(client, team):
    honour = add_honour_in_admin(client, team, "action-save")
    client.force_login(team["final"])
    edit_url = reverse("wagtailadmin_pages:edit", args=(honour.pk,))
    html = client.get(edit_url).content.decode()
    assert 'name="action-submit"' in html
    assert 'name="action-publish"' not in html

    response = client.post(edit_url, {**honour_form(summary="终审人改的摘要"), "action-publish": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    honour = HonourPage.objects.get(pk=honour.pk)
    assert not honour.live
    assert honour.get_latest_revision().content["summary"] == "终审人改的摘要"  # saved as a draft, nothing more
    bulk_publish = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    client.post(f"{bulk_publish}?id={honour.pk}", {"include_descendants": ""})
    assert not HonourPage.objects.get(pk=honour.pk).live
    client.logout()
    assert client.get("/honours/2026-youxiu/").status_code == 404


def test_a_final_reviewer_cannot_publish_a_special_column_directly(client, team):
    column = SpecialColumn.objects.create(name="人才下基层", slug="xia-jiceng", description="专栏", live=False)
    column.save_revision(user=team["editor"])
    client.force_login(team["final"])
    edit_url = reverse("wagtailsnippets_spotlight_specialcolumn:edit", args=(column.pk,))
    assert 'name="action-publish"' not in client.get(edit_url).content.decode()
    data = {"name": "人才下基层", "slug": "xia-jiceng", "description": "专栏", "action-publish": "1"}
    client.post(edit_url, data)
    column.refresh_from_db()
    assert not column.live


def test_an_editors_publish_click_does_not_publish(client, team):
    honour = add_honour_in_admin(client, team, "action-publish")
    assert not honour.live
    assert client.get("/honours/2026-youxiu/").status_code == 404


def test_submit_review_final_review_then_public(client, team):
    honour = add_honour_in_admin(client, team, "action-submit")
    state = WorkflowState.objects.get(object_id=str(honour.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "审核"
    assert not HonourPage.objects.get(pk=honour.pk).live

    # Editors cannot approve their own work; the final reviewer cannot skip the first step.
    for user in (team["editor"], team["final"]):
        assert state.current_task_state.task.specific.get_actions(honour, user) == []

    def approve(user):
        client.force_login(user)
        task_state = WorkflowState.objects.get(pk=state.pk).current_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=(honour.pk, "approve", task_state.pk))
        assert client.post(url, {"comment": "同意"}).status_code in (200, 302)

    # The reviewer sees what changed before approving.
    client.force_login(team["reviewer"])
    compare = reverse("wagtailadmin_pages:revisions_compare", args=(honour.pk, "earliest", honour.latest_revision_id))
    assert client.get(compare).status_code == 200
    approve(team["reviewer"])
    assert WorkflowState.objects.get(pk=state.pk).current_task_state.task.name == "终审"
    assert not HonourPage.objects.get(pk=honour.pk).live

    approve(team["final"])
    assert HonourPage.objects.get(pk=honour.pk).live
    client.logout()
    assert "胸痛中心团队" in client.get("/honours/2026-youxiu/").content.decode()


def messages_after(response):
    return [html.unescape(str(message)) for message in response.context["messages"]]


def test_the_editor_words_submitting_and_each_approval(client, team):
    """The button reads 提交发布审核; approving in the editor says which step passed the page
    and where it went, not only Wagtail's 页面已被更新; a published page shows as 已发布."""
    client.force_login(team["editor"])
    add_url = reverse("wagtailadmin_pages:add", args=("honours", "honourpage", team["sections"]["honours"].pk))
    assert ">提交发布审核<" in client.get(add_url).content.decode().replace("\n", "").replace(" ", "")
    honour = add_honour_in_admin(client, team, "action-submit")
    edit_url = reverse("wagtailadmin_pages:edit", args=(honour.pk,))
    approve = {
        **honour_form(),
        "action-workflow-action": "1",
        "workflow-action-name": "approve",
        "workflow-action-extra-data": json.dumps({"comment": "同意"}),
    }

    client.force_login(team["reviewer"])
    response = client.post(edit_url, approve, follow=True)
    text = "".join(messages_after(response))
    assert "页面“2026年度来宾市优秀专家”已通过“审核”，已转交“终审”。" in text
    assert "已被更新" not in text

    client.force_login(team["final"])
    response = client.post(edit_url, approve, follow=True)
    text = "".join(messages_after(response))
    assert "页面“2026年度来宾市优秀专家”已通过“终审”，已发布。" in text
    assert "已被更新" not in text
    assert HonourPage.objects.get(pk=honour.pk).live
    explorer = client.get(reverse("wagtailadmin_explore", args=(team["sections"]["honours"].pk,))).content.decode()
    assert "已发布" in explorer
    assert "在用" not in explorer


def test_saving_in_the_editor_still_says_updated(client, team):
    honour = add_honour_in_admin(client, team, "action-save")
    response = client.post(reverse("wagtailadmin_pages:edit", args=(honour.pk,)), honour_form(), follow=True)
    assert "页面 '2026年度来宾市优秀专家' 已被更新。" in "".join(messages_after(response))


def test_reviewers_see_the_changes_of_an_edit(client, team):
    news = NewsPage(title="人才工作动态", category="work", summary="旧摘要", body=[])
    team["sections"]["news"].add_child(instance=news)
    news.save_revision().publish()
    news.summary = "新的摘要内容"
    revision = news.save_revision(user=team["editor"])
    Workflow.objects.get(name=WORKFLOW).start(news, team["editor"])

    client.force_login(team["reviewer"])
    html = client.get(reverse("wagtailadmin_pages:revisions_compare", args=(news.pk, "live", revision.pk))).content
    assert "旧摘要" in html.decode()
    assert "新的摘要内容" in html.decode()


def test_scheduled_publishing_goes_live_at_its_time(client, team):
    news = NewsPage(title="定时发布的通知", category="notice", summary="摘要", body=[])
    team["sections"]["news"].add_child(instance=news)
    news.go_live_at = timezone.now() + datetime.timedelta(seconds=1)
    news.save_revision().publish()
    news.refresh_from_db()
    assert not news.live
    assert news.get_latest_revision().approved_go_live_at is not None
    call_command("publish_scheduled")
    assert not NewsPage.objects.get(pk=news.pk).live

    time.sleep(1.2)
    call_command("publish_scheduled")
    assert NewsPage.objects.get(pk=news.pk).live
    assert client.get(news.url).status_code == 200


def test_a_special_column_is_reviewed_like_a_page(team):
    column = SpecialColumn.objects.create(name="人才下基层", slug="xia-jiceng", description="专栏", live=False)
    column.save_revision(user=team["editor"])
    workflow = column.get_workflow()
    workflow.start(column, team["editor"])
    for user in (team["reviewer"], team["final"]):
        column.refresh_from_db()
        task_state = column.current_workflow_task_state
        task_state.task.specific.on_action(task_state, user, "approve")
    column.refresh_from_db()
    assert column.live
