"""Hostile attachments on the contact form: file names that are not UTF-8, decompression bombs."""

import io
from functools import cache

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from intake.models import IntakeItem
from tests.intake_builders import (
    CONTACT_URL,
    contact_page_fixture,  # noqa: F401 - the contact_page fixture
    form_data,
    image_upload,
    pdf_upload,
)
from tests.test_intake_form import field_error

pytestmark = pytest.mark.django_db

BOUNDARY = b"----portal-test-boundary"


def post_multipart(client, fields, file_name, content, content_type=b"application/pdf"):
    """A multipart post built by hand, its attachment's file name given as raw bytes."""
    body = b""
    for name, value in fields.items():
        body += b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (
            BOUNDARY,
            name.encode(),
            value.encode(),
        )
    body += b'--%s\r\nContent-Disposition: form-data; name="attachment"; filename="%s"\r\n' % (BOUNDARY, file_name)
    body += b"Content-Type: %s\r\n\r\n%s\r\n--%s--\r\n" % (content_type, content, BOUNDARY)
    return client.generic("POST", CONTACT_URL, body, content_type=f"multipart/form-data; boundary={BOUNDARY.decode()}")


PDF = pdf_upload().read()


@pytest.mark.parametrize(
    ("file_name", "kept_as"),
    [
        ("材料.pdf".encode("gbk"), "材料.pdf"),  # what Chinese Windows tools send
        ("申报材料（第二版）.pdf".encode("gb18030"), "申报材料（第二版）.pdf"),
        (b"\x80\xff.pdf", "\ufffd\ufffd.pdf"),  # bytes no encoding reads: replaced, never dropped
        ("材料.pdf".encode(), "材料.pdf"),  # UTF-8, as browsers send it
    ],
)
def test_a_file_name_that_is_not_utf8_keeps_the_file_under_a_readable_name(client, contact_page, file_name, kept_as):
    response = post_multipart(client, form_data(), file_name, PDF)
    assert response.status_code == 302
    item = IntakeItem.objects.get()
    assert item.attachment_name == kept_as
    assert item.attachment.name.endswith(".pdf")
    with item.attachment.open("rb") as stored:
        assert stored.read() == PDF


def test_a_file_name_with_a_path_and_control_characters_is_made_safe(client, contact_page):
    response = post_multipart(client, form_data(), b"..\\..\\windows\\\x01\x1bsystem.pdf", PDF)
    assert response.status_code == 302
    assert IntakeItem.objects.get().attachment_name == "system.pdf"


@cache
def png_of(width, height):
    """A black PNG; one bit per pixel, so 100 megapixels are a few kilobytes."""
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize(("width", "height"), [(10_000, 10_000), (8_000, 6_000), (20_000, 10_000)])
def test_images_above_forty_megapixels_are_refused(client, contact_page, width, height):
    content = png_of(width, height)
    assert len(content) < 100 * 1024
    response = client.post(CONTACT_URL, {**form_data(), "attachment": SimpleUploadedFile("大图.png", content)})
    assert response.status_code == 200
    assert "图片像素过大" in field_error(response, "attachment")
    assert not IntakeItem.objects.exists()


def test_an_image_of_forty_megapixels_is_accepted(client, contact_page):
    response = client.post(
        CONTACT_URL, {**form_data(), "attachment": SimpleUploadedFile("扫描件.png", png_of(8_000, 5_000))}
    )
    assert response.status_code == 302
    assert IntakeItem.objects.get().attachment_name == "扫描件.png"


def test_a_small_photo_still_passes(client, contact_page):
    assert client.post(CONTACT_URL, {**form_data(), "attachment": image_upload("照片.jpg", "JPEG")}).status_code == 302
