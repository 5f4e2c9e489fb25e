"""/healthz: "ok" when the database answers, a 503 when it does not, and it never creates a database."""

import pytest

from tests.test_settings import manage

# Through the whole middleware stack, as the proxy asks; the test client's host is not an allowed one.
PROBE = (
    "from django.test import Client\n"
    "response = Client(raise_request_exception=False).get('/healthz')\n"
    "print(response.status_code, response.content.decode())\n"
)


def test_healthz_is_ok_while_the_database_answers(client, db):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert client.head("/healthz").status_code == 200  # load balancers often probe with HEAD


def test_a_missing_sqlite_file_is_a_503_and_stays_missing(tmp_path):
    # Development settings without Redis: the page cache is a database table, read before any view.
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        PROBE,
        env={"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "PORTAL_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:1] == ["503"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "url", ["postgres://portal@127.0.0.1:9/portal", "sqlite:////nonexistent-folder/portal.sqlite3"]
)
def test_an_unreachable_database_is_a_503(tmp_path, url):
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "PORTAL_VAR_DIR": str(tmp_path), "DATABASE_URL": url}
    result = manage("shell", "--no-imports", "-c", PROBE, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:1] == ["503"]
