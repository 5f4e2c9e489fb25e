"""Every public page type renders what a reader needs, with filters, pagination, images and metadata."""

import itertools
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils import WagtailPageTestCase

from experts.models import Expert
from experts.models.pages import ExpertDirectoryPage, ExpertProfilePage
from home.models import HomePage
from honours.models import HonourIndexPage, HonourPage, HonourRecipient
from news.models import NewsIndexPage, NewsPage
from services.models import ServiceIndexPage, ServicePage
from spotlight.models import SpecialColumn, SpotlightArticleExpert, SpotlightArticlePage, SpotlightIndexPage
from tests.experts_builders import make_expert, make_superuser
from tests.public_builders import build_public_demo, build_sections, give_consent, make_profile


class PublicPageTreeTests(WagtailPageTestCase):
    def test_each_index_holds_its_own_page_type_only(self):
        self.assertAllowedSubpageTypes(SpotlightIndexPage, {SpotlightArticlePage})
        self.assertAllowedSubpageTypes(HonourIndexPage, {HonourPage})
        self.assertAllowedSubpageTypes(ExpertDirectoryPage, {ExpertProfilePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedSubpageTypes(ServiceIndexPage, {ServicePage})
        for leaf in [SpotlightArticlePage, HonourPage, ExpertProfilePage, NewsPage, ServicePage]:
            self.assertAllowedSubpageTypes(leaf, set())


@pytest.fixture
def public_demo(db):
    return build_public_demo()


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_page_type_of_the_demo_renders(client, public_demo):
    profile = public_demo[0]
    article = SpotlightArticlePage.objects.live().order_by("pk").first()
    honour = HonourPage.objects.live().order_by("pk").first()
    policy = NewsPage.objects.live().get(slug="lianxi-zhuanjia-fangan")
    service = ServicePage.objects.live().get(slug="lvse-tongdao")
    column = SpecialColumn.objects.get(slug="zhuanjia-fengcai")
    expectations = {
        "/": ["尊重人才 服务人才 成就人才", "头条", "专家风采", "通知公告", "荣誉表彰", "快捷入口", "0772-4278067"],
        "/spotlight/": ["专题专栏", "人才下基层", "专家风采录", "全部文章"],
        column.url: [column.name, column.description, "专栏文章"],
        article.url: [article.title, article.author, "文中专家", profile.title],
        "/honours/": ["2026年", "2025年", "2024年", honour.title],
        honour.url: [honour.conferred_title, honour.conferring_body, "获得者", "表彰事迹"],
        "/experts/": ["专业领域", "人才队伍", ExpertProfilePage.objects.live().order_by("title").first().title],
        profile.url: [profile.title, profile.field, "所获荣誉", "相关报道"],
        "/news/": ["工作动态", "通知公告", "政策文件", "订阅新闻公告"],
        policy.url: [policy.title, "附件", "（全文）", policy.document_number],
        "/services/": [
            "医疗绿色通道",
            "年度健康体检",
            "休假疗养",
            "项目申报与资金支持",
            "金融支持",
            "学术交流与研修",
            "政策咨询",
        ],
        service.url: ["服务对象和条件", "办理流程", "所需材料", "承办单位和咨询电话", service.phone],
        "/about/": ["工作方案"],
        "/privacy/": ["个人信息保护说明"],
    }
    for url, texts in expectations.items():
        html = html_of(client, url)
        for text in texts:
            assert text in html, (url, text)


def test_pages_have_one_h1_headings_in_order_alt_text_and_labelled_controls(client, public_demo):
    article = SpotlightArticlePage.objects.live().order_by("pk").first()
    urls = ["/", "/spotlight/", article.url, "/honours/", "/experts/", public_demo[0].url, "/news/", "/services/"]
    for url in urls:
        soup = BeautifulSoup(html_of(client, url), "html.parser")
        assert len(soup.find_all("h1")) == 1, url
        levels = [int(heading.name[1]) for heading in soup.find_all(re.compile("^h[1-6]$"))]
        assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels)), (url, levels)
        for image in soup.find_all("img"):
            assert image.get("alt"), (url, image)
        for control in soup.select("input:not([type=hidden]), select, textarea"):
            assert soup.find("label", attrs={"for": control.get("id")}), (url, control)


def test_images_are_responsive_webp_and_lazy_below_the_fold(client, public_demo):
    soup = BeautifulSoup(html_of(client, "/spotlight/"), "html.parser")
    card = soup.select_one(".article-card picture")
    assert card.select_one('source[type="image/webp"]')["srcset"].count("w,") == 1  # two widths
    assert card.select_one("img")["loading"] == "lazy"
    assert card.select_one("img")["sizes"]

    lead = BeautifulSoup(html_of(client, "/"), "html.parser").select_one(".lead-story img")
    assert lead["loading"] == "eager"  # above the fold


