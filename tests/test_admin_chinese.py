"""The admin speaks Chinese: every screen each demo role reaches from the dashboard, and the strings
Wagtail's JavaScript draws, hold no English word outside a short list of names and abbreviations.

What staff typed (titles, usernames, e-mail addresses, file names) is not the admin's wording: words
found in the database's text are left out. The project catalogue (locale/zh_Hans) must match its
compiled .mo files, since those are what Django reads.
"""

import gettext
import io
import re
from collections import Counter, defaultdict, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import polib
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client
from django.urls import Resolver404, resolve
from playwright.sync_api import expect
from wagtail.documents.models import Document
from wagtail.images.models import Image

from staff.levels import Level
from staff.permission_names import name_permissions_in_chinese
from staff.roles import EDITORS
from tests.browser_sign_in import sign_in
from tests.conftest import PHONE
from tests.experts_builders import make_staff
from tests.intake_builders import image_upload
from tests.public_builders import build_sections

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"

# Latin words the admin may show: product names, file types, units and standard abbreviations that
# Chinese software writes in Latin letters too. Anything else is a missing translation.
ALLOWED = {
    "Wagtail",  # the product's name, in its own logo and version line
    "Draftail",  # the rich-text editor's name
    "PDF",  # file types staff upload and download
    "XLSX",
    "CSV",
    "JPG",
    "JPEG",
    "PNG",
    "GIF",
    "SVG",
    "WebP",
    "AVIF",
    "MB",  # size units
    "KB",
    "ICP",  # 备案 number (ICP备…), as written on every Chinese site
    "IMAP",  # the mailbox protocol, named in the mailbox settings
    "TOTP",  # the authenticator standard of the second sign-in step
    "URL",
    "ID",
    "HTML",
    "API",
    "Excel",  # the spreadsheet program whose files staff import
    "JavaScript",  # named where the admin says it needs it
    "Ctrl",  # keys as printed on the keyboard, in the keyboard-shortcuts dialog
    "Alt",
    "Shift",
    "Esc",
}

# Demo logins, one per role (experts.demo, home.demo, liaison.demo, intake.demo, base.demo).
# The narrowest first, so that each walks its own screens before a wider role has walked their patterns.
ROLES = [
    "rcb_dept_xingbin",
    "lianluoyuan",
    "lingdao",
    "shiweiban",
    "rcb_xingbin",
    "rcb_city",
    "bianji",
    "shenhe",
    "zhongshen",
    "admin",
]
PER_PATTERN = 2  # distinct URLs crawled per URL pattern: a list and one detail say what its template says
SKIPPED_PATTERNS = (
    "logout",  # signs out
    "export",  # spreadsheets, not screens
    "download",
    "reveal",  # shows a private field and logs that it was shown
    "attachment",  # files
    "serve",
    "preview",  # renders the public page, not the admin
    "view_draft",
    "jsi18n",
    "api",
    "autocomplete",
    "chooser",  # modal JSON answers (the browser test opens a chooser)
)
WORD = re.compile(r"[A-Za-z]{2,}")
SIDEBAR_URL = re.compile(r'"url": "(/admin/[^"]*)"')  # the sidebar menu, drawn by script from JSON
TEMPLATE_PLACEHOLDER = re.compile(r"__\w+__")  # a formset's empty form: scripts put the number in
CODE_NAME = re.compile(r"\b[a-z_]+\.[a-z_]+\b")  # app.model under a page type's name (page types usage)
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SHOWN_ATTRIBUTES = ("title", "aria-label", "aria-description", "placeholder", "alt", "data-w-tooltip-content-value")


