"""Security headers on every kind of response: the two Content-Security-Policies, Permissions-Policy,
nosniff, Referrer-Policy, frame protection, and HSTS under the production settings.

The browser's side (no page breaks under its policy) is tests/test_security_csp_browser.py.
"""

import re

import pytest
from bs4 import BeautifulSoup
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail.models import Page

from base.page_cache import _may_store, mark_cacheable
from tests.experts_builders import make_superuser
from tests.public_builders import build_public_demo, build_sections
from tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db

PUBLIC_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-src": "https://www.youtube.com https://player.vimeo.com",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
ADMIN_CSP = {
    **PUBLIC_CSP,
    "script-src": "'self' 'unsafe-inline'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "frame-src": "'self' https://www.youtube.com https://player.vimeo.com",
    "frame-ancestors": "'self'",
}
PERMISSIONS_OFF = ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics", "display-capture"]


def directives(policy):
    """A policy header as {directive: its sources}."""
    return dict(([*part.strip().split(" ", 1), ""])[:2] for part in policy.split(";"))


def assert_common_headers(response):
    """What every response carries, whatever its policy."""
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    features = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
    assert {feature: features.get(feature) for feature in PERMISSIONS_OFF} == dict.fromkeys(PERMISSIONS_OFF, "()")
    assert "fullscreen" not in features  # embedded videos may still go full screen


def assert_public_headers(response):
    assert_common_headers(response)
    assert directives(response["Content-Security-Policy"]) == PUBLIC_CSP
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def sections(db):
    return build_sections()


def test_a_public_page_gets_the_strict_policy_and_a_stored_copy_gets_it_too(client, sections):
    first = client.get("/news/")
    assert first["X-Page-Cache"] == "miss"
    assert_public_headers(first)
    hit = client.get("/news/")
    assert hit["X-Page-Cache"] == "hit"
    assert_public_headers(hit)
    assert "unsafe-inline" not in hit["Content-Security-Policy"]


def test_the_contact_form_its_errors_and_the_tracking_page_get_the_strict_policy(client, sections):
    for response in [client.get("/contact/"), client.post("/contact/", {}), client.post("/contact/track/", {})]:
        assert response.status_code == 200
        assert_public_headers(response)


def test_not_found_gets_the_strict_policy(client, sections):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_public_headers(response)


def test_a_nul_refused_before_any_view_still_gets_the_headers(client, sections):
    response = client.get("/news/?page=%00")
    assert response.status_code == 400
    assert_public_headers(response)


def test_healthz_gets_the_headers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert_public_headers(response)


def test_the_admin_gets_its_own_documented_policy(client, sections):
    login = client.get("/admin/login/")
    assert directives(login["Content-Security-Policy"]) == ADMIN_CSP
    assert_common_headers(login)
    client.force_login(make_superuser())
    for url in ["/admin/", f"/admin/pages/{Page.objects.get(slug='news').pk}/edit/", "/admin/no-such-screen/"]:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert directives(response["Content-Security-Policy"]) == ADMIN_CSP, url
        assert response["X-Frame-Options"] == "DENY", url
        assert_common_headers(response)
        # No nonce: it would make the browser ignore 'unsafe-inline'.
        assert "nonce-" not in response["Content-Security-Policy"]


def nonce_request(read_nonce):
    request = RequestFactory().get("/news/")
    CSPMiddleware(lambda request: HttpResponse()).process_request(request)
    mark_cacheable(request)
    if read_nonce:
        str(request.csp_nonce)
    return request


def test_a_page_that_used_a_nonce_is_never_stored():
    # A stored nonce would be every visitor's, and a hit's policy carries a new one.
    assert _may_store(nonce_request(read_nonce=False), HttpResponse("page"))
    assert not _may_store(nonce_request(read_nonce=True), HttpResponse("page"))


def test_a_view_that_reads_the_nonce_gets_it_in_its_policy(rf):
    request = rf.get("/contact/")
    middleware = CSPMiddleware(lambda request: HttpResponse(f'<script nonce="{request.csp_nonce}"></script>'))
    response = middleware(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode())[1]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


INLINE_HANDLER = re.compile(r"^on[a-z]+$")


def inline_code(html):
    """What a policy without 'unsafe-inline' refuses in `html`: inline scripts (JSON-LD is data, not
    script), <style> elements, style attributes, on… handlers and javascript: links."""
    soup = BeautifulSoup(html, "html.parser")
    found = [
        str(tag)[:80]
        for tag in soup.find_all("script")
        if not tag.get("src") and tag.get("type") != "application/ld+json"
    ]
    found += [str(tag)[:80] for tag in soup.find_all("style")]
    for tag in soup.find_all(True):
        found += [f"{tag.name} {name}" for name in tag.attrs if name == "style" or INLINE_HANDLER.match(name)]
        found += [
            f"{tag.name} {tag[name]}"
            for name in ("href", "src", "action")
            if str(tag.get(name, "")).strip().lower().startswith("javascript:")
        ]
    return found


def test_no_public_page_has_inline_script_style_or_handlers(client):
    build_public_demo()
    urls = [page.url for page in Page.objects.live().exclude(depth=1).specific()]
    urls += ["/search/?q=%E4%B8%93%E5%AE%B6", "/contact/track/", "/contact/answers/", "/no-such-page/"]
    assert len(urls) > 30
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert inline_code(response.content.decode()) == [], url
    for response in [client.post("/contact/", {"kind": "appointment"}), client.post("/contact/track/", {})]:
        assert inline_code(response.content.decode()) == []


def test_hsts_and_the_policies_under_the_production_settings(tmp_path):
    probe = (
        "from django.test import Client\n"
        "r = Client(raise_request_exception=False).get('/healthz', HTTP_HOST='talent.example.cn', "
        "HTTP_X_FORWARDED_PROTO='https')\n"
        "for name in ('Strict-Transport-Security', 'Content-Security-Policy', 'Permissions-Policy', "
        "'X-Content-Type-Options', 'Referrer-Policy', 'X-Frame-Options'):\n"
        "    print(name + ': ' + r.get(name, '-'))\n"
    )
    env = {
        **PRODUCTION,
        "DJANGO_SECRET_KEY": "k" * 20 + "production-like-secret-key-for-the-header-test-only",
        "INTAKE_QUERY_CODE_KEY": "q" * 20 + "production-like-query-code-key-for-the-header-test",
        "ALLOWED_HOSTS": "talent.example.cn",
        "PORTAL_VAR_DIR": str(tmp_path),
    }
    result = manage("shell", "--no-imports", "-c", probe, env=env)
    assert result.returncode == 0, result.stderr
    headers = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert directives(headers["Content-Security-Policy"]) == {**PUBLIC_CSP, "upgrade-insecure-requests": ""}
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
