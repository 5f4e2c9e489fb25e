"""The public search finds Chinese words inside longer runs, ranks title matches first, highlights, pages, filters."""

import io
import re

import pytest

from base.demo import DemoContext
from base.demo import build as build_base
from home.demo import build as build_home
from news.models import NewsCategory, NewsPage
from search.segmentation import query_words, segment
from spotlight.models import SpecialColumn, SpotlightArticlePage


@pytest.fixture
def sections(db):
    demo = DemoContext(stdout=io.StringIO())
    build_base(demo)
    build_home(demo)
    return demo.pages


@pytest.fixture
def column(db):
    column = SpecialColumn.objects.create(name="专家风采录", slug="fengcai", description="专栏")
    column.save_revision().publish()
    return column


def add_news(sections, title, summary="", body="", live=True):
    page = NewsPage(
        title=title,
        category=NewsCategory.WORK,
        summary=summary or "摘要",
        body=[("paragraph", f"<p>{body or '正文'}</p>")],
    )
    sections["news"].add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    else:
        page.unpublish()
    return page


def add_article(sections, column, title, body=""):
    article = SpotlightArticlePage(
        title=title, author="本网记者", summary="摘要", body=[("paragraph", f"<p>{body or '正文'}</p>")]
    )
    article.columns = [column]
    sections["spotlight"].add_child(instance=article)
    article.save_revision().publish()
    return article


def search(client, **params):
    html = client.get("/search/", params).content.decode()
    titles = [re.sub(r"<[^>]+>", "", title) for title in re.findall(r'search-result__title"><a [^>]*>(.*?)</a>', html)]
    return titles, html


def test_segmentation_splits_runs_into_search_words():
    assert segment("来宾市人民医院") == "来宾 来宾市 人民 医院"
    assert "医学" in segment("医学博士张某某扎根基层").split()
    assert query_words("  人民医院  ") == ["人民", "医院"]
    assert query_words("，。！") == []


def test_a_word_inside_a_longer_title_is_found(client, sections):
    add_news(sections, "医学博士张某某扎根基层")
    add_news(sections, "来宾市人民医院")
    add_news(sections, "农业科技下乡")

    assert search(client, q="医学")[0] == ["医学博士张某某扎根基层"]
    assert search(client, q="人民医院")[0] == ["来宾市人民医院"]
    assert search(client, q="张某某")[0] == ["医学博士张某某扎根基层"]


def test_words_in_summaries_and_bodies_are_found(client, sections):
    add_news(sections, "专家座谈会", summary="现任来宾市人民医院心内科主任")
    add_news(sections, "服务指南", body="专家人才可享受年度健康体检服务")

    assert search(client, q="心内科")[0] == ["专家座谈会"]
    assert search(client, q="体检")[0] == ["服务指南"]


def test_every_word_of_the_query_must_match(client, sections):
    add_news(sections, "来宾市人民医院")
    add_news(sections, "人民群众的健康")
    assert search(client, q="人民医院")[0] == ["来宾市人民医院"]


def test_title_matches_rank_before_body_matches(client, sections):
    add_news(sections, "工作简报", body="医院 医院 医院 医院 医院，多次提到医院的正文")
    add_news(sections, "来宾市人民医院开展义诊")
    titles, _ = search(client, q="医院")
    assert titles == ["来宾市人民医院开展义诊", "工作简报"]


def test_results_are_highlighted_and_escaped(client, sections):
    add_news(sections, "医学博士<b>张某某</b>扎根基层", summary="医学博士张某某在基层医院工作二十年")
    _, html = search(client, q="医学")
    assert "<mark>医学</mark>博士&lt;b&gt;张某某&lt;/b&gt;扎根基层" in html
    assert "<mark>医学</mark>博士张某某在基层医院工作二十年" in html

    add_news(sections, "来宾市人民医院")
    _, html = search(client, q="人民医院")
    assert "来宾市<mark>人民医院</mark>" in html


def test_results_are_paginated_keeping_the_query(client, sections):
    for number in range(12):
        add_news(sections, f"甘蔗良种推广第{number + 1}期")

    titles, html = search(client, q="甘蔗")
    assert len(titles) == 10
    assert "找到 12 条" in html
    assert 'href="?q=%E7%94%98%E8%94%97&amp;page=2"' in html

    titles, _ = search(client, q="甘蔗", page=2)
    assert len(titles) == 2
    assert search(client, q="甘蔗", page="abc")[0] == search(client, q="甘蔗")[0]


def test_results_can_be_limited_to_a_section(client, sections, column):
    add_news(sections, "医学人才座谈会")
    add_article(sections, column, "医学博士张某某扎根基层")

    assert sorted(search(client, q="医学")[0]) == ["医学人才座谈会", "医学博士张某某扎根基层"]
    assert search(client, q="医学", section="news")[0] == ["医学人才座谈会"]
    assert search(client, q="医学", section="spotlight")[0] == ["医学博士张某某扎根基层"]
    # An unknown section searches everything rather than failing.
    assert len(search(client, q="医学", section="nope")[0]) == 2


def test_drafts_and_unpublished_pages_are_not_found(client, sections):
    add_news(sections, "医学博士草稿", live=False)
    assert search(client, q="医学")[0] == []


def test_empty_and_punctuation_queries_show_the_prompt(client, sections):
    add_news(sections, "医学博士张某某扎根基层")
    for query in ["", "   ", "，。"]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert search(client, q=query)[0] == []