class ShownText(HTMLParser):
    """The text a person or a screen reader meets: text nodes outside script, style and elements marked
    `hidden`, the title, and the attributes that are read out or shown (labels, placeholders, tooltips,
    button values). What scripts reveal later is the browser test's part."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.links = []
        self._skipping = None  # [tag, depth] of the unshown element being read

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._skipping:
            self._skipping[1] += tag == self._skipping[0]
            return
        if tag in ("script", "style") or "hidden" in attrs:
            if tag not in VOID_ELEMENTS:
                self._skipping = [tag, 1]
            return
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self.parts.extend(attrs[name] for name in SHOWN_ATTRIBUTES if attrs.get(name))
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if self._skipping and tag == self._skipping[0]:
            self._skipping[1] -= 1
            if not self._skipping[1]:
                self._skipping = None

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def data_words():
    """Latin words that people entered (titles, names, usernames, addresses, file names), from the
    database's text columns; not choice keys, action codes or secrets, which the admin must not show."""
    words = set()
    for model in apps.get_models():
        if model._meta.app_label in ("sessions", "contenttypes", "django_tasks_database") or model is Permission:
            continue  # permission names are the admin's words (staff/permission_names.py)
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.FileField)
            and not field.choices
            and field.name not in ("password", "action", "codename", "key", "token")
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                for value in row:
                    if value:
                        words.update(WORD.findall(str(value)))
    return words


def url_pattern(path):
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name or match.route


def crawl(client, per_pattern, start="/admin/"):
    """Pages reached from `start` by GET over same-site /admin/ links, the sidebar menu's among them:
    {url: shown text}. `per_pattern` counts the screens shown per URL pattern, across the roles that
    share it; a pattern shown PER_PATTERN times is not requested again."""
    seen, shown = {start}, {}
    queue = deque([(start, "wagtailadmin_home")])
    while queue:
        url, pattern = queue.popleft()
        if per_pattern[pattern] >= PER_PATTERN and url != start:
            continue
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        per_pattern[pattern] += 1
        html = response.content.decode()
        parser = ShownText()
        parser.feed(html)
        shown[url] = " ".join(parser.parts)
        for href in parser.links + SIDEBAR_URL.findall(html):
            link = urldefrag(href).url
            if not link.startswith("/admin/") or link in seen:
                continue
            seen.add(link)
            pattern = url_pattern(link)
            if pattern is not None and not any(word in pattern for word in SKIPPED_PATTERNS):
                queue.append((link, pattern))
    return shown


def english_words(text, allowed):
    """Latin words of `text` not in `allowed` (upper-cased), formset placeholders and code names aside."""
    text = CODE_NAME.sub("", TEMPLATE_PLACEHOLDER.sub("", text))
    return sorted({word for word in WORD.findall(text) if word.upper() not in allowed})


@pytest.fixture
def demo(django_db_setup, django_db_blocker, migration_snapshot):
    # Not module-scoped: its open transaction would lock SQLite for the browser test's live server.
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_content", stdout=io.StringIO(), allow_demo_without_debug=True)
        yield {"allowed": {word.upper() for word in ALLOWED | data_words()}}
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_admin_screen_of_every_role_is_in_chinese(demo):
    """The roles walk in turn from the dashboard; a URL pattern one role has walked PER_PATTERN times is
    not walked again, so the walk covers each screen once and each role's menus and dashboard."""
    per_pattern, found, screens = Counter(), defaultdict(list), 0
    for username in ROLES:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        shown = crawl(client, per_pattern)
        assert "/admin/" in shown, f"{username} has no dashboard"
        screens += len(shown)
        for url, text in shown.items():
            for word in english_words(text, demo["allowed"]):
                found[word].append(f"{username} {url}")
    assert screens > 200, f"the walk reached only {screens} screens"
    assert not found, f"English words on the admin's {screens} screens:\n" + "\n".join(
        f"{word}: {len(places)}× e.g. {'; '.join(places[:3])}" for word, places in found.items()
    )


