"""Mail goes through the database task queue after the commit, and a broken mail server loses nothing."""

import smtplib
import socket

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intake.models import IntakeItem
from tests.intake_builders import (
    CONTACT_URL,
    contact_page_fixture,  # noqa: F401 - the contact_page fixture
    form_data,
    run_mail_worker,
)

pytestmark = pytest.mark.django_db


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def mail_tasks(status):
    return DBTaskResult.objects.filter(queue_name="mail", status=status)


def test_the_worker_sends_the_receipt_and_the_office_notice(client, contact_page):
    client.post(CONTACT_URL, form_data(name="韦专家", mobile="13807725555"))
    item = IntakeItem.objects.get()
    assert mail.outbox == []  # nothing is sent inside the request

    run_mail_worker()

    receipt, notice = sorted(mail.outbox, key=lambda message: message.to != ["expert@example.cn"])
    assert receipt.to == ["expert@example.cn"]
    assert item.tracking_number in receipt.subject
    assert "查询码：" in receipt.body and "/contact/track/" in receipt.body
    assert notice.to == ["office@example.cn"]
    assert item.tracking_number in notice.body
    assert "韦专家" not in notice.body and "13807725555" not in notice.body  # personal data stays in the workbench
    assert mail_tasks("SUCCESSFUL").count() == 2


@pytest.mark.parametrize("failure", ["refused", "disconnected"])
def test_a_broken_mail_server_keeps_the_submission_and_retries(client, contact_page, settings, failure):
    if failure == "refused":
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    else:
        settings.EMAIL_BACKEND = "tests.test_intake_mail.BrokenMailServer"

    response = client.post(CONTACT_URL, form_data())
    assert response.status_code == 302  # the expert sees the receipt, not an error
    assert "查询码" in client.get(response["Location"]).content.decode()
    assert IntakeItem.objects.count() == 1

    run_mail_worker()
    assert mail_tasks("FAILED").count() == 2
    retries = mail_tasks("READY")
    assert retries.count() == 2
    assert all(task.run_after > timezone.now() for task in retries)
    assert {task.args_kwargs["args"][3] for task in retries} == {2}  # the second attempt

    # The server comes back; when the retry is due, the worker delivers.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retries.update(run_after=timezone.now())
    run_mail_worker()
    assert len(mail.outbox) == 2
    assert mail_tasks("SUCCESSFUL").count() == 2
    assert IntakeItem.objects.count() == 1


def test_the_last_attempt_gives_up(client, contact_page, settings):
    settings.EMAIL_BACKEND = "tests.test_intake_mail.BrokenMailServer"
    settings.INTAKE_MAIL_RETRY_DELAYS = [0]
    client.post(CONTACT_URL, form_data())
    run_mail_worker()  # first attempts fail, retries are due at once and fail too
    assert mail_tasks("FAILED").count() == 4
    assert not mail_tasks("READY").exists()
    assert IntakeItem.objects.count() == 1


def test_without_an_email_only_the_office_is_told(client, contact_page):
    client.post(CONTACT_URL, form_data(email=""))
    run_mail_worker()
    assert [message.to for message in mail.outbox] == [["office@example.cn"]]
