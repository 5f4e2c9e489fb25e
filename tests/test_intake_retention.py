"""Intake items' personal data is cleared INTAKE_PERSONAL_DATA_RETENTION_DAYS after they finished
(intake.retention), by the scheduled jobs; statistics, the tracking page and public answers keep working."""

import importlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from intake import retention, workflow
from intake.anonymise import draft_public_answer
from intake.models import IntakeItem, IntakeLogEntry, IntakeStep, Status
from tests.intake_builders import (
    TRACK_URL,
    at,
    contact_page_fixture,  # noqa: F401 - the contact_page fixture
    make_staff,
    new_item,
)

pytestmark = pytest.mark.django_db

PERSONAL = ["韦旧事", "来宾市旧事医院", "13807729999", "jiu@example.cn"]
STATISTICS = ["channel", "kind", "level", "status", "received_at", "accepted_at", "closed_at", "acceptance_due"]


def finished_item(officer, year, close=True):
    """An item received, accepted and (unless `close` is false) closed in `year`, with an attachment."""
    with at(year, 3, 2):
        item, query_code = new_item(
            name=PERSONAL[0],
            unit=PERSONAL[1],
            mobile=PERSONAL[2],
            email=PERSONAL[3],
            subject=f"{PERSONAL[1]}的实验室经费",
            message=f"我是{PERSONAL[1]}的{PERSONAL[0]}，电话{PERSONAL[2]}，身份证450802198001011234。",
            attachment=SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n"),
            attachment_name="申请书.pdf",
            publish_consent=True,
        )
        workflow.accept(item, officer)
        if close:
            workflow.close(item, officer, f"{PERSONAL[0]}您好：已协调{PERSONAL[1]}追加经费，请拨{PERSONAL[2]}联系。")
    return IntakeItem.objects.get(pk=item.pk), query_code


def item_text(item):
    """Every text the item, its steps and its history hold."""
    item.refresh_from_db()
    values = [str(getattr(item, field.attname)) for field in IntakeItem._meta.concrete_fields]
    values += [f"{step.note} {step.public_note}" for step in IntakeStep.objects.filter(item=item)]
    values += [f"{entry.label} {entry.data}" for entry in IntakeLogEntry.objects.filter(item=item)]
    return " ".join(values)


def test_old_finished_items_are_cleared_and_recent_or_open_ones_kept(
    client, contact_page, django_capture_on_commit_callbacks
):
    officer = make_staff("root", is_superuser=True)
    old, query_code = finished_item(officer, 2021)
    with at(2021, 3, 3):
        rejected, _ = new_item(name="黄拒绝", mobile="13807728888")
        workflow.reject(rejected, officer, "不属于受理范围")
    old_open, _ = finished_item(officer, 2021, close=False)
    recent, _ = finished_item(officer, 2026)
    answer = draft_public_answer(old, officer)
    answer.save_revision(user=officer).publish()
    attachment = Path(settings.INTAKE_ATTACHMENT_ROOT) / old.attachment.name
    assert attachment.exists()
    before = {item.pk: [getattr(item, field) for field in STATISTICS] for item in IntakeItem.objects.all()}

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduled_jobs", stdout=io.StringIO())

    old.refresh_from_db()
    assert old.personal_data_cleared_at and old.name == "已匿名"
    assert (old.unit, old.mobile, old.email, old.attachment.name, old.attachment_name, old.expert) == (
        "",
        "",
        "",
        "",
        "",
        None,
    )
    text = item_text(old)
    for value in [*PERSONAL, "450802198001011234"]:
        assert value not in text, value
    assert not attachment.exists()
    assert IntakeItem.objects.get(pk=rejected.pk).name == "已匿名"
    entries = IntakeLogEntry.objects.filter(action=retention.ACTION)
    assert {entry.item_id for entry in entries} == {old.pk, rejected.pk}
    assert entries.get(item=old).data["reason"].startswith("办结后超过保存期限")
    for kept in (old_open, recent):
        assert PERSONAL[0] in item_text(kept)
        assert not IntakeItem.objects.get(pk=kept.pk).personal_data_cleared_at
    after = {item.pk: [getattr(item, field) for field in STATISTICS] for item in IntakeItem.objects.all()}
    assert after == before

    # The public answer and the tracking page still answer, with no personal value.
    assert "实验室经费" in client.get("/contact/answers/").content.decode()
    tracked = client.post(TRACK_URL, {"tracking_number": old.tracking_number, "query_code": query_code})
    html = tracked.content.decode()
    assert tracked.status_code == 200 and "已办结" in html and "追加经费" in html
    assert PERSONAL[0] not in html and PERSONAL[2] not in html

    # A second run changes nothing.
    cleared = set(IntakeItem.objects.values_list("pk", "personal_data_cleared_at"))
    assert retention.clear_expired() == 0
    assert set(IntakeItem.objects.values_list("pk", "personal_data_cleared_at")) == cleared
    assert IntakeLogEntry.objects.filter(action=retention.ACTION).count() == 2


def test_the_job_works_in_batches(contact_page):
    officer = make_staff("root", is_superuser=True)
    for _ in range(3):
        finished_item(officer, 2020)
    assert retention.clear_expired(limit=2) == 2
    assert retention.clear_expired(limit=2) == 1
    assert retention.clear_expired(limit=2) == 0


def test_the_period_comes_from_the_environment_and_counts_from_closing(contact_page, settings, monkeypatch):
    monkeypatch.setenv("INTAKE_PERSONAL_DATA_RETENTION_DAYS", "30")
    from portal.settings import base

    assert importlib.reload(base).INTAKE_PERSONAL_DATA_RETENTION_DAYS == 30
    monkeypatch.delenv("INTAKE_PERSONAL_DATA_RETENTION_DAYS")
    assert importlib.reload(base).INTAKE_PERSONAL_DATA_RETENTION_DAYS == 1095

    officer = make_staff("root", is_superuser=True)
    item, _ = finished_item(officer, 2026)
    closed_at = item.closed_at
    settings.INTAKE_PERSONAL_DATA_RETENTION_DAYS = 30
    assert retention.clear_expired(now=closed_at + timedelta(days=29)) == 0
    assert retention.clear_expired(now=closed_at + timedelta(days=31)) == 1
    assert IntakeItem.objects.get(pk=item.pk).status == Status.CLOSED