def test_home_blocks_are_editable_and_read_site_settings(client, public_demo):
    home = HomePage.objects.get()
    assert [block.block_type for block in home.body] == [
        "lead_story",
        "contact_card",
        "quick_links",
        "latest_spotlights",
        "latest_news",
        "latest_honours",
    ]
    home.body = [("latest_news", {"heading": "政策速递", "count": 1, "category": "policy"})]
    home.save_revision().publish()
    html = html_of(client, "/")
    assert "政策速递" in html
    assert html.count('class="meta"><time') == 1
    assert "头条" not in html


def test_article_shows_previous_and_next_within_each_column(client, public_demo):
    column = SpecialColumn.objects.get(slug="rencai-xia-jiceng")
    in_column = list(SpotlightArticlePage.objects.live().filter(columns=column).order_by("date", "pk"))
    middle = in_column[1]
    soup = BeautifulSoup(html_of(client, middle.url), "html.parser")
    nav = soup.find("nav", attrs={"aria-label": re.compile(column.name)})
    assert nav.find("a", rel="prev")["href"] == in_column[0].url
    assert nav.find("a", rel="next")["href"] == in_column[2].url


def test_column_page_lists_only_its_articles_and_paginates(client, public_demo):
    column = SpecialColumn.objects.get(slug="zhuanjia-fengcai")
    expected = SpotlightArticlePage.objects.live().filter(columns=column).count()
    html = html_of(client, column.url)
    assert html.count('class="card article-card"') == min(expected, 9)
    other_only = SpotlightArticlePage.objects.live().exclude(columns=column).first()
    assert other_only.title not in html
    assert 'rel="canonical" href="http://localhost/spotlight/column/zhuanjia-fengcai/"' in html

    index_html = html_of(client, "/spotlight/?page=2")
    assert index_html.count('class="card article-card"') == 12 - 9
    assert client.get("/spotlight/column/no-such-column/").status_code == 404


def test_honours_group_by_year_and_filter_by_type(client, public_demo):
    html = html_of(client, "/honours/")
    assert html.index("2026年</h2>") < html.index("2025年</h2>") < html.index("2024年</h2>")
    awards = html_of(client, "/honours/?type=award")
    assert "科学技术进步奖" in awards
    assert "优秀专家" not in awards.split('<main id="main"')[1].split("</main>")[0]
    assert 'option value="award" selected' in awards


def test_honour_lists_profiles_and_teams_but_not_withdrawn_profiles(
    client, public_demo, django_capture_on_commit_callbacks
):
    honour = HonourPage.objects.get(slug="2024-kejin-jiangli")
    profile = public_demo[0]
    honour.recipients.add(HonourRecipient(profile=profile))
    honour.save_revision().publish()
    html = html_of(client, honour.url)
    assert f'<a href="{profile.url}">{profile.title}</a>' in html
    assert "甘蔗良种繁育技术团队" in html

    with django_capture_on_commit_callbacks(execute=True):  # committed: the page cache is retired
        profile.unpublish()
    html = html_of(client, honour.url)
    assert profile.title not in html
    assert "甘蔗良种繁育技术团队" in html


def test_directory_filters_by_field_and_team_and_paginates(client, public_demo):
    profiles = ExpertProfilePage.objects.live()
    html = html_of(client, "/experts/")
    assert f"共 {profiles.count()} 位专家" in html

    sample = profiles.order_by("pk").first()
    by_field = html_of(client, f"/experts/?field={sample.field}")
    assert f"共 {profiles.filter(field=sample.field).count()} 位专家" in by_field
    by_team = html_of(client, f"/experts/?team={sample.talent_team}")
    assert f"共 {profiles.filter(talent_team=sample.talent_team).count()} 位专家" in by_team
    assert f"共 {profiles.count()} 位专家" in html_of(client, "/experts/?team=nonsense")


def test_news_filters_by_category_and_policies_carry_attachments(client, public_demo):
    notices = html_of(client, "/news/?category=notice")
    assert "关于组织2026年度专家人才健康体检的通知" in notices
    assert "市领导与专家人才代表座谈交流" not in notices
    policy = NewsPage.objects.get(slug="lianxi-zhuanjia-fangan")
    soup = BeautifulSoup(html_of(client, policy.url), "html.parser")
    link = soup.select_one(".attachments .document-link a")
    assert link["href"].startswith("/documents/")
    assert client.get(link["href"]).status_code == 200


def test_service_guide_links_to_the_contact_form_with_the_service(client, public_demo):
    service = ServicePage.objects.get(slug="jiankang-tijian")
    html = html_of(client, service.url)
    assert 'href="/contact/?service=jiankang-tijian"' in html


