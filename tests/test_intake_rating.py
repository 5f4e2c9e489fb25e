"""/contact/track/rate/: the expert rates a closed item once on the tracking page (回访)."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from intake import workflow
from intake.models import IntakeItem, IntakeLogEntry, IntakeStep, Satisfaction, Status, StepAction
from tests.intake_builders import (
    TRACK_URL,
    contact_page_fixture,  # noqa: F401 - the contact_page fixture
    make_staff,
    new_item,
    run_mail_worker,
)

pytestmark = pytest.mark.django_db
RATE_URL = TRACK_URL + "rate/"


@pytest.fixture
def officer(contact_page):
    return make_staff("officer", is_superuser=True)


@pytest.fixture
def closed_item(officer):
    item, query_code = new_item(actor=officer)
    item = workflow.accept(item, officer)
    workflow.assign(item, officer, assignee=officer, due_date=item.completion_due)
    workflow.close(item, officer, "经协调，配套经费已于本月拨付到位。")
    return IntakeItem.objects.get(pk=item.pk), query_code


def rating(item, query_code, **fields):
    return {"tracking_number": item.tracking_number, "query_code": query_code, **fields}


def test_a_closed_item_offers_the_rating_form(client, closed_item):
    item, query_code = closed_item
    html = client.post(TRACK_URL, rating(item, query_code)).content.decode()
    assert "评价办理结果" in html
    assert 'action="/contact/track/rate/"' in html
    for label in ("满意", "基本满意", "不满意"):
        assert f"> {label}</label>" in html


def test_an_open_item_offers_no_rating(client, officer):
    item, query_code = new_item(actor=officer)
    workflow.accept(item, officer)
    html = client.post(TRACK_URL, rating(item, query_code)).content.decode()
    assert "评价办理结果" not in html
    response = client.post(RATE_URL, rating(item, query_code, satisfaction=Satisfaction.SATISFIED))
    assert "该事项当前不能评价" in response.content.decode()
    assert IntakeItem.objects.get(pk=item.pk).status == Status.ACCEPTED


def test_satisfied_is_recorded_once_as_the_experts_own_follow_up(client, closed_item):
    item, query_code = closed_item
    response = client.post(RATE_URL, rating(item, query_code, satisfaction="satisfied", comment="办理及时，谢谢。"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "感谢您的评价。" in html and "您已评价：满意。" in html
    assert "评价办理结果" not in html  # once only
    item.refresh_from_db()
    assert item.status == Status.FOLLOWED_UP
    assert item.satisfaction == Satisfaction.SATISFIED
    assert item.satisfaction_note == "办理及时，谢谢。"
    step = item.steps.get(action=StepAction.FOLLOWED_UP)
    assert step.actor is None  # the expert, shown as 来信人 in the admin
    assert step.note == "来信人在查询页评价：满意。办理及时，谢谢。"
    assert IntakeLogEntry.objects.filter(item=item, action="intake.followed_up", user=None).exists()

    again = client.post(RATE_URL, rating(item, query_code, satisfaction="dissatisfied"))
    assert "每次答复只能评价一次" in again.content.decode()
    item.refresh_from_db()
    assert item.status == Status.FOLLOWED_UP and item.satisfaction == Satisfaction.SATISFIED


def test_dissatisfied_reopens_the_item_for_the_office_with_the_comment(client, closed_item, officer):
    item, query_code = closed_item
    mail.outbox.clear()
    html = client.post(
        RATE_URL, rating(item, query_code, satisfaction="dissatisfied", comment="经费只到位一半。")
    ).content.decode()
    assert "事项已退回重新办理" in html
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    assert item.reopen_count == 1
    assert item.closed_at is None
    reopened = item.steps.get(action=StepAction.REOPENED)
    assert reopened.actor is None and reopened.note == "来信人评价不满意。经费只到位一半。"
    assert reopened.public_note == "因您对办理结果不满意，已重新办理。"
    # Back in the office's queue of open items.
    assert IntakeItem.objects.open().filter(pk=item.pk).exists()

    run_mail_worker()
    (notice,) = [message for message in mail.outbox if "重新办理" in message.subject]
    assert set(notice.to) == {"office@example.cn", officer.email}
    assert "http://testserver" + reverse("intake_item:inspect", args=[item.pk]) in notice.body
    assert "经费只到位一半" not in notice.body  # the comment stays in the workbench

    # Closed again, the new answer can be rated again.
    workflow.close(item, officer, "余下经费已拨付。")
    client.post(RATE_URL, rating(item, query_code, satisfaction="fairly_satisfied"))
    item.refresh_from_db()
    assert item.status == Status.FOLLOWED_UP and item.satisfaction == Satisfaction.FAIRLY_SATISFIED


@pytest.mark.parametrize(
    "fields, error",
    [
        ({}, "请选择您的评价。"),
        ({"satisfaction": "excellent"}, "请从“满意”“基本满意”“不满意”中选择。"),
        ({"satisfaction": "satisfied", "comment": "意" * 501}, "意见最多500字（现有501字）。"),
    ],
)
def test_bad_ratings_are_refused_next_to_the_field_and_nothing_is_stored(client, closed_item, fields, error):
    item, query_code = closed_item
    steps = IntakeStep.objects.count()
    html = client.post(RATE_URL, rating(item, query_code, **fields)).content.decode()
    assert '<p class="field__error" id="rating_' in html and error in html
    assert "评价办理结果" in html  # the form is shown again with what was typed
    item.refresh_from_db()
    assert item.status == Status.CLOSED and item.satisfaction == ""
    assert IntakeStep.objects.count() == steps


@pytest.mark.parametrize("wrong", ["code", "number"])
def test_a_wrong_number_or_code_rates_nothing(client, closed_item, wrong):
    item, query_code = closed_item
    data = rating(item, query_code, satisfaction="dissatisfied")
    data["query_code" if wrong == "code" else "tracking_number"] = "AAAAAAAA" if wrong == "code" else "LB20200101-0001"
    html = client.post(RATE_URL, data).content.decode()
    assert "未找到对应的事项" in html
    assert IntakeItem.objects.get(pk=item.pk).status == Status.CLOSED


def test_ratings_are_rate_limited_per_client(client, closed_item, settings):
    settings.INTAKE_RATING_RATE_LIMIT = (2, 600)
    item, query_code = closed_item
    for _ in range(2):
        client.post(RATE_URL, rating(item, "WRONG123", satisfaction="dissatisfied"))
    response = client.post(RATE_URL, rating(item, query_code, satisfaction="dissatisfied"))
    assert response.status_code == 429
    assert IntakeItem.objects.get(pk=item.pk).status == Status.CLOSED
    other = Client(REMOTE_ADDR="10.9.9.8").post(RATE_URL, rating(item, query_code, satisfaction="satisfied"))
    assert other.status_code == 200


def test_a_get_goes_back_to_the_tracking_form(client, closed_item):
    response = client.get(RATE_URL)
    assert response.status_code == 302 and response["Location"] == TRACK_URL


def test_staff_still_record_a_rating_given_by_phone(closed_item, officer):
    item, _ = closed_item
    workflow.follow_up(item, officer, satisfaction=Satisfaction.FAIRLY_SATISFIED, note="电话回访")
    step = IntakeStep.objects.get(item=item, action=StepAction.FOLLOWED_UP)
    assert step.actor == officer
    assert step.note == "基本满意。电话回访" and step.public_note == "已回访，评价：基本满意。"
