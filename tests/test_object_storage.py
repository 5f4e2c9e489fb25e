"""Media on S3-compatible object storage (S3_BUCKET): uploads from the admin land in the bucket,
renditions too, public pages show image URLs under /media/ that answer through nginx
(deploy/nginx/portal_media_s3), private documents stay behind Wagtail's view, nothing is
overwritten, and backups hold the bucket's files and restore them. Against a real S3 server
(moto's server mode, tests/s3_server.py) and Debian's nginx."""

import io
import json
import re
import shutil
import socket
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage
from storages.backends.s3 import S3Storage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from portal.settings.base import media_storage_from_env
from spotlight.models import SpotlightArticlePage
from tests.experts_builders import make_superuser
from tests.imap_server import _free_port
from tests.public_builders import build_sections
from tests.test_backup import scratch  # noqa: F401 - a second, empty database to restore into

DEPLOY = Path(__file__).resolve().parent.parent / "deploy" / "nginx"
Image = get_image_model()
Document = get_document_model()


def png(colour="red", size=(64, 48)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_superuser())
    return client


def upload_image(client, content, name="laibin.png"):
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "来宾风景", "file": SimpleUploadedFile(name, content, "image/png"), "collection": 1},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Image.objects.latest("pk")


def upload_document(client, collection, content, name="notice.pdf"):
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "内部通知",
            "file": SimpleUploadedFile(name, content, "application/pdf"),
            "collection": collection.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Document.objects.latest("pk")


