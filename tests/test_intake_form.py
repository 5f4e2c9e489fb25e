"""The public contact form: every field's validation, attachments, abuse defences, the receipt."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intake import ratelimit
from intake.models import Channel, IntakeItem, IntakeStep, Kind, Status
from intake.tracking import find_item
from services.models import ServiceIndexPage, ServicePage
from staff.levels import Level
from tests.intake_builders import (
    CONTACT_URL,
    contact_page_fixture,  # noqa: F401 - the contact_page fixture
    exe_upload,
    form_data,
    image_upload,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


def post(client, data, **files):
    return client.post(CONTACT_URL, {**data, **files})


def field_error(response, field):
    """The error shown next to `field`, or None."""
    html = response.content.decode()
    start = html.find(f'id="field-{field}"')
    if start < 0:
        return None
    end = html.find('id="field-', start + 1)
    match = re.search(r'<p class="field__error"[^>]*>(.*?)</p>', html[start : end if end > 0 else None], re.S)
    return match.group(1) if match else None


def test_the_page_shows_the_form_the_contact_details_and_the_privacy_link(client, contact_page):
    response = client.get(CONTACT_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in html
    assert "office@example.cn" in html  # the mailbox from the site settings
    assert "0772-4278067" in html  # the hotline from the site settings
    assert 'href="/privacy/"' in html
    assert "欢迎来信。" in html  # the editor's intro
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_valid_submission_is_stored_once_and_shows_the_tracking_number_and_query_code(client, contact_page):
    response = post(client, form_data())
    assert response.status_code == 302
    item = IntakeItem.objects.get()
    assert item.channel == Channel.WEB and item.level == Level.CITY and item.status == Status.NEW
    assert re.fullmatch(rf"LB{timezone.localdate():%Y%m%d}-0001", item.tracking_number)
    assert item.consent_at is not None
    assert IntakeStep.objects.filter(item=item, action="received").count() == 1

    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert item.tracking_number in html
    query_code = re.search(r"data-query-code>([A-Z0-9]{8})<", html).group(1)
    assert find_item(item.tracking_number, query_code) == item
    assert query_code not in item.query_code_hash  # only a hash is stored
    # The receipt and the office notice wait in the task queue for the worker.
    assert DBTaskResult.objects.filter(queue_name="mail", status="READY").count() == 2


def test_numbers_count_up_within_a_day(client, contact_page):
    for _ in range(3):
        post(client, form_data())
    numbers = sorted(IntakeItem.objects.values_list("tracking_number", flat=True))
    assert [number[-4:] for number in numbers] == ["0001", "0002", "0003"]


def test_the_receipt_page_without_a_submission_goes_back_to_the_form(client, contact_page):
    assert client.get("/contact/submitted/")["Location"] == CONTACT_URL


GOOD_VALUES = [
    ("mobile", "13912345678"),
    ("mobile", ""),  # an e-mail is enough
    ("email", ""),  # a mobile is enough
    ("unit", ""),
    ("name", "欧阳某某"),
    ("subject", "建" * 100),
    ("message", "内" * 3000),
    ("kind", Kind.HELP),
]


@pytest.mark.parametrize(("field", "value"), GOOD_VALUES)
def test_good_values_are_accepted(client, contact_page, field, value):
    assert post(client, form_data(**{field: value})).status_code == 302
    assert IntakeItem.objects.count() == 1


BAD_VALUES = [
    ("kind", "", "kind", "请选择事项类别"),
    ("kind", "lottery", "kind", "选择一个有效的选项"),
    ("name", "", "name", "请填写姓名"),
    ("name", "某", "name", "姓名至少2个字"),
    ("name", "名" * 31, "name", "30"),
    ("unit", "单" * 101, "unit", "100"),
    ("mobile", "1380772", "mobile", "请输入11位手机号码"),
    ("mobile", "23807720001", "mobile", "请输入11位手机号码"),
    ("email", "not-an-address", "email", "有效"),
    ("subject", "", "subject", "请填写主题"),
    ("subject", "建议", "subject", "主题至少4个字"),
    ("subject", "建" * 101, "subject", "100"),
    ("message", "", "message", "请填写反映的内容"),
    ("message", "太短了", "message", "内容至少10个字"),
    ("message", "内" * 3001, "message", "3000"),
    ("consent", "", "consent", "请阅读并勾选同意个人信息保护说明"),
]


@pytest.mark.parametrize(("field", "value", "error_field", "message"), BAD_VALUES)
def test_bad_values_are_refused_next_to_the_field_keeping_the_rest(
    client, contact_page, field, value, error_field, message
):
    data = form_data(**{field: value})
    if value == "":
        data.pop(field)
    response = post(client, data)
    assert response.status_code == 200
    assert message in (field_error(response, error_field) or "")
    html = response.content.decode()
    assert "提交未成功" in html
    if field != "subject":
        assert 'value="关于人才公寓配套的建议"' in html  # the user's other input is kept
    assert not IntakeItem.objects.exists()


def test_a_way_to_answer_is_required(client, contact_page):
    response = post(client, form_data(mobile="", email=""))
    assert "手机号码和电子邮箱请至少填写一项" in field_error(response, "mobile")
    assert not IntakeItem.objects.exists()


def test_an_appointment_needs_a_leader_and_a_date_from_today_on(client, contact_page):
    response = post(client, form_data(kind=Kind.APPOINTMENT))
    assert "请选择希望约见的领导" in field_error(response, "preferred_leader")
    assert "请填写希望约见的日期" in field_error(response, "preferred_date_from")

    yesterday = timezone.localdate() - timedelta(days=1)
    response = post(
        client, form_data(kind=Kind.APPOINTMENT, preferred_leader_text="市委分管领导", preferred_date_from=yesterday)
    )
    assert "不能早于今天" in field_error(response, "preferred_date_from")

    start = timezone.localdate() + timedelta(days=10)
    response = post(
        client,
        form_data(
            kind=Kind.APPOINTMENT,
            preferred_leader_text="市委分管领导",
            preferred_date_from=start,
            preferred_date_to=start - timedelta(days=1),
        ),
    )
    assert "结束日期不能早于开始日期" in field_error(response, "preferred_date_to")
    response = post(
        client, form_data(kind=Kind.APPOINTMENT, preferred_leader_text="市委分管领导", preferred_date_from="2026-13-45")
    )
    assert field_error(response, "preferred_date_from")
    assert not IntakeItem.objects.exists()

    response = post(
        client,
        form_data(
            kind=Kind.APPOINTMENT,
            preferred_leader_text="市委分管领导",
            preferred_date_from=start,
            preferred_date_to=start,
        ),
    )
    assert response.status_code == 302
    item = IntakeItem.objects.get()
    assert (item.preferred_leader, item.preferred_leader_text, item.preferred_date_from) == (
        None,
        "市委分管领导",
        start,
    )


def test_appointment_details_are_not_kept_for_other_kinds(client, contact_page):
    post(client, form_data(kind=Kind.SUGGESTION, preferred_leader_text="某领导", preferred_date_from="2020-01-01"))
    item = IntakeItem.objects.get()
    assert (item.preferred_leader_text, item.preferred_date_from) == ("", None)


@pytest.mark.parametrize(
    ("upload", "extension"),
    [(pdf_upload, "pdf"), (lambda: image_upload("照片.png"), "png"), (lambda: image_upload("扫描.jpg", "JPEG"), "jpg")],
)
def test_pdf_jpeg_and_png_attachments_are_kept_privately(client, contact_page, settings, upload, extension):
    response = post(client, form_data(), attachment=upload())
    assert response.status_code == 302
    item = IntakeItem.objects.get()
    assert item.attachment.name.endswith(f".{extension}")
    assert item.attachment_name
    assert str(settings.INTAKE_ATTACHMENT_ROOT) in item.attachment.path
    assert not item.attachment.path.startswith(str(settings.MEDIA_ROOT))


def test_a_png_named_pdf_is_stored_as_what_it_is(client, contact_page):
    post(client, form_data(), attachment=image_upload("看起来是.pdf"))
    assert IntakeItem.objects.get().attachment.name.endswith(".png")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (exe_upload, "附件只能是PDF、JPEG或PNG文件"),
        (lambda: exe_upload("setup.exe"), "附件只能是PDF、JPEG或PNG文件"),
        (lambda: pdf_upload(size=5 * 1024 * 1024 + 1), "附件不能超过5MB"),
        (lambda: SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"broken" * 10), "图片文件已损坏"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_stored(client, contact_page, upload, message):
    response = post(client, form_data(), attachment=upload())
    assert message in field_error(response, "attachment")
    assert "附件需重新选择" in response.content.decode()
    assert not IntakeItem.objects.exists()


def test_a_filled_honeypot_is_refused(client, contact_page):
    response = post(client, form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert "未通过安全校验" in response.content.decode()
    assert not IntakeItem.objects.exists()


def test_posts_without_a_csrf_token_are_refused(contact_page):
    client = Client(enforce_csrf_checks=True)
    response = client.post(CONTACT_URL, form_data())
    assert response.status_code == 403
    assert not IntakeItem.objects.exists()


def test_html_in_a_message_is_stored_as_given_and_shown_as_text(client, contact_page):
    post(client, form_data(message="<script>alert('x')</script><b>加粗</b>内容足够长"))
    response = post(client, form_data(subject="<img src=x onerror=alert(1)>", message="短"))
    html = response.content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert IntakeItem.objects.get().message.startswith("<script>")


def test_submissions_are_rate_limited_per_client(client, contact_page, settings):
    settings.INTAKE_SUBMISSION_RATE_LIMIT = (3, 3600)
    for _ in range(3):
        assert post(client, form_data()).status_code == 302
    response = post(client, form_data())
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "操作过于频繁" in response.content.decode()
    assert IntakeItem.objects.count() == 3
    # Another client is not affected.
    assert Client(REMOTE_ADDR="10.1.2.3").post(CONTACT_URL, form_data()).status_code == 302


PROXY = "10.0.0.2"


def test_behind_a_proxy_a_forged_forwarded_for_does_not_escape_the_limit(client, contact_page, settings):
    settings.INTAKE_SUBMISSION_RATE_LIMIT = (5, 3600)
    settings.INTAKE_TRUSTED_PROXY_COUNT = 1
    # The client writes its own X-Forwarded-For; the proxy appends the address it saw.
    statuses = [
        client.post(
            CONTACT_URL, form_data(), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7"
        ).status_code
        for n in range(12)
    ]
    assert statuses == [302] * 5 + [429] * 7
    assert IntakeItem.objects.count() == 5
    # Another client behind the same proxy has its own limit.
    response = client.post(CONTACT_URL, form_data(), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "address"),
    [
        (0, "198.51.100.1, 203.0.113.7", PROXY),  # no proxy trusted: the header is the client's own words
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.1", "203.0.113.7"),  # a CDN, then our proxy
        (2, "203.0.113.7", "203.0.113.7"),  # fewer hops than proxies: the first proxy's
        (1, "", PROXY),  # not through the proxy at all
    ],
)
def test_the_client_address_is_the_one_the_outermost_trusted_proxy_saw(rf, settings, proxies, forwarded_for, address):
    settings.INTAKE_TRUSTED_PROXY_COUNT = proxies
    request = rf.post(CONTACT_URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert ratelimit.client_address(request) == address


@pytest.fixture
def services(contact_page):
    """A live service guide and a draft one, beside the contact page."""
    index_page = contact_page.get_parent().add_child(instance=ServiceIndexPage(title="一站式服务", slug="services"))
    guide = {
        "eligibility": "<p>在库专家人才。</p>",
        "how_to_apply": "<p>预约登记。</p>",
        "documents_needed": "<p>服务卡。</p>",
        "office": "来宾市卫生健康委员会",
        "phone": "0772-4278067",
    }
    live = index_page.add_child(
        instance=ServicePage(title="医疗绿色通道", slug="lvse-tongdao", summary="优先就医。", **guide)
    )
    draft = index_page.add_child(
        instance=ServicePage(title="未发布的服务", slug="weifabu", summary="草稿。", live=False, **guide)
    )
    return live, draft


def subject_value(response):
    """The subject box's value; "" when it has none."""
    tag = re.search(r'<input[^>]*name="subject"[^>]*>', response.content.decode()).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