# The catalogue ------------------------------------------------------------------------------


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogue_matches_its_source(domain):
    """Django reads the .mo files: each must hold exactly the .po file's translations. After editing
    a .po file, compile it: `msgfmt -c -o django.mo django.po` (Debian's gettext) in its folder."""
    source = polib.pofile(str(CATALOGUE / f"{domain}.po"))
    assert not source.untranslated_entries(), "entries without a translation"
    assert not source.fuzzy_entries(), "fuzzy entries are not compiled"
    expected = {}
    for entry in source.translated_entries():
        if entry.msgid_plural:
            expected[(entry.msgid, 0)] = entry.msgstr_plural[0]
        else:
            expected[entry.msgid] = entry.msgstr
    with open(CATALOGUE / f"{domain}.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    catalog = {key: value for key, value in catalog.items() if key != ""}  # the header
    assert catalog == expected, f"{domain}.mo is stale: compile {domain}.po again"


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_each_translation_keeps_the_placeholders_of_its_source(domain):
    """A translation naming a placeholder its source lacks raises KeyError where Wagtail fills it in;
    one that drops a placeholder hides a title or a count."""
    wrong = []
    for entry in polib.pofile(str(CATALOGUE / f"{domain}.po")).translated_entries():
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        wanted = set().union(*({"".join(m) for m in PLACEHOLDER.findall(s)} for s in sources))
        translation = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        if {"".join(m) for m in PLACEHOLDER.findall(translation)} != wanted:
            wrong.append(entry.msgid)
    assert not wrong


# What scripts draw -------------------------------------------------------------------------

SHOWN_IN_BROWSER = """() => {
    const parts = [document.title, document.body.innerText];
    for (const element of document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
        for (const name of ["aria-label", "title", "placeholder", "alt"]) {
            const value = element.getAttribute(name);
            if (value) parts.push(value);
        }
    }
    return parts.join("\\n");
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_what_the_admins_scripts_show_is_in_chinese(live_server, page, screenshot):
    """A city office member who also edits pages: the page editor (its block menu, the autosave
    line), the keyboard-shortcuts dialog, an image chooser, the image and document listings."""
    sections = build_sections()
    user = make_staff("shi_bianji", Level.CITY)
    user.groups.add(Group.objects.get(name=EDITORS))
    Image.objects.create(title="人才工作会议", file=image_upload())
    Document.objects.create(title="工作方案", file=ContentFile(b"%PDF-1.4", name="fangan.pdf"))
    allowed = {word.upper() for word in ALLOWED | data_words()}
    sign_in(page, live_server.url, "shi_bianji", "pw")
    found = {}

    def check(name):
        words = english_words(page.evaluate(SHOWN_IN_BROWSER), allowed)
        if words:
            found[name] = words

    page.goto(f"{live_server.url}/admin/pages/add/news/newspage/{sections['news'].pk}/")
    expect(page.locator("button[name='action-submit']")).to_contain_text("提交发布审核")
    page.locator("#id_title").fill("人才工作动态")
    page.get_by_role("button", name="插入块").first.click()
    expect(page.locator(".w-combobox__menu")).to_be_visible()
    check("the page editor with its block menu")
    page.wait_for_timeout(300)  # the menu fades in; the picture is for a person to look at
    screenshot(page, "admin-chinese-editor")
    page.keyboard.press("Escape")

    page.get_by_role("button", name="帮助").click()
    page.get_by_role("button", name="键盘快捷键").click()
    dialog = page.get_by_role("dialog", name="键盘快捷键")
    expect(dialog).to_be_visible()
    check("the keyboard-shortcuts dialog")
    screenshot(page, "admin-chinese-shortcuts")
    page.keyboard.press("Escape")

    page.goto(f"{live_server.url}/admin/pages/add/spotlight/spotlightarticlepage/{sections['spotlight'].pk}/")
    page.locator("#id_cover_image-chooser [data-chooser-action-choose]").click()
    expect(page.locator(".modal-content")).to_contain_text("人才工作会议")
    check("the image chooser")
    page.wait_for_timeout(300)  # the modal fades in
    screenshot(page, "admin-chinese-image-chooser")

    for name, url in (("images", "/admin/images/"), ("documents", "/admin/documents/")):
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        check(f"the {name} listing")
    screenshot(page, "admin-chinese-documents")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/admin/images/")
    check("the images listing on a phone")
    screenshot(page, "admin-chinese-images-phone")
    assert not found, found


def test_permissions_are_named_in_chinese(db):
    """The group editor lists permissions by name: Django's and Wagtail's are renamed after migrate."""
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    assert Permission.objects.get(codename="publish_page").name == "发布任意页面"
    Permission.objects.filter(codename="lock_specialcolumn").update(name="Can lock special column")
    name_permissions_in_chinese(apps.get_app_config("spotlight"))
    assert Permission.objects.get(codename="lock_specialcolumn").name == "可锁定专题专栏"
