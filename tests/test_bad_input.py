"""Hostile query strings and form values: every public address and our admin listings answer 200, 400 or 404, never 500.

A NUL reaching a query is a 500 on PostgreSQL (psycopg refuses it), so these run on both databases.
"""

import pytest
from django.urls import reverse

from intake.models import IntakeItem
from tests.experts_builders import make_superuser
from tests.intake_builders import form_data
from tests.public_builders import build_sections

pytestmark = pytest.mark.django_db

# Raw query-string values, already percent-encoded as a client would send them.
NUL_VALUES = ["%00", "zhuan%00jia", "%00" * 300]
OTHER_VALUES = [
    "lottery",  # an unknown choice
    "-1",
    "0",
    "abc",
    "999999",
    "1e9",
    "%01%02%1F%7F",  # other control characters
    "%FF%FE",  # not UTF-8
    "%E5%8C%BB" * 2000,  # 6,000 bytes of "医"
    "x" * 5000,
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%27%20OR%201%3D1%20--",
]

PUBLIC_PARAMETERS = [
    ("/contact/", "service"),
    ("/contact/answers/", "page"),
    ("/honours/", "type"),
    ("/honours/", "page"),
    ("/news/", "category"),
    ("/news/", "page"),
    ("/experts/", "field"),
    ("/experts/", "team"),
    ("/experts/", "page"),
    ("/spotlight/", "page"),
    ("/search/", "q"),
    ("/search/?q=%E4%B8%93%E5%AE%B6", "section"),
    ("/search/?q=%E4%B8%93%E5%AE%B6", "page"),
]


@pytest.fixture
def sections(db):
    return build_sections()


def statuses(client, address, parameter):
    """The status of `address` with each hostile value in `parameter`, by value."""
    joiner = "&" if "?" in address else "?"
    return {
        value[:40]: client.get(f"{address}{joiner}{parameter}={value}").status_code
        for value in NUL_VALUES + OTHER_VALUES
    }


def expected(ok=200):
    return {value[:40]: 400 if "%00" in value else ok for value in NUL_VALUES + OTHER_VALUES}


@pytest.mark.parametrize(("address", "parameter"), PUBLIC_PARAMETERS)
def test_public_filters_pages_and_searches_refuse_nul_and_ignore_junk(client, sections, address, parameter):
    # The test client raises a view's exception, so a 500 fails here with its traceback.
    assert statuses(client, address, parameter) == expected()


@pytest.mark.parametrize(
    "address",
    ["/honours/?%00=1", "/honours%00/", "/contact/%00/", "/nothing/?q=%00", "/search/?q=%E4%B8%93%00"],
)
def test_a_nul_anywhere_in_the_address_is_a_400(client, sections, address):
    response = client.get(address)
    assert response.status_code == 400
    assert "不允许的字符" in response.content.decode()


def test_an_unknown_address_with_junk_is_a_404(client, sections):
    assert client.get("/no-such-section/?page=-1&q=%FF").status_code == 404


ADMIN_PARAMETERS = [
    ("wagtailadmin_home", "q"),
    ("intake_item:index", "q"),
    ("intake_item:index", "status"),
    ("intake_item:index", "assignee"),
    ("intake_item:index", "department"),
    ("intake_item:index", "received_at_after"),
    ("intake_item:index", "overdue"),
    ("intake_item:index", "p"),
    ("intake_statistics:index", "month"),
    ("experts:index", "q"),
    ("experts:index", "categories"),
    ("experts:index", "joined_year"),
    ("experts:index", "p"),
    ("experts_review:index", "year"),
    ("experts_review:index", "p"),
    ("liaison_leader:index", "quota"),
    ("liaison_leader:index", "level"),
    ("liaison_pairing:index", "leader"),
    ("liaison_pairing:index", "status"),
    ("liaison_pairing:add", "leader"),
    ("liaison_quota:index", "level"),
    ("liaison_quota:index", "p"),
]


@pytest.mark.parametrize(("name", "parameter"), ADMIN_PARAMETERS)
def test_admin_listings_refuse_nul_and_ignore_junk(client, name, parameter):
    client.force_login(make_superuser())
    assert statuses(client, reverse(name), parameter) == expected()


def test_a_nul_in_a_contact_form_field_is_refused_next_to_the_field(client, sections):
    response = client.post("/contact/", form_data(name="韦\x00测试", message="内容\x00" * 10, kind="\x00"))
    assert response.status_code == 200
    assert "提交未成功" in response.content.decode()
    assert not IntakeItem.objects.exists()


@pytest.mark.parametrize(
    ("tracking_number", "query_code"),
    [("LB\x00", "\x00"), ("x" * 5000, "y" * 5000), ("%FF", "' OR 1=1 --"), ("LB20260101-0001", "\x01\x1f")],
)
def test_the_tracking_form_answers_junk_with_a_message(client, sections, tracking_number, query_code):
    response = client.post("/contact/track/", {"tracking_number": tracking_number, "query_code": query_code})
    assert response.status_code == 200
    html = response.content.decode()
    assert "未找到对应的事项" in html or "field__error" in html
