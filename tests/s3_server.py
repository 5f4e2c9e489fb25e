"""A real S3-compatible server for the object-storage tests: moto's server mode (`moto[server]`,
requirements-dev.txt), started once per test session on a free port in a temporary folder.

It keeps everything in memory, so each test gets a bucket of its own (`s3_media`), prepared by
`manage.py prepare_media_bucket` as an installation would be, with Django's default storage pointed
at it through the same settings code that reads S3_BUCKET in production."""

import io
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from types import SimpleNamespace

import boto3
import pytest
from django.core.management import call_command

from tests.imap_server import _free_port

MOTO_SERVER = Path(sys.executable).with_name("moto_server")
CREDENTIALS = {"aws_access_key_id": "portal-test", "aws_secret_access_key": "portal-test-secret"}


def _answers(endpoint):
    try:
        with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):  # noqa: S310 - our own http URL
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def s3_server():
    if not MOTO_SERVER.exists():
        pytest.fail(f"{MOTO_SERVER} is missing: install requirements-dev.txt (moto[server]).")
    folder = tempfile.mkdtemp(prefix="moto-")
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with open(Path(folder) / "moto.log", "wb") as log:
        process = subprocess.Popen(
            [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 20
        while not _answers(endpoint):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"moto_server did not start: {(Path(folder) / 'moto.log').read_text()[-2000:]}")
            time.sleep(0.1)
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
        yield SimpleNamespace(endpoint=endpoint, client=client)
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def s3_media(s3_server, settings, monkeypatch):
    """Media in a fresh bucket, configured from the environment as production is."""
    from portal.settings.base import media_storage_from_env

    bucket = f"media-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("S3_BUCKET", bucket)
    monkeypatch.setenv("S3_ENDPOINT_URL", s3_server.endpoint)
    monkeypatch.setenv("S3_ACCESS_KEY_ID", CREDENTIALS["aws_access_key_id"])
    monkeypatch.setenv("S3_SECRET_ACCESS_KEY", CREDENTIALS["aws_secret_access_key"])
    monkeypatch.delenv("S3_REGION", raising=False)
    settings.S3_BUCKET = bucket
    settings.STORAGES = {**settings.STORAGES, "default": media_storage_from_env()}
    call_command("prepare_media_bucket", stdout=io.StringIO())

    def stored_keys(prefix=""):
        listed = s3_server.client.list_objects_v2(Bucket=bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def get(key):
        return s3_server.client.get_object(Bucket=bucket, Key=key)["Body"].read()

    def anonymous(key):
        """What nginx fetches for /media/<key>: no credentials, no signature. (status, body)"""
        try:
            url = f"{s3_server.endpoint}/{bucket}/{key}"
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own http URL
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, b""

    return SimpleNamespace(
        bucket=bucket,
        endpoint=s3_server.endpoint,
        client=s3_server.client,
        stored_keys=stored_keys,
        get=get,
        anonymous=anonymous,
    )