def test_meta_canonical_open_graph_and_json_ld(client, public_demo):
    article = SpotlightArticlePage.objects.live().order_by("pk").first()
    soup = BeautifulSoup(html_of(client, article.url), "html.parser")
    assert soup.find("meta", attrs={"name": "description"})["content"] == article.summary
    assert soup.find("link", rel="canonical")["href"] == f"http://localhost{article.url}"
    assert soup.find("meta", property="og:type")["content"] == "article"
    assert soup.find("meta", property="og:image")["content"].startswith("http://testserver/")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "Article"
    assert data["headline"] == article.title
    assert data["publisher"]["telephone"] == "0772-4278067"

    home = BeautifulSoup(html_of(client, "/"), "html.parser")
    assert json.loads(home.find("script", type="application/ld+json").string)["@type"] == "WebSite"


def test_print_styles_and_larger_text_toggle_are_in_place(client, public_demo):
    html = html_of(client, "/")
    assert 'data-text-size-toggle aria-pressed="false"' in html
    # The size is applied by a script in <head> that is not deferred (a static file: no inline scripts).
    head = BeautifulSoup(html, "html.parser").head
    script = head.find("script", src=re.compile(r"js/portal\.js"))
    assert not script.has_attr("defer") and not script.has_attr("async")
    js = b"".join(client.get(script["src"]).streaming_content).decode()
    assert "localStorage.getItem(STORAGE_KEY)" in js
    css = b"".join(client.get("/static/css/portal.css").streaming_content).decode()
    assert "@media print" in css
    assert "html.text-large" in css


@pytest.fixture
def sections(db):
    return build_sections()


def test_profile_refuses_experts_without_consent_and_unconsented_fields(sections):
    admin = make_superuser()
    expert = make_expert(admin)
    profile = ExpertProfilePage(
        title=expert.name, expert=expert, field="医疗卫生", talent_team="professional_technical", summary="简介"
    )
    with pytest.raises(ValidationError) as refused:
        profile.full_clean()
    assert "未同意公开简介" in str(refused.value)

    give_consent([expert], shows_unit=False, shows_title=False)
    profile.expert = Expert.objects.get(pk=expert.pk)
    profile.unit_name = "来宾市人民医院"
    profile.professional_title = "主任医师"
    with pytest.raises(ValidationError) as refused:
        profile.full_clean()
    assert set(refused.value.message_dict) >= {"unit_name", "professional_title"}


def test_honour_recipient_is_an_expert_or_a_team(sections):
    with pytest.raises(ValidationError, match="二选一"):
        HonourRecipient(team_name="").clean()
    HonourRecipient(team_name="胸痛中心团队").clean()


def test_column_cover_needs_alt_text():
    column = SpecialColumn(name="专栏", slug="zl", description="简介", cover_image_id=1)
    with pytest.raises(ValidationError) as refused:
        column.clean()
    assert "cover_alt" in refused.value.message_dict


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_listings_and_articles_use_a_constant_number_of_queries(client, sections, django_capture_on_commit_callbacks):
    admin = make_superuser()
    column = SpecialColumn.objects.create(name="专栏", slug="zl", description="简介")
    column.save_revision().publish()

    def add_profiles(count):
        experts = [make_expert(admin) for _ in range(count)]
        give_consent(experts)
        return [make_profile(Expert.objects.get(pk=expert.pk)) for expert in experts]

    def add_article(profiles):
        article = SpotlightArticlePage(title="文章", author="记者", summary="摘要", body=[])
        article.columns = [column]
        article.related_experts = [SpotlightArticleExpert(profile=profile) for profile in profiles]
        sections["spotlight"].add_child(instance=article)
        article.save_revision().publish()
        return article

    add_article([])  # the next two have a previous article in the column
    small = add_article(add_profiles(2))
    few = {url: count_queries(client, url) for url in ["/experts/", "/spotlight/", small.url]}
    with django_capture_on_commit_callbacks(execute=True):  # committed: the page cache is retired
        large = add_article(add_profiles(10))
    assert count_queries(client, "/experts/") == few["/experts/"]
    assert count_queries(client, "/spotlight/") == few["/spotlight/"]
    assert count_queries(client, large.url) == few[small.url]


def test_related_experts_block_shows_live_profiles_only(client, sections):
    admin = make_superuser()
    experts = [make_expert(admin) for _ in range(2)]
    give_consent(experts)
    shown, withdrawn = (make_profile(Expert.objects.get(pk=expert.pk)) for expert in experts)
    news = NewsPage(
        title="专家座谈会",
        category="work",
        summary="摘要",
        body=[("related_experts", {"heading": "参会专家", "profiles": [shown, withdrawn]})],
    )
    sections["news"].add_child(instance=news)
    news.save_revision().publish()
    withdrawn.unpublish()

    html = html_of(client, news.url)
    assert "参会专家" in html
    assert f'<a href="{shown.url}">{shown.title}</a>' in html
    assert withdrawn.title not in html
