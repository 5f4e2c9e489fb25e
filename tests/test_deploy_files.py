"""The example systemd units and nginx site under deploy/ are valid and run what exists;
the set-up script waits for apt's lock instead of failing."""

import configparser
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service")) + sorted((DEPLOY / "systemd").glob("*.timer"))
APP = "/srv/portal/app"
ENVIRONMENT_FILE = "/etc/portal/portal.env"


def unit(path):
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser


def exec_start(path):
    return shlex.split(unit(path)["Service"]["ExecStart"])


def test_there_is_a_unit_for_the_app_server_the_worker_the_scheduled_jobs_and_the_backup():
    assert {path.name for path in UNITS} == {
        "portal-web.service",
        "portal-worker.service",
        "portal-scheduled.service",
        "portal-scheduled.timer",
        "portal-backup.service",
        "portal-backup.timer",
    }


@pytest.mark.parametrize("path", [p for p in UNITS if p.suffix == ".service"], ids=lambda p: p.name)
def test_every_service_runs_as_the_portal_user_from_the_app_folder_with_the_environment_file(path):
    service = unit(path)["Service"]
    assert service["User"] == "portal"
    assert service["WorkingDirectory"] == APP
    assert service["EnvironmentFile"] == ENVIRONMENT_FILE
    assert service["ReadWritePaths"] == "/var/lib/portal"
    program = exec_start(path)[0]
    assert program.startswith(f"{APP}/.venv/bin/")


@pytest.mark.parametrize("path", [p for p in UNITS if p.suffix == ".service"], ids=lambda p: p.name)
def test_every_management_command_the_units_run_exists(path):
    command = exec_start(path)
    if command[1:2] == ["manage.py"]:
        assert command[2] in get_commands(), command


def test_the_app_server_has_a_timeout_and_listens_where_nginx_forwards():
    command = exec_start(DEPLOY / "systemd" / "portal-web.service")
    assert command[1] == "portal.wsgi"
    assert "--preload" in command  # the workers share the search dictionary loaded by the master
    command = [part for part in command if part not in {"--preload", "--no-control-socket"}]
    options = dict(zip(command[2::2], command[3::2], strict=False))
    assert int(options["--timeout"]) >= 30
    assert options["--bind"] == "127.0.0.1:8000"
    assert "server 127.0.0.1:8000;" in (DEPLOY / "nginx" / "portal.conf").read_text()


def test_the_worker_takes_every_queue_the_portal_uses():
    command = exec_start(DEPLOY / "systemd" / "portal-worker.service")
    assert command[2] == "db_worker"
    assert command[command.index("--backend") + 1] == "background"
    assert command[command.index("--queue-name") + 1] == "*", settings.TASKS["background"]["QUEUES"]


def test_the_timer_starts_the_scheduled_jobs_every_minute():
    timer = unit(DEPLOY / "systemd" / "portal-scheduled.timer")["Timer"]
    assert timer["Unit"] == "portal-scheduled.service"
    assert timer["OnCalendar"] == "*-*-* *:*:00"
    assert exec_start(DEPLOY / "systemd" / "portal-scheduled.service")[1:] == ["manage.py", "run_scheduled_jobs"]


def test_the_backup_runs_every_night_and_keeps_two_weeks():
    timer = unit(DEPLOY / "systemd" / "portal-backup.timer")["Timer"]
    assert timer["Unit"] == "portal-backup.service"
    assert timer["OnCalendar"] == "*-*-* 02:30:00"
    assert timer["Persistent"] == "true"  # a night the machine was off is made up at boot
    assert exec_start(DEPLOY / "systemd" / "portal-backup.service")[1:] == ["manage.py", "backup", "--keep", "14"]


def test_the_environment_example_names_every_setting_outside_the_checkout():
    example = (DEPLOY / "portal.env.example").read_text()
    values = dict(
        line.split("=", 1) for line in example.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )
    assert values["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
    for name in (
        "MEDIA_ROOT",
        "INTAKE_ATTACHMENT_ROOT",
        "LIAISON_ATTACHMENT_ROOT",
        "WORKBENCH_WORKBOOK_ROOT",
        "STATIC_ROOT",
        "PORTAL_VAR_DIR",
        "BACKUP_ROOT",
    ):
        assert values[name].startswith("/var/lib/portal/") or values[name] == "/var/lib/portal", name
    for private in ("INTAKE_ATTACHMENT_ROOT", "LIAISON_ATTACHMENT_ROOT", "WORKBENCH_WORKBOOK_ROOT"):
        assert not values[private].startswith(values["MEDIA_ROOT"]), private
    assert values["DATABASE_URL"].startswith("postgres://")
    assert values["INTAKE_TRUSTED_PROXY_COUNT"] == "1"  # nginx, the one proxy, appends to X-Forwarded-For
    assert {"DJANGO_SECRET_KEY", "INTAKE_QUERY_CODE_KEY"} <= values.keys()


def test_the_nginx_site_passes_nginx_own_check(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(nginx).exists(), "bin/test installs Debian's nginx-light"
    # A throwaway certificate where the site expects the real one.
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=talent.laibin.gov.cn",
            "-keyout",
            str(tmp_path / "privkey.pem"),
            "-out",
            str(tmp_path / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "portal.conf").read_text().replace("/etc/ssl/portal/", f"{tmp_path}/")
    site = site.replace("/etc/nginx/portal_proxy_params", str(DEPLOY / "nginx" / "portal_proxy_params"))
    (tmp_path / "portal.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\n    access_log off;\n    include {tmp_path}/portal.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_apt_waits_for_the_package_lock(tmp_path):
    # Stand-ins for apt-get and dpkg-query that record how apt-get was called.
    calls = tmp_path / "calls"
    (tmp_path / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    (tmp_path / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")  # nothing is installed
    for name in ("apt-get", "dpkg-query"):
        (tmp_path / name).chmod(0o755)
    result = subprocess.run(
        ["bash", "-c", f"source {ROOT}/bin/_setup.sh && apt_install some-package"],
        env={**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    invocations = calls.read_text().splitlines()
    assert len(invocations) == 2  # update, then install
    for invocation in invocations:
        assert "DPkg::Lock::Timeout=600" in invocation
    assert "install" in invocations[1] and "some-package" in invocations[1]
