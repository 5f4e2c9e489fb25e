"""The full-page cache: fast for anonymous readers, never stale after publishing, never personal."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

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


def test_publishing_unpublishing_and_settings_retire_stored_pages(client, sections):
    client.get("/news/")
    page = add_news(sections, "新发布的动态")
    response = client.get("/news/")
    assert response["X-Page-Cache"] == "miss"
    assert "新发布的动态" in response.content.decode()

    page.unpublish()
    assert "新发布的动态" not in client.get("/news/").content.decode()

    settings = PortalSettings.for_site(sections["home"].get_site())
    settings.hotline = "0772-1111111"
    settings.save()
    assert "0772-1111111" in client.get("/news/").content.decode()


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
