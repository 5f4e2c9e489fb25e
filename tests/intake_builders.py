"""Small builders for the intake tests: a contact page, staff users, valid form data, items."""

import io
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.models import Page, Site

from base.models import PortalSettings, StandardPage
from home.models import HomePage
from intake import workflow
from intake.models import Channel, ContactPage, IntakeItem, Kind
from staff.models import StaffProfile

from .task_worker import run_task_worker

SHANGHAI = ZoneInfo("Asia/Shanghai")
CONTACT_URL = "/contact/"
TRACK_URL = "/contact/track/"


@pytest.fixture(name="contact_page")
def contact_page_fixture(db):
    """The smallest site the contact page lives in: a home page, the contact page, a privacy notice."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="首页", slug="home-test"))
    contact = home.add_child(instance=ContactPage(title="联系我们", slug="contact", intro="<p>欢迎来信。</p>"))
    privacy = home.add_child(instance=StandardPage(title="个人信息保护说明", slug="privacy"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.privacy_page = privacy
    portal.mailbox = "office@example.cn"
    portal.save()
    return contact


def make_staff(username, level=None, group=None, **fields):
    user = User.objects.create_user(username, password="pw", email=f"{username}@example.cn", **fields)
    if level:
        StaffProfile.objects.create(user=user, level=level)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)  # fresh, without cached permissions or scope


def form_data(**overrides):
    data = {
        "kind": Kind.SUGGESTION,
        "name": "韦测试",
        "unit": "来宾市测试医院",
        "mobile": "13807720001",
        "email": "expert@example.cn",
        "subject": "关于人才公寓配套的建议",
        "message": "建议在人才公寓周边增设公交站点，方便专家通勤。",
        "preferred_leader": "",
        "preferred_date_from": "",
        "preferred_date_to": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def new_item(actor=None, **fields):
    """An item received through the workflow; returns it with its query code."""
    values = {
        "channel": Channel.HOTLINE,
        "kind": Kind.HELP,
        "name": "覃测试",
        "mobile": "13807720002",
        "email": "qin@example.cn",
        "subject": "科研经费拨付进度咨询",
        "message": "项目配套经费尚未到位，影响实验进度。",
    }
    values.update(fields)
    item = IntakeItem(**values)
    query_code = workflow.receive(item, actor=actor)
    return IntakeItem.objects.with_overdue().get(pk=item.pk), query_code


def at(year, month, day, hour=10):
    """Freezes Django's clock at a local Beijing time (the workflow reads timezone.now())."""
    return mock.patch("django.utils.timezone.now", return_value=datetime(year, month, day, hour, tzinfo=SHANGHAI))


def run_mail_worker():
    """Runs the task worker in this process until the mail queue is empty."""
    run_task_worker("mail")


def image_upload(name="photo.png", image_format="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, image_format)
    content_type = "image/png" if image_format == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def pdf_upload(name="材料.pdf", size=None):
    content = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    if size:
        content += b"0" * (size - len(content))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def exe_upload(name="材料.pdf"):
    # A Windows executable's header, renamed to look like a PDF.
    return SimpleUploadedFile(
        name, b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, content_type="application/pdf"
    )
