"""What a page costs when the page cache cannot answer: few queries, shared parts kept per generation."""

import pytest
from django.conf import settings
from django.db import connection
from django.template import Context, Template
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from news.models import NewsIndexPage, NewsPage
from spotlight.models import SpecialColumn, SpotlightArticlePage
from tests.public_builders import build_public_demo

WITHOUT_PAGE_CACHE = [name for name in settings.MIDDLEWARE if not name.endswith(".PublicPageCacheMiddleware")]


@pytest.fixture
def public_demo(db):
    return build_public_demo()


@pytest.fixture
def rendering_client():
    """A visitor's client whose every request renders its page, as on a page-cache miss."""
    with override_settings(MIDDLEWARE=WITHOUT_PAGE_CACHE):
        yield Client()


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_render_with_few_queries(rendering_client, public_demo):
    # They took 25 to 40 when every request read the menu, the settings, the site, the way to
    # the page level by level, its view restrictions, each card's images and an article's columns.
    article = SpotlightArticlePage.objects.live().order_by("pk").first()
    news = NewsPage(title="中文网址的动态", category="work", summary="摘要", body=[])  # a slug in Chinese
    NewsIndexPage.objects.get().add_child(instance=news)
    news.save_revision().publish()
    most = {"/": 9, article.url: 8, "/spotlight/": 6, "/experts/": 6, "/news/": 4, news.url: 2}
    for url, limit in most.items():
        rendering_client.get(url)  # what pages share is read once per generation
        assert queries_of(rendering_client, url) <= limit, url


def test_what_pages_share_follows_publishing(rendering_client, public_demo, django_capture_on_commit_callbacks):
    article = SpotlightArticlePage.listing(SpotlightArticlePage.objects.live()).first()  # first on /spotlight/
    old_url = article.url
    assert article.title in rendering_client.get("/spotlight/").content.decode()  # its card is kept

    article.title = "改过标题的专家风采"
    article.slug = "renamed-article"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    article.refresh_from_db()
    assert "改过标题的专家风采" in rendering_client.get("/spotlight/").content.decode()
    moved = rendering_client.get(old_url)  # the way to it was kept too: now Wagtail's redirect
    assert (moved.status_code, moved["Location"]) == (301, article.url)
    assert "改过标题的专家风采" in rendering_client.get(article.url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert rendering_client.get(article.url).status_code == 404
    assert "改过标题的专家风采" not in rendering_client.get("/spotlight/").content.decode()


def test_picture_builds_its_filters_once_and_renders_as_wagtails(public_demo):
    image = get_image_model().objects.first()
    tag = "{% picture image format-{webp,jpeg} fill-{400x225,800x450} alt='' %}"
    ours = Template("{% load picture_tags %}" + tag)
    wagtails = Template("{% load wagtailimages_tags %}" + tag)
    node = ours.nodelist[-1]
    assert node.get_filters() is node.get_filters()
    assert ours.render(Context({"image": image})) == wagtails.render(Context({"image": image}))


def test_kept_routes_serve_what_wagtail_routes(rendering_client, public_demo):
    column = SpecialColumn.objects.filter(live=True).first()
    for _ in range(2):  # routed by Wagtail, then from what was kept
        response = rendering_client.get(column.url)
        assert response.status_code == 200
        assert response.context["column"] == column
        assert rendering_client.get("/spotlight/column/no-such-column/").status_code == 404
        assert rendering_client.get("/no-such-page/").status_code == 404


def test_view_restrictions_still_apply(rendering_client, public_demo, django_capture_on_commit_callbacks):
    news = NewsPage.objects.live().first()
    assert rendering_client.get(news.url).status_code == 200  # "no restriction anywhere" is kept
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=news.get_parent(), restriction_type=PageViewRestriction.LOGIN)
    assert rendering_client.get(news.url).status_code == 302
    assert rendering_client.get("/spotlight/").status_code == 200
