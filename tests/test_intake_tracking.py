"""/contact/track/: the expert reads the timeline and the reply with a tracking number and query code."""

import datetime

import pytest
from django.test import Client

from intake import ratelimit, workflow
from intake.models import RateLimitCounter
from intake.tracking import find_item, next_tracking_number
from tests.intake_builders import (
    TRACK_URL,
    contact_page_fixture,  # noqa: F401 - the contact_page fixture
    make_staff,
    new_item,
)

pytestmark = pytest.mark.django_db
NOT_FOUND = "未找到对应的事项，请核对查询号和查询码后重试。"


@pytest.fixture
def answered_item(contact_page):
    officer = make_staff("officer", is_superuser=True)
    item, query_code = new_item(actor=officer, name="蓝专家", mobile="13807729999", unit="来宾市某研究院")
    workflow.accept(item, officer)
    workflow.supervise(item, officer, "内部督办意见：请加快")
    workflow.close(item, officer, "经协调，配套经费已于本月拨付到位。")
    return item, query_code


def test_the_right_pair_shows_the_timeline_and_the_reply(client, answered_item):
    item, query_code = answered_item
    response = client.post(TRACK_URL, {"tracking_number": item.tracking_number, "query_code": query_code})
    html = response.content.decode()
    assert response.status_code == 200
    assert "已收到您通过“热线电话”反映的事项。" in html
    assert "您反映的事项已受理。" in html
    assert "经协调，配套经费已于本月拨付到位。" in html
    assert "已办结" in html
    # Nothing personal: the page shows the matter, not the person.
    for private in ("蓝专家", "13807729999", "来宾市某研究院", "内部督办意见"):
        assert private not in html
    assert "private" in response["Cache-Control"]


def test_typing_is_forgiven_case_and_spaces(client, answered_item):
    item, query_code = answered_item
    response = client.post(
        TRACK_URL,
        {
            "tracking_number": f" {item.tracking_number.lower()} ",
            "query_code": f"{query_code[:4]} {query_code[4:].lower()}",
        },
    )
    assert "经协调" in response.content.decode()


@pytest.mark.parametrize("wrong", ["code", "number", "both"])
def test_a_wrong_pair_says_only_not_found(client, answered_item, wrong):
    item, query_code = answered_item
    number = "LB20200101-0001" if wrong in ("number", "both") else item.tracking_number
    code = "AAAAAAAA" if wrong in ("code", "both") else query_code
    html = client.post(TRACK_URL, {"tracking_number": number, "query_code": code}).content.decode()
    assert NOT_FOUND in html
    assert "经协调" not in html


def test_an_item_not_yet_answered_shows_no_reply(client, contact_page):
    item, query_code = new_item()
    html = client.post(TRACK_URL, {"tracking_number": item.tracking_number, "query_code": query_code}).content.decode()
    assert "待受理" in html
    assert "答复意见" not in html


def test_empty_fields_are_asked_for(client, contact_page):
    html = client.post(TRACK_URL, {"tracking_number": "", "query_code": ""}).content.decode()
    assert "请填写查询号" in html and "请填写查询码" in html


def test_lookups_are_rate_limited_per_client(client, answered_item, settings):
    settings.INTAKE_LOOKUP_RATE_LIMIT = (3, 600)
    item, query_code = answered_item
    for _ in range(3):
        client.post(TRACK_URL, {"tracking_number": item.tracking_number, "query_code": "WRONG123"})
    response = client.post(TRACK_URL, {"tracking_number": item.tracking_number, "query_code": query_code})
    assert response.status_code == 429
    assert "经协调" not in response.content.decode()
    assert (
        Client(REMOTE_ADDR="10.9.9.9").post(TRACK_URL, {"tracking_number": "x", "query_code": "y"}).status_code == 200
    )


def test_the_database_counter_is_shared_and_clears_ended_windows(rf, settings):
    settings.INTAKE_RATE_LIMIT_STORE = "database"
    request = rf.post("/", REMOTE_ADDR="192.0.2.7")
    verdicts = [ratelimit.hit(request, "test", (2, 60)) for _ in range(3)]
    assert [verdict.allowed for verdict in verdicts] == [True, True, False]
    # The count lives in a table every process reads, not in this process's memory.
    counter = RateLimitCounter.objects.get(key__startswith="intake:test:192.0.2.7:")
    assert counter.count == 3
    RateLimitCounter.objects.update(expires_at="2000-01-01T00:00Z")
    ratelimit.hit(rf.post("/", REMOTE_ADDR="192.0.2.8"), "test", (2, 60))
    assert not RateLimitCounter.objects.filter(pk=counter.pk).exists()


def test_the_cache_counter_serves_redis(rf, settings):
    settings.INTAKE_RATE_LIMIT_STORE = "cache"
    request = rf.post("/", REMOTE_ADDR="192.0.2.9")
    assert [ratelimit.hit(request, "cached", (1, 60)).allowed for _ in range(2)] == [True, False]
    assert not RateLimitCounter.objects.exists()


def test_a_new_query_code_replaces_the_old_one(contact_page):
    officer = make_staff("officer", is_superuser=True)
    item, old_code = new_item()
    new_code = workflow.new_query_code(item, officer)
    assert find_item(item.tracking_number, new_code) == item
    assert find_item(item.tracking_number, old_code) is None


def test_rotating_the_secret_key_keeps_every_query_code(client, answered_item, settings):
    item, query_code = answered_item
    settings.SECRET_KEY = "a-new-secret-key-after-rotation"
    response = client.post(TRACK_URL, {"tracking_number": item.tracking_number, "query_code": query_code})
    assert "经协调" in response.content.decode()


def test_a_rotated_query_code_key_opens_old_codes_while_it_is_listed(contact_page, settings):
    officer = make_staff("officer", is_superuser=True)
    item, old_code = new_item()
    old_key = settings.INTAKE_QUERY_CODE_KEY
    settings.INTAKE_QUERY_CODE_KEY = "the-new-query-code-key"
    assert find_item(item.tracking_number, old_code) is None
    settings.INTAKE_QUERY_CODE_OLD_KEYS = [old_key]
    assert find_item(item.tracking_number, old_code) == item
    # A code issued now uses the new key and stays valid once the old key is dropped.
    new_code = workflow.new_query_code(item, officer)
    settings.INTAKE_QUERY_CODE_OLD_KEYS = []
    assert find_item(item.tracking_number, new_code) == item
    assert find_item(item.tracking_number, old_code) is None


def test_tracking_numbers_restart_each_day():
    assert next_tracking_number(datetime.date(2026, 11, 25)) == "LB20261125-0001"
    assert next_tracking_number(datetime.date(2026, 11, 25)) == "LB20261125-0002"
    assert next_tracking_number(datetime.date(2026, 11, 26)) == "LB20261126-0001"
