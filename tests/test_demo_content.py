import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Page, Site

from base.demo import DEMO_ADMIN_USERNAME, DEMO_PASSWORD
from care.models import (
    CheckupAttendance,
    CheckupRound,
    FamilySupport,
    GreenChannelRequest,
    HealthLecture,
    RecuperationAttendance,
    RecuperationTrip,
)
from home.models import HomePage
from liaison.models import ContactRecord, EventReport, FollowUp, Leader, LeaderOffice, MustVisit, Pairing, ReportStep

PUBLIC_URLS = ["/", "/experts/", "/spotlight/", "/honours/", "/news/", "/services/", "/contact/", "/search/", "/about/"]


def load_demo(**options):
    out = io.StringIO()
    call_command("load_demo_content", stdout=out, allow_demo_without_debug=True, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_content_builds_the_url_contract_and_prints_the_login(client):
    output = load_demo()
    assert DEMO_ADMIN_USERNAME in output
    assert DEMO_PASSWORD in output
    # The administrator and the city office meet the second factor at their first sign-in: one line says so.
    assert output.count("首次登录时须用手机身份验证器启用双重验证") == 1
    for url in PUBLIC_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_demo_site_root_is_the_home_page(demo_site):
    assert isinstance(demo_site.root_page.specific, HomePage)
    assert Site.objects.count() == 1
    # Wagtail's stock "Welcome" page is gone.
    assert not Page.objects.filter(depth=2).exclude(pk=demo_site.root_page.pk).exists()


@pytest.mark.django_db
def test_demo_content_is_idempotent():
    load_demo()
    pages_before = list(Page.objects.values_list("path", "slug", "title"))
    users_before = get_user_model().objects.count()
    record_models = [Leader, LeaderOffice, Pairing, ContactRecord, FollowUp, EventReport, ReportStep, MustVisit]
    record_models += [CheckupRound, CheckupAttendance, RecuperationTrip, RecuperationAttendance]
    record_models += [GreenChannelRequest, HealthLecture, FamilySupport]
    records_before = [model.objects.count() for model in record_models]

    load_demo()

    assert list(Page.objects.values_list("path", "slug", "title")) == pages_before
    assert get_user_model().objects.count() == users_before
    assert [model.objects.count() for model in record_models] == records_before


@pytest.mark.django_db
def test_demo_content_refuses_a_database_with_other_content():
    get_user_model().objects.create_user("real-editor", password="x")
    with pytest.raises(CommandError, match="--force"):
        load_demo()
    assert not HomePage.objects.exists()

    load_demo(force=True)
    assert HomePage.objects.count() == 1
