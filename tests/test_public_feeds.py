"""RSS feeds for news and spotlights, the sitemap and robots.txt validate and list what is public."""

import datetime

import pytest
from defusedxml import ElementTree

from news.models import NewsPage
from spotlight.models import SpecialColumn, SpotlightArticlePage
from tests.public_builders import build_sections

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def content(db):
    sections = build_sections()
    column = SpecialColumn.objects.create(name="专家风采录", slug="fengcai", description="专栏")
    column.save_revision().publish()
    article = SpotlightArticlePage(
        title="医学博士张某某扎根基层", author="本网记者", summary="文章摘要", body=[], date=datetime.date(2026, 3, 5)
    )
    article.columns = [column]
    sections["spotlight"].add_child(instance=article)
    article.save_revision().publish()
    news = NewsPage(
        title="关于组织健康体检的通知", category="notice", summary="通知摘要", body=[], date=datetime.date(2025, 12, 31)
    )
    sections["news"].add_child(instance=news)
    news.save_revision().publish()
    draft = NewsPage(title="未发布的草稿", category="work", summary="草稿", body=[])
    sections["news"].add_child(instance=draft)
    draft.save_revision()
    draft.unpublish()
    return article, news, column


def rss_items(client, url, section_url):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.find(required).text, required
    assert channel.findtext("link") == f"http://testserver{section_url}"
    return channel.findall("item")


def test_news_feed_lists_published_items(client, content):
    _, news, _ = content
    items = rss_items(client, "/feeds/news/", "/news/")
    assert [item.findtext("title") for item in items] == [news.title]
    item = items[0]
    assert item.findtext("link") == f"http://testserver{news.url}"
    assert item.findtext("description") == "通知摘要"
    assert item.findtext("category") == "通知公告"
    assert item.findtext("pubDate") == "Wed, 31 Dec 2025 00:00:00 +0800"  # the page's date, not when it went live


def test_spotlight_feed_lists_articles_with_author_and_column(client, content):
    article, _, column = content
    items = rss_items(client, "/feeds/spotlight/", "/spotlight/")
    assert [item.findtext("title") for item in items] == [article.title]
    item = items[0]
    assert item.findtext("link") == f"http://testserver{article.url}"
    assert item.findtext("description") == "文章摘要"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "本网记者"
    assert item.findtext("category") == column.name
    assert item.findtext("pubDate") == "Thu, 05 Mar 2026 00:00:00 +0800"


def test_pages_link_to_the_feeds(client, content):
    html = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="新闻公告" href="/feeds/news/">' in html
    assert '<link rel="alternate" type="application/rss+xml" title="专家风采" href="/feeds/spotlight/">' in html


def test_sitemap_lists_live_pages_and_column_pages(client, content):
    article, news, column = content
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    assert root.tag == f"{SITEMAP_NS}urlset"
    locations = [url.findtext(f"{SITEMAP_NS}loc") for url in root.findall(f"{SITEMAP_NS}url")]
    assert f"http://localhost{article.url}" in locations
    assert f"http://localhost{news.url}" in locations
    assert f"http://localhost/spotlight/column/{column.slug}/" in locations
    assert not any("未发布" in location for location in locations)
    assert all(
        url.findtext(f"{SITEMAP_NS}lastmod")
        for url in root.findall(f"{SITEMAP_NS}url")
        if "/news/" in url.findtext(f"{SITEMAP_NS}loc")
    )


def test_robots_txt_names_the_sitemap(client, content):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()