def test_local_files_stay_the_default(monkeypatch):
    monkeypatch.delenv("S3_BUCKET", raising=False)
    assert media_storage_from_env() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert settings.STORAGES["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    # Documents go through Wagtail's view on local disk too, as before.
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"


def test_bucket_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("S3_BUCKET", "portal-media")
    monkeypatch.setenv("S3_ENDPOINT_URL", "http://10.1.2.3:9000")
    monkeypatch.setenv("S3_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("S3_REGION", "cn-south-1")
    assert media_storage_from_env() == {
        "BACKEND": "base.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": "portal-media",
            "endpoint_url": "http://10.1.2.3:9000",
            "access_key": "key",
            "secret_key": "secret",
            "region_name": "cn-south-1",
            "addressing_style": "path",
            "file_overwrite": False,
        },
    }
    monkeypatch.delenv("S3_ENDPOINT_URL")
    monkeypatch.delenv("S3_REGION")
    options = media_storage_from_env()["OPTIONS"]
    assert (options["endpoint_url"], options["addressing_style"], options["region_name"]) == (None, None, "us-east-1")


def test_images_and_renditions_are_stored_in_the_bucket_and_shown_under_media(admin_client, s3_media):
    image = upload_image(admin_client, png())
    assert isinstance(default_storage._wrapped, S3Storage)
    assert s3_media.stored_keys("original_images/") == [image.file.name]
    assert s3_media.get(image.file.name) == png()
    assert not (settings.MEDIA_ROOT / image.file.name).exists()

    rendition = image.get_rendition("fill-32x24|format-webp")
    assert rendition.file.name in s3_media.stored_keys("images/")
    assert rendition.url == f"/media/{rendition.file.name}"
    with PILImage.open(io.BytesIO(s3_media.get(rendition.file.name))) as stored:
        assert (stored.format, stored.size) == ("WEBP", (32, 24))


@pytest.fixture
def media_nginx(s3_media, tmp_path):
    """Debian's nginx with deploy/nginx/portal_media_s3 pointed at the test bucket: the base URL."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "bin/test installs Debian's nginx-light"
    store = f"{s3_media.endpoint}/{s3_media.bucket}/"
    site = (DEPLOY / "portal_media_s3").read_text()
    assert site.count("http://127.0.0.1:9100/portal-media/") == 2
    site = site.replace("http://127.0.0.1:9100/portal-media/", store)
    site = site.replace("/etc/nginx/portal_media_s3_params", str(DEPLOY / "portal_media_s3_params"))
    (tmp_path / "portal_media_s3").write_text(site)
    port = _free_port()
    temp = "".join(
        f"{kind}_temp_path {tmp_path}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n{temp}access_log off;\n"
        f"server {{\nlisten 127.0.0.1:{port};\ninclude {tmp_path}/portal_media_s3;\n}}\n}}\n"
    )
    conf, log = str(tmp_path / "nginx.conf"), str(tmp_path / "error.log")
    process = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", conf, "-e", log, "-g", "daemon off;"], stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {(tmp_path / 'error.log').read_text()}") from error
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url, method="GET"):
    request = urllib.request.Request(url, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - our own http URL
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def test_a_public_page_shows_image_urls_that_answer_through_nginx(client, s3_media, media_nginx, db):
    pages = build_sections()
    image = Image.objects.create(title="封面", file=SimpleUploadedFile("cover.png", png("blue", (900, 600))))
    article = SpotlightArticlePage(
        title="专家风采", author="记者", summary="摘要", body=[], cover_image=image, cover_alt="专家在实验室"
    )
    pages["spotlight"].add_child(instance=article)
    article.save_revision().publish()

    html = client.get(article.url).content.decode()
    urls = set(re.findall(r"/media/images/[^\s\"',]+", html))
    assert urls, html
    for url in urls:
        status, body = fetch(media_nginx + url)
        assert status == 200, url
        assert body == s3_media.get(url.removeprefix("/media/"))
    assert fetch(f"{media_nginx}/media/{image.file.name}") == (200, png("blue", (900, 600)))
    assert fetch(f"{media_nginx}/media/images/missing.webp")[0] == 404
    # Only reads pass: a DELETE is refused by nginx (as a 404) and never reaches the store.
    assert fetch(f"{media_nginx}/media/{image.file.name}", method="DELETE")[0] == 404
    assert s3_media.get(image.file.name) == png("blue", (900, 600))
    # Nothing else under /media/ reaches the store, documents least of all.
    s3_media.client.put_object(Bucket=s3_media.bucket, Key="documents/internal.pdf", Body=b"%PDF-1.4")
    assert fetch(f"{media_nginx}/media/documents/internal.pdf")[0] == 404


def test_a_private_document_is_reachable_only_through_wagtails_view(admin_client, s3_media):
    root = Collection.get_first_root_node()
    internal = root.add_child(name="内部文件")
    CollectionViewRestriction.objects.create(collection=internal, restriction_type=CollectionViewRestriction.LOGIN)
    content = b"%PDF-1.4 internal notice\n%%EOF\n"
    document = upload_document(admin_client, internal, content)

    assert s3_media.stored_keys("documents/") == [document.file.name]
    assert document.url == reverse("wagtaildocs_serve", args=[document.pk, document.filename])
    assert s3_media.anonymous(document.file.name)[0] == 403  # what /media/documents/... would fetch

    refused = Client().get(document.url)
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("wagtailcore_login"))

    served = admin_client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == content


def test_a_second_upload_of_the_same_name_never_overwrites(admin_client, s3_media):
    first = upload_image(admin_client, png("red"), name="photo.png")
    second = upload_image(admin_client, png("green"), name="photo.png")
    assert first.file.name != second.file.name
    assert s3_media.get(first.file.name) == png("red")
    assert s3_media.get(second.file.name) == png("green")


def test_prepare_media_bucket_is_repeatable_and_opens_images_only(s3_media):
    out = io.StringIO()
    call_command("prepare_media_bucket", stdout=out)
    assert f"桶 {s3_media.bucket} 已存在" in out.getvalue()
    policy = json.loads(s3_media.client.get_bucket_policy(Bucket=s3_media.bucket)["Policy"])
    resources = [resource for statement in policy["Statement"] for resource in statement["Resource"]]
    assert sorted(resources) == [
        f"arn:aws:s3:::{s3_media.bucket}/images/*",
        f"arn:aws:s3:::{s3_media.bucket}/original_images/*",
    ]
    for key in ("documents/a.pdf", "other/b.txt"):
        s3_media.client.put_object(Bucket=s3_media.bucket, Key=key, Body=b"private")
        assert s3_media.anonymous(key)[0] == 403


@pytest.mark.django_db(transaction=True)
def test_backup_holds_the_buckets_files_and_restore_puts_them_in_an_empty_bucket(s3_media, scratch, tmp_path, settings):  # noqa: F811
    # Private attachments stay in folders (here empty ones of this test's own), media in the bucket.
    settings.INTAKE_ATTACHMENT_ROOT, settings.LIAISON_ATTACHMENT_ROOT = tmp_path / "intake", tmp_path / "liaison"
    image = Image.objects.create(title="封面", file=SimpleUploadedFile("cover.png", png()))
    rendition = image.get_rendition("width-20")
    default_storage.save("documents/备份测试/说明.txt", ContentFile("备份的测试文件。\n".encode()))
    stored = {key: s3_media.get(key) for key in s3_media.stored_keys()}
    assert len(stored) == 3

    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    assert f"文件 media（对象存储 s3://{s3_media.bucket}）：3 个" in out.getvalue()
    (archive,) = (tmp_path / "backups").glob("portal-*.tar.gz")
    with tarfile.open(archive) as tar:
        archived = {
            name.removeprefix("files/media/"): tar.extractfile(name).read()
            for name in tar.getnames()
            if name.startswith("files/media/")
        }
    assert archived == stored

    # A fresh installation: an empty database, empty folders and an empty bucket of its own.
    fresh = f"{s3_media.bucket}-fresh"
    s3_media.client.create_bucket(Bucket=fresh)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": fresh},
        },
    }
    settings.INTAKE_ATTACHMENT_ROOT, settings.LIAISON_ATTACHMENT_ROOT = (
        tmp_path / "fresh-intake",
        tmp_path / "fresh-liaison",
    )
    out = io.StringIO()
    call_command("restore", str(archive), database=scratch, stdout=out)
    assert f"文件 media（对象存储 s3://{fresh}）：3 个" in out.getvalue()
    restored = {item["Key"] for item in s3_media.client.list_objects_v2(Bucket=fresh)["Contents"]}
    assert restored == set(stored)
    for key, content in stored.items():
        assert s3_media.client.get_object(Bucket=fresh, Key=key)["Body"].read() == content
    assert rendition.file.name in restored
    head = s3_media.client.head_object(Bucket=fresh, Key=image.file.name)
    assert head["ContentType"] == "image/png"  # nginx passes it on to browsers

    # Now the bucket holds files: restore refuses unless told to replace them.
    with pytest.raises(CommandError, match=f"media 对象存储 s3://{fresh} 中有文件"):
        call_command("restore", str(archive), database=scratch, stdout=io.StringIO())
