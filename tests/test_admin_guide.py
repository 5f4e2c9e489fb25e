"""The admin's 帮助 menu leads to the portal's own Chinese guide (/admin/guide/), which shows each role
only the sections it can use; the dashboard's page search shows only to users who can explore pages."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from playwright.sync_api import expect

from experts.demo import STAFF_USERS
from liaison.demo import LEADER_USERNAME, LIAISON_USERNAME, OFFICE_USERNAME
from staff.guide import SECTIONS
from staff.levels import Level
from staff.roles import (
    CITY_OFFICE,
    COUNTY_OFFICE,
    DEPARTMENT_USERS,
    EDITORS,
    FINAL_REVIEWERS,
    LEADER_OFFICES,
    LEADERS,
    REVIEWERS,
    UNIT_LIAISONS,
)

from .browser_sign_in import sign_in
from .conftest import PHONE
from .experts_builders import make_staff, make_superuser

GUIDE_URL = "/admin/guide/"
SECTION_ID = re.compile(r'<section id="guide-([a-z-]+)"')


def help_menu(html):
    """The 帮助 menu's items as Wagtail hands them to the sidebar's script: [(label, url)]."""
    props = re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)

    def nodes(value):
        if isinstance(value, dict):
            yield value
        for child in value.values() if isinstance(value, dict) else value if isinstance(value, list) else []:
            yield from nodes(child)

    menu = next(
        node
        for node in nodes(json.loads(props.group(1)))
        if node.get("_type") == "wagtail.sidebar.SubMenuItem" and node["_args"][0]["name"] == "help"
    )
    return [(item["_args"][0]["label"], item["_args"][0]["url"]) for item in menu["_args"][1]]


class AdminLinks(HTMLParser):
    """The admin links inside the guide's own content (not the sidebar's)."""

    def __init__(self):
        super().__init__()
        self.inside = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and "portal-guide" in attrs.get("class", "").split():
            self.inside = 1
        elif self.inside and tag == "div":
            self.inside += 1
        elif self.inside and tag == "a" and attrs["href"].startswith("/admin/"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self.inside and tag == "div":
            self.inside -= 1


def guide_links(html):
    parser = AdminLinks()
    parser.feed(html)
    return parser.links


@pytest.mark.django_db
def test_the_help_menu_holds_the_portal_guide_and_no_english_wagtail_links(client):
    client.force_login(make_staff("xingbin", Level.XINGBIN))
    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert help_menu(html) == [("使用指南", GUIDE_URL), ("键盘快捷键", "#")]
    assert "guide.wagtail.org" not in html  # the dashboard's account summary links the guide too
    assert f'href="{GUIDE_URL}">使用指南</a>' in html


GROUP_SECTIONS = [
    (CITY_OFFICE, Level.CITY, ["workbench", "experts", "liaison", "programme", "intake", "inbox", "exports"]),
    (COUNTY_OFFICE, Level.XINGBIN, ["workbench", "experts", "liaison", "programme", "intake", "exports"]),
    (LEADERS, Level.CITY, ["leader"]),
    (LEADER_OFFICES, Level.CITY, ["leader-office"]),
    (UNIT_LIAISONS, Level.XINGBIN, ["unit-liaison"]),
    (DEPARTMENT_USERS, Level.XINGBIN, ["department"]),
    (EDITORS, Level.CITY, ["pages"]),
    (REVIEWERS, Level.CITY, ["pages"]),
    (FINAL_REVIEWERS, Level.CITY, ["pages"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("group", "level", "sections"), GROUP_SECTIONS)
def test_the_guide_shows_each_role_only_its_sections(client, group, level, sections):
    client.force_login(make_staff("someone", level, group))
    response = client.get(GUIDE_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "使用指南" in html
    assert SECTION_ID.findall(html) == sections


@pytest.mark.django_db
def test_a_superuser_reads_every_section_and_a_user_without_a_role_is_told_so(client):
    client.force_login(make_superuser())
    assert SECTION_ID.findall(client.get(GUIDE_URL).content.decode()) == [key.replace("_", "-") for key in SECTIONS]

    # A group a superuser made with admin access but none of the portal's roles.
    other = Group.objects.create(name="其他")
    other.permissions.add(Permission.objects.get(codename="access_admin"))
    nobody = make_staff("nobody", Level.CITY, other.name)
    client.force_login(nobody)
    html = client.get(GUIDE_URL).content.decode()
    assert SECTION_ID.findall(html) == []
    assert "您的账号尚未分配角色" in html


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_the_sign_in_page(client):
    response = client.get(GUIDE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# One demo login per role; the superuser reads every section, so every link is tried once at least.
DEMO_READERS = [
    next(username for _level, group, username, _name in STAFF_USERS if group == CITY_OFFICE),
    "rcb_xingbin",
    LEADER_USERNAME,
    OFFICE_USERNAME,
    LIAISON_USERNAME,
    f"rcb_dept_{Level.XINGBIN.value}",
    "bianji",
    "shenhe",
    "zhongshen",
    "admin",
]


def test_every_link_in_the_guide_opens_for_the_demo_user_reading_it(demo_site, client, django_user_model):
    for username in DEMO_READERS:
        client.force_login(django_user_model.objects.get(username=username))
        links = guide_links(client.get(GUIDE_URL).content.decode())
        assert links, username
        for link in links:
            assert client.get(link).status_code == 200, (username, link)


@pytest.mark.django_db
def test_the_dashboard_offers_the_page_search_only_to_users_who_can_explore_pages(client):
    search_form = re.compile(r'<form[^>]*role="search"')

    client.force_login(make_staff("xingbin", Level.XINGBIN))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert not search_form.search(html)
    assert 'href="/admin/pages/' not in html  # nor the page summary's link into the page tree

    client.force_login(make_staff("bianji", Level.CITY, EDITORS))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert search_form.search(html)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_county_office_opens_the_guide_from_the_help_menu(live_server, page, screenshot):
    make_staff("xingbin", Level.XINGBIN)
    sign_in(page, live_server.url, "xingbin", "pw")

    page.get_by_role("button", name="帮助").click()
    page.get_by_role("link", name="使用指南").first.click()
    expect(page).to_have_url(f"{live_server.url}{GUIDE_URL}")
    expect(page.get_by_role("heading", level=1)).to_have_text("使用指南")
    expect(page.get_by_role("heading", name="来信来访")).to_be_visible()
    expect(page.get_by_role("heading", name="网站内容：编辑、审核、终审")).to_have_count(0)
    screenshot(page, "admin-guide-desktop")

    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="事项队列").first.click()
    expect(page).to_have_url(f"{live_server.url}/admin/intake/items/")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("使用指南")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    screenshot(page, "admin-guide-phone")
