"""What every programme list shares (programme/views.py): the first column names the kind's own date."""

import pytest
from django.test import Client

from staff.levels import Level

from .experts_builders import make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/admin/care/checkups/", "日期"),
        ("/admin/care/recuperation/", "开始日期"),
        ("/admin/consulting/groups/", "成立日期"),
        ("/admin/guidance/party-development/", "建档日期"),
    ],
)
def test_the_date_column_is_headed_with_the_kinds_own_date(url, heading):
    client = Client()
    client.force_login(make_staff("city", Level.CITY))
    response = client.get(url)
    first = response.context["view"].columns[0]
    assert (first.name, first.label) == ("date", heading)
