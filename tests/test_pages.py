"""The page tree, the shared layout and the site settings that templates read."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error
from wagtail.models import Site
from wagtail.test.utils import WagtailPageTestCase

from base.models import PortalSettings, StandardPage
from experts.models import ExpertDirectoryPage
from home.models import HomePage
from honours.models import HonourIndexPage
from intake.models import ContactPage
from news.models import NewsIndexPage
from services.models import ServiceIndexPage
from spotlight.models import SpotlightIndexPage

SECTION_PAGE_TYPES = [
    ExpertDirectoryPage,
    SpotlightIndexPage,
    HonourIndexPage,
    NewsIndexPage,
    ServiceIndexPage,
    ContactPage,
]


class PageTreeRulesTests(WagtailPageTestCase):
    def test_sections_live_directly_under_the_home_page(self):
        for page_type in SECTION_PAGE_TYPES:
            self.assertAllowedParentPageTypes(page_type, {HomePage})
            self.assertEqual(page_type.max_count, 1)

    def test_home_page_accepts_the_sections_and_standard_pages(self):
        self.assertAllowedSubpageTypes(HomePage, {*SECTION_PAGE_TYPES, StandardPage})


@pytest.fixture
def portal_settings(demo_site):
    return PortalSettings.for_site(demo_site)


@pytest.mark.django_db
def test_layout_reads_contact_details_from_site_settings(client, portal_settings):
    portal_settings.portal_name = "测试专家人才门户"
    portal_settings.hotline = "0772-1234567"
    portal_settings.mailbox = "office@example.cn"
    portal_settings.office_address = "来宾市测试路1号"
    portal_settings.icp_number = "桂ICP备12345678号"
    portal_settings.save()

    html = client.get("/about/").content.decode()

    for value in ["测试专家人才门户", "0772-1234567", "office@example.cn", "来宾市测试路1号", "桂ICP备12345678号"]:
        assert value in html
    assert "0772-4278067" not in html  # the default is not hard-coded anywhere


@pytest.mark.django_db
def test_layout_has_skip_link_landmarks_and_current_section(client, demo_site):
    html = client.get("/news/").content.decode()
    assert 'lang="zh-CN"' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<nav class="main-nav" aria-label="主导航">' in html
    assert '<a href="/news/" aria-current="page">新闻公告</a>' in html
    assert '<nav class="breadcrumbs" aria-label="当前位置">' in html


@pytest.mark.django_db
def test_menu_is_built_from_the_page_tree(client, demo_site):
    news = NewsIndexPage.objects.get()
    news.show_in_menus = False
    news.save_revision().publish()
    html = client.get("/").content.decode()
    assert ">新闻公告</a>" not in html.split('<main id="main"')[0]
    assert ">专家风采</a>" in html


@pytest.mark.django_db
def test_404_page_is_friendly_and_in_chinese(client, demo_site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "抱歉，您访问的页面不存在" in html
    assert PortalSettings.for_site(demo_site).hotline in html


def test_500_page_is_in_chinese_and_needs_no_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "抱歉，服务暂时出现问题" in response.content.decode()


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap_and_hides_the_admin(client, demo_site):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


@pytest.mark.django_db
def test_sitemap_lists_the_sections(client, demo_site):
    xml = client.get("/sitemap.xml").content.decode()
    for slug in ["experts", "spotlight", "honours", "news", "services", "contact"]:
        assert f"/{slug}/</loc>" in xml


@pytest.mark.django_db
def test_healthz_answers_when_the_database_does(client):
    assert client.get("/healthz").content == b"ok"


@pytest.mark.django_db
def test_site_settings_belong_to_the_default_site(demo_site):
    assert PortalSettings.for_site(Site.objects.get(is_default_site=True)).privacy_page.slug == "privacy"
