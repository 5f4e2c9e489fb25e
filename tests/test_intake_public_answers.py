"""Public answers (公开答复): anonymised, only with the submitter's consent, published after review."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from intake import workflow
from intake.models import (
    Channel,
    Department,
    IntakeItem,
    IntakeLogEntry,
    IntakeStep,
    PublicAnswer,
    ReplyTemplate,
    Status,
)
from intake.tracking import find_item, next_tracking_number
from staff.roles import CITY_OFFICE, COUNTY_OFFICE
from tests.intake_builders import (
    contact_page_fixture,  # noqa: F401 - the contact_page fixture
    make_staff,
    new_item,
)

pytestmark = pytest.mark.django_db


def answered(officer, **fields):
    item, _ = new_item(
        name="黄专家",
        unit="来宾市第一中学",
        mobile="13807726666",
        email="huang@example.cn",
        subject="来宾市第一中学实验室经费",
        message="我是来宾市第一中学的黄专家，电话13807726666，另可拨0772-1234567或写信至 huang@example.cn。",
        **fields,
    )
    workflow.accept(item, officer)
    workflow.close(item, officer, "已协调市教育局为来宾市第一中学追加实验室经费，请黄专家留意通知。")
    return item


def test_a_draft_hides_the_submitters_details_and_waits_for_review(client, contact_page):
    officer = make_staff("root", is_superuser=True)
    item = answered(officer, publish_consent=True)
    client.force_login(officer)
    response = client.post(reverse("intake_item:draft_answer", args=[item.pk]))
    answer = PublicAnswer.objects.get(item=item)
    assert response["Location"] == reverse("intake_public_answer:edit", args=[answer.pk])
    text = f"{answer.question_title} {answer.question} {answer.answer}"
    for private in ("黄专家", "来宾市第一中学", "13807726666", "huang@example.cn", "0772-1234567"):
        assert private not in text
    assert "××" in answer.question
    assert not answer.live
    assert "实验室" not in client.get("/contact/answers/").content.decode()

    answer.save_revision(user=officer).publish()
    html = client.get("/contact/answers/").content.decode()
    assert "已协调市教育局为××追加实验室经费" in html
    assert "黄专家" not in html
    assert answer.question_title in client.get("/contact/").content.decode()


def test_a_draft_is_dated_by_the_local_day_the_item_closed(client, contact_page):
    officer = make_staff("root", is_superuser=True)
    item = answered(officer, publish_consent=True)
    # 07:30 in Beijing is still the previous day in UTC.
    item.closed_at = timezone.make_aware(timezone.datetime(2026, 11, 20, 7, 30))
    item.save(update_fields=["closed_at"])
    client.force_login(officer)
    client.post(reverse("intake_item:draft_answer", args=[item.pk]))
    assert str(PublicAnswer.objects.get(item=item).answered_on) == "2026-11-20"


def test_no_public_answer_without_consent(client, contact_page):
    officer = make_staff("root", is_superuser=True)
    item = answered(officer, publish_consent=False)
    client.force_login(officer)
    assert "生成公开答复草稿" not in client.get(reverse("intake_item:inspect", args=[item.pk])).content.decode()
    response = client.post(reverse("intake_item:draft_answer", args=[item.pk]), follow=True)
    assert "只有来信人同意公开" in response.content.decode()
    assert not PublicAnswer.objects.exists()


def test_only_the_city_office_may_publish():
    assert Group.objects.get(name=CITY_OFFICE).permissions.filter(codename="publish_publicanswer").exists()
    county = Group.objects.get(name=COUNTY_OFFICE)
    assert county.permissions.filter(codename="add_publicanswer").exists()
    assert not county.permissions.filter(codename="publish_publicanswer").exists()
    assert not county.permissions.filter(codename="supervise_intakeitem").exists()


def test_answers_are_paginated(client, contact_page):
    officer = make_staff("root", is_superuser=True)
    for number in range(12):
        answer = PublicAnswer.objects.create(
            kind="suggestion", question_title=f"问题{number:02d}", question="问", answer="答", answered_on="2026-11-01"
        )
        answer.save_revision(user=officer).publish()
    first = client.get("/contact/answers/").content.decode()
    second = client.get("/contact/answers/?page=2").content.decode()
    assert first.count('class="card intake-answer"') == 10
    assert second.count('class="card intake-answer"') == 2


def test_the_demo_queue_covers_every_step_and_a_second_run_adds_nothing(demo_site):
    counts = [IntakeItem.objects.count(), IntakeStep.objects.count(), PublicAnswer.objects.count()]
    assert set(IntakeItem.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(IntakeItem.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert IntakeItem.objects.filter(supervised=True).exists()
    assert IntakeItem.objects.overdue().exists()
    assert PublicAnswer.objects.filter(live=True).exists()
    # Backdated demo items leave today's numbering where the items of today end.
    today_numbers = IntakeItem.objects.filter(tracking_number__startswith=f"LB{timezone.localdate():%Y%m%d}-").count()
    assert next_tracking_number(timezone.localdate()).endswith(f"-{today_numbers + 1:04d}")
    showcase = IntakeItem.objects.get(subject="高层次人才住房补贴申领进度")
    assert find_item(showcase.tracking_number, "DEMO2026") == showcase

    call_command("load_demo_content", stdout=io.StringIO(), allow_demo_without_debug=True)
    assert [IntakeItem.objects.count(), IntakeStep.objects.count(), PublicAnswer.objects.count()] == counts
    assert Department.objects.count() == 12 and ReplyTemplate.objects.count() == 3


def test_the_demo_items_history_names_their_numbers_at_the_times_of_their_steps(demo_site):
    backdated = IntakeItem.objects.exclude(tracking_number__startswith=f"LB{timezone.localdate():%Y%m%d}-")
    assert backdated.count() > 10
    for item in IntakeItem.objects.prefetch_related("steps"):
        entries = IntakeLogEntry.objects.for_instance(item).order_by("timestamp", "pk")
        assert {entry.label for entry in entries} == {str(item)}
        assert [entry.timestamp for entry in entries] == [step.at for step in item.steps.all()]
