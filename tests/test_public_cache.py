"""The full-page cache: fast for anonymous readers, never stale after publishing, never personal."""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from base.models import PortalSettings
from news.models import NewsPage
from tests.public_builders import build_sections


@pytest.fixture
def sections(db):
    return build_sections()


def add_news(sections, title):
    page = NewsPage(title=title, category="work", summary="摘要", body=[])
    sections["news"].add_child(instance=page)
    page.save_revision().publish()
    return page


def test_anonymous_readers_get_the_stored_page(client, sections):
    first = client.get("/news/")
    assert first["X-Page-Cache"] == "miss"
    second = client.get("/news/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert client.head("/news/")["X-Page-Cache"] == "hit"


def test_publishing_unpublishing_and_settings_retire_stored_pages(client, sections, django_capture_on_commit_callbacks):
    client.get("/news/")
    with django_capture_on_commit_callbacks(execute=True):
        page = add_news(sections, "新发布的动态")
    response = client.get("/news/")
    assert response["X-Page-Cache"] == "miss"
    assert "新发布的动态" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert "新发布的动态" not in client.get("/news/").content.decode()

    settings = PortalSettings.for_site(sections["home"].get_site())
    settings.hotline = "0772-1111111"
    with django_capture_on_commit_callbacks(execute=True):
        settings.save()
    assert "0772-1111111" in client.get("/news/").content.decode()


def test_stored_pages_stay_until_the_change_is_committed(client, sections, django_capture_on_commit_callbacks):
    client.get("/news/")
    with django_capture_on_commit_callbacks() as retirements:
        add_news(sections, "新发布的动态")
        assert client.get("/news/")["X-Page-Cache"] == "hit"
    assert retirements


@pytest.mark.django_db(transaction=True)
def test_a_page_rendered_between_publishing_and_commit_is_not_kept(client):
    """Another worker (thread, own database connection) renders the page while the publish
    is not yet committed: it sees the old content, which must not outlive the commit."""
    sections = build_sections()
    seen_by_the_other_worker = []

    def other_worker():
        try:
            seen_by_the_other_worker.append(Client().get("/news/").content.decode())
        finally:
            connection.close()

    with transaction.atomic():
        add_news(sections, "新发布的动态")
        worker = threading.Thread(target=other_worker)
        worker.start()
        worker.join()
    assert "新发布的动态" not in seen_by_the_other_worker[0]
    assert "新发布的动态" in client.get("/news/").content.decode()


def test_signed_in_editors_bypass_the_cache(client, sections):
    client.get("/news/")
    assert client.get("/news/")["X-Page-Cache"] == "hit"
    client.force_login(User.objects.create_superuser("editor", password="pw"))
    response = client.get("/news/")
    assert "X-Page-Cache" not in response
    assert "wagtail-userbar" in response.content.decode()


def test_pages_with_forms_or_cookies_are_never_stored(client, sections):
    # The contact page has a form with a CSRF token and per-visitor results.
    for _ in range(2):
        response = client.get("/contact/")
        assert "X-Page-Cache" not in response
    assert "X-Page-Cache" not in client.get("/no-such-page/")


def test_previews_are_never_stored_or_served_to_the_public(client, sections):
    page = add_news(sections, "公开标题")
    client.get(page.url)
    page.title = "尚未审核的草稿标题"
    page.save_revision()
    client.force_login(User.objects.create_superuser("editor", password="pw"))
    preview = client.get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,)))
    assert "尚未审核的草稿标题" in preview.content.decode()
    client.logout()
    public = client.get(page.url).content.decode()
    assert "公开标题" in public
    assert "尚未审核的草稿标题" not in public


def test_search_feeds_and_sitemap_are_stored_too(client, sections):
    for url in ["/search/?q=人才", "/feeds/news/", "/sitemap.xml"]:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def test_parameters_a_page_does_not_read_share_its_stored_page(client, sections):
    assert client.get("/news/?utm=random1")["X-Page-Cache"] == "miss"
    assert client.get("/news/?utm=random2")["X-Page-Cache"] == "hit"
    assert client.get("/news/")["X-Page-Cache"] == "hit"
    assert client.get("/news/?category=&page=%20&utm=random3")["X-Page-Cache"] == "hit"  # blank = absent
    assert client.get("/search/?q=人才&utm=random1")["X-Page-Cache"] == "miss"
    assert client.get("/search/?utm=random2&q=%E4%BA%BA%E6%89%8D")["X-Page-Cache"] == "hit"


def test_parameters_a_page_reads_make_their_own_entries_whatever_their_order(client, sections, monkeypatch):
    monkeypatch.setattr("news.models.NEWS_PER_PAGE", 1)
    add_news(sections, "较早的动态")
    add_news(sections, "最新的动态")
    first = client.get("/news/?page=1")
    second = client.get("/news/?page=2&utm=random1")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "miss")
    assert "最新的动态" in first.content.decode()
    assert "较早的动态" in second.content.decode()
    # The page never saw the tracking tag, so its links do not carry it to other visitors.
    assert "utm" not in second.content.decode()

    assert client.get("/news/?category=work&page=2")["X-Page-Cache"] == "miss"
    again = client.get("/news/?page=2&category=work&utm=random2")
    assert again["X-Page-Cache"] == "hit"
    assert "较早的动态" in again.content.decode()
    assert client.get("/search/?q=人才&page=2")["X-Page-Cache"] == "miss"
    assert client.get("/search/?q=专家&page=2")["X-Page-Cache"] == "miss"


def test_restricting_a_page_retires_its_stored_copy(client, sections, django_capture_on_commit_callbacks):
    page = add_news(sections, "仅限登录查看的动态")
    client.get(page.url)
    assert client.get(page.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302
    assert "仅限登录查看的动态" not in response.content.decode()