def test_a_service_guide_link_prefills_the_subject_and_names_the_service(client, services):
    live, _ = services
    response = client.get(CONTACT_URL, {"service": live.slug})
    html = response.content.decode()
    assert subject_value(response) == "咨询：医疗绿色通道"
    note = re.search(r"<div[^>]*data-service-note>(.*?)</div>", html, re.S).group(1)
    assert "医疗绿色通道" in note and f'href="{live.url}"' in note
    # The service stays named when the form is sent.
    assert f'action="{CONTACT_URL}?service=lvse-tongdao"' in html


@pytest.mark.parametrize("value", ["weifabu", "no-such-service", "<script>alert(1)</script>", "x" * 300, ""])
def test_unknown_draft_or_junk_services_are_ignored_and_not_echoed(client, services, value):
    response = client.get(CONTACT_URL, {"service": value})
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-service-note" not in html
    assert subject_value(response) == ""
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" not in html
    assert f'action="{CONTACT_URL}"' in html


def test_after_a_failed_post_the_users_own_subject_wins_and_the_service_stays_named(client, services):
    url = f"{CONTACT_URL}?service=lvse-tongdao"
    response = client.post(url, form_data(subject="挂号预约遇到的问题", message="短"))
    assert response.status_code == 200
    assert subject_value(response) == "挂号预约遇到的问题"
    assert "data-service-note" in response.content.decode()
    assert not IntakeItem.objects.exists()

    assert client.post(url, form_data(subject="咨询：医疗绿色通道")).status_code == 302
    assert IntakeItem.objects.get().subject == "咨询：医疗绿色通道"
