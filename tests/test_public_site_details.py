"""Small things every public page carries: the site icon, and site settings that show only what is filled in."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Site

from base.models import PortalSettings
from home.demo import DEMO_ICP_NUMBER, DEMO_OFFICE_ADDRESS

pytestmark = pytest.mark.django_db


def body_of(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_favicon_ico_answers_with_the_icon_the_pages_link(client):
    call_command("setup_site", stdout=io.StringIO())

    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an .ico header

    head = BeautifulSoup(client.get("/").content, "html.parser").head
    icons = {link["href"]: link for link in head.find_all("link", rel="icon")}
    assert response["Location"] in icons
    svg = next(link for link in icons.values() if link.get("type") == "image/svg+xml")
    assert b"<svg" in body_of(client, svg["href"])


def footer_and_channels(client):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    contact = BeautifulSoup(client.get("/contact/").content, "html.parser")
    return soup.find("footer"), contact.find(id="channels-heading").parent


def test_a_real_site_shows_no_placeholder_and_no_empty_label(client):
    call_command("setup_site", stdout=io.StringIO())

    footer, channels = footer_and_channels(client)
    for part in (footer, channels):
        text = part.get_text()
        assert "00000000" not in text and "演示" not in text
        # Every label has a value beside it.
        for term in part.find_all("dt"):
            assert term.find_next_sibling("dd").get_text(strip=True), term.get_text()
    assert [term.get_text() for term in footer.find_all("dt")] == ["专家人才热线", "专用电子邮箱", "办公时间"]
    assert "0772-4278067" in footer.get_text() and "lbsrcb@126.com" in footer.get_text()
    assert not footer.find("a", href="https://beian.miit.gov.cn/")


def test_settings_an_editor_empties_leave_no_empty_line(client):
    call_command("setup_site", stdout=io.StringIO())
    portal_settings = PortalSettings.for_site(Site.objects.get())
    portal_settings.office_hours = ""
    portal_settings.save()

    footer, channels = footer_and_channels(client)
    home = BeautifulSoup(client.get("/").content, "html.parser")
    assert "办公时间" not in footer.get_text()
    assert home.select(".contact-card p") and all(p.get_text(strip=True) for p in home.select(".contact-card p"))
    assert all(dd.get_text(strip=True) for dd in channels.find_all("dd"))


def test_the_demo_shows_its_demo_address_and_icp_number(client, demo_site):
    footer, channels = footer_and_channels(client)

    assert "办公地址" in [term.get_text() for term in footer.find_all("dt")]
    assert DEMO_OFFICE_ADDRESS in footer.get_text() and DEMO_OFFICE_ADDRESS in channels.get_text()
    assert footer.find("a", href="https://beian.miit.gov.cn/").get_text() == DEMO_ICP_NUMBER
