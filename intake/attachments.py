"""The one attachment rule: PDF, JPEG or PNG, at most 5 MB, judged by the bytes, not the name."""

import filetype
from django.core.exceptions import ValidationError
from PIL import Image

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
EXTENSION_BY_TYPE = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
NAME_MAX_LENGTH = 100


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
        try:
            with Image.open(upload) as image:
                image.verify()
        except Exception as error:
            raise ValidationError("图片文件已损坏，无法打开，请重新选择。") from error
        finally:
            upload.seek(0)
    original_name = upload.name[-NAME_MAX_LENGTH:]
    upload.name = f"attachment.{extension}"
    return upload, original_name
