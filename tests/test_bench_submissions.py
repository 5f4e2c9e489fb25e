"""The load benches' contact-form client and their stored-exactly-once check (bench/submissions.py)."""

import sys
from pathlib import Path

import pytest
from django.db.models import Count

from intake.models import IntakeItem

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from submissions import Answer, own_addresses, submit, tally

from .intake_builders import contact_page_fixture  # noqa: F401


def database(prefix):
    items = IntakeItem.objects.filter(subject__startswith=prefix)
    return {
        "subjects": dict(items.values("subject").annotate(rows=Count("pk")).values_list("subject", "rows")),
        "numbers": items.values("tracking_number").distinct().count(),
    }


@pytest.mark.django_db(transaction=True)
def test_each_submission_comes_from_its_own_address_and_is_stored_once(contact_page, live_server):
    # More submissions than one address may make in an hour (5): only distinct addresses get them all in.
    port = int(live_server.url.rsplit(":", 1)[1])
    answers, _ = submit(port, "负载测试-", 8, 2, address=own_addresses(7))

    assert [answer.status for answer in answers] == [302] * 8
    checked = tally(answers, database("负载测试-"))
    assert (checked.posted, checked.receipts, checked.rows, checked.errors, checked.refused) == (8, 8, 8, 0, 0)
    assert checked.exactly_once
    assert IntakeItem.objects.filter(subject="负载测试-000007").count() == 1


def test_the_check_finds_each_way_a_submission_goes_wrong():
    answers = [
        Answer("s1", 0.1, 302, "/contact/submitted/"),  # stored once: fine
        Answer("s2", 0.1, 302, "/contact/submitted/"),  # receipted, not stored: lost
        Answer("s3", 0.1, 302, "/contact/submitted/"),  # stored twice
        Answer("s4", 0.1, 502, ""),  # an error answer, stored all the same
        Answer("s5", 0.1, 429, ""),  # refused, not stored
    ]
    checked = tally(answers, {"subjects": {"s1": 1, "s3": 2, "s4": 1, "s9": 1}, "numbers": 5})
    assert (checked.receipts, checked.errors, checked.refused) == (3, 1, 1)
    assert (checked.lost, checked.duplicated, checked.stored_after_error, checked.unexpected) == (1, 1, 1, 1)
    assert not checked.exactly_once

    fine = tally(answers[:1] + answers[3:], {"subjects": {"s1": 1, "s4": 1}, "numbers": 2})
    assert fine.exactly_once and fine.stored_after_error == 1
    assert not tally(answers[:1], {"subjects": {"s1": 1}, "numbers": 0}).exactly_once  # a shared tracking number
