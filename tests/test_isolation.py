"""Browser tests end with a flush; the rows that migrations made must come back for what follows."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection, Page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_browser_test_sees_migration_rows(live_server, page):
    page.goto(live_server.url)
    assert Group.objects.filter(name="县级人才办").exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_later_browser_test_still_sees_them(live_server, page):
    page.goto(live_server.url)
    assert Group.objects.filter(name="县级人才办").exists()
    assert Collection.get_first_root_node() is not None


@pytest.mark.django_db
def test_a_later_plain_test_still_sees_them():
    assert Group.objects.get(name="县级人才办").permissions.filter(codename="access_admin").exists()
    assert Page.get_first_root_node() is not None
