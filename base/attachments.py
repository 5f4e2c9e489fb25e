"""The one attachment rule for every upload kept privately (the contact form's, the contact records'
materials): PDF, JPEG or PNG, at most 5 MB and 40 megapixels, judged by the bytes, not the name."""

import io
import uuid

import filetype
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.http.multipartparser import MultiPartParser
from django.utils import timezone
from PIL import Image

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# A scan of an A4 page at 600 dpi is 35 megapixels; a bomb of 100 megapixels compresses to a few KB.
MAX_IMAGE_PIXELS = 40_000_000
EXTENSION_BY_TYPE = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
NAME_MAX_LENGTH = 100
# The proxy's limit on request bodies (README: client_max_body_size 6m): the largest contact-form post.
MAX_REREAD_BODY_BYTES = 6 * 1024 * 1024


def checked_attachment(upload):
    """The upload renamed to what its content is, or a ValidationError in Chinese."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError("附件不能超过5MB，当前文件约为%(size).1fMB。", params={"size": upload.size / 1024 / 1024})
    upload.seek(0)
    detected = filetype.guess(upload.read(262))
    upload.seek(0)
    extension = EXTENSION_BY_TYPE.get(detected.mime) if detected else None
    if extension is None:
        raise ValidationError("附件只能是PDF、JPEG或PNG文件（按文件内容判断，改扩展名无效）。")
    if extension in ("jpg", "png"):
        check_image(upload)
    original_name = upload.name[-NAME_MAX_LENGTH:]
    upload.name = f"attachment.{extension}"
    return upload, original_name


def private_storage(location):
    """A storage outside MEDIA_ROOT and without a URL: only a permission-checked view serves its files."""
    return FileSystemStorage(location=location, base_url=None)


def delete_when_committed(field_file):
    """Deletes an attachment's file once the transaction that drops it commits (never if it rolls back)."""
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


def random_file_name(instance, filename):
    """`upload_to` for checked attachments: a random name by month, with the extension of the type the
    content was found to be (`checked_attachment` renamed the upload); the given name is kept apart."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def check_image(upload):
    too_large = ValidationError(
        "图片像素过大（超过%(limit)d万像素），请缩小或压缩后重新上传。", params={"limit": MAX_IMAGE_PIXELS // 10_000}
    )
    try:
        with Image.open(upload) as image:  # reads the header only
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise too_large
            image.verify()
    except Image.DecompressionBombError as error:  # Pillow's own limit, far above ours
        raise too_large from error
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError("图片文件已损坏，无法打开，请重新选择。") from error
    finally:
        upload.seek(0)


class ReadableFileNames(FileUploadHandler):
    """Keeps an upload whose file name is not UTF-8, under that name read as GB18030.

    Django's multipart parser skips a part whose headers are not UTF-8, so the file vanished
    and the form went through without it. Chinese Windows tools write names in GBK (which
    GB18030 contains); bytes no encoding reads become U+FFFD. Runs first in FILE_UPLOAD_HANDLERS:
    a body up to the proxy's limit is read whole, mended, and parsed by Django's parser with
    the other handlers; a larger one is left to them as it is.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > MAX_REREAD_BODY_BYTES:
            return None
        body = readable_part_headers(input_data.read(content_length), boundary)
        handlers = [handler for handler in self.request.upload_handlers if handler is not self]
        meta = {**META, "CONTENT_LENGTH": str(len(body))}
        return MultiPartParser(meta, io.BytesIO(body), handlers, encoding).parse()


def readable_part_headers(body, boundary):
    """`body` with the headers of each part that are not UTF-8 re-encoded from GB18030."""
    delimiter = b"--" + boundary
    parts = body.split(delimiter)
    for index, part in enumerate(parts[1:], start=1):
        headers, separator, content = part.partition(b"\r\n\r\n")
        if not separator:
            continue
        try:
            headers.decode()
        except UnicodeDecodeError:
            parts[index] = headers.decode("gb18030", errors="replace").encode() + separator + content
    return delimiter.join(parts)
