"""A real IMAP server for the mailbox tests: Dovecot from Debian's package, in a temporary directory.

The session fixture `imap_server` starts `dovecot -F` with tests/dovecot.conf.in on two free ports:
`port` speaks plain IMAP and offers STARTTLS, `tls_port` is implicit TLS (IMAPS, as imap.126.com on
993). Both present a self-signed certificate for localhost and 127.0.0.1 made for the run, `ca_file`.
It yields where it listens, the account, and `deliver()` for dropping a message into a Maildir
folder as the mail server would. Each test uses an account of its own (`new_account()`), so tests
never see each other's mail. It needs root (Dovecot's mail user is nobody) and `dovecot-imapd`,
which bin/test installs: without them it fails, never skips.
"""

import os
import pwd
import random
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

CONF = Path(__file__).with_name("dovecot.conf.in")
PASSWORD = "secret"
ACCOUNTS = 500


def _free_port():
    for port in random.sample(range(20000, 30000), 100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port")


def _greeting(port, tls):
    with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
        if not tls:
            return connection.recv(300)
        unchecked = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # only asks whose server answers
        unchecked.check_hostname, unchecked.verify_mode = False, ssl.CERT_NONE
        with unchecked.wrap_socket(connection) as secured:
            return secured.recv(300)


def _ready(process, port, tls_port, token, timeout=10):
    """True once our greeting answers on both ports; False if dovecot exited (a port was taken)."""
    end = time.monotonic() + timeout
    waiting = [(port, False), (tls_port, True)]
    while process.poll() is None and time.monotonic() < end:
        try:
            if token in _greeting(*waiting[0]):
                waiting.pop(0)
                if not waiting:
                    return True
        except OSError:
            time.sleep(0.02)
    if process.poll() is None:
        process.kill()
        raise RuntimeError("dovecot did not answer")
    return False


@pytest.fixture(scope="session")
def imap_server():
    dovecot = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.path.exists(dovecot):
        pytest.fail("dovecot is missing: bin/test installs Debian's dovecot-imapd package.")
    if os.geteuid() != 0:
        pytest.fail("the IMAP tests run Dovecot as root (its mail user is nobody): run them as root.")
    directory = tempfile.mkdtemp(prefix="imap-")
    os.chmod(directory, 0o755)  # noqa: S103 - the auth process runs as dovecot and must read the users file
    nobody = pwd.getpwnam("nobody")
    os.mkdir(f"{directory}/mail")
    os.chown(f"{directory}/mail", nobody.pw_uid, nobody.pw_gid)
    # Accounts made up front: Dovecot may not notice a users file that changes within a second.
    accounts = iter(f"user{number}" for number in range(ACCOUNTS))
    Path(directory, "users").write_text("".join(f"user{n}:{{PLAIN}}{PASSWORD}::::::\n" for n in range(ACCOUNTS)))
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"),
            *("-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
            *("-keyout", f"{directory}/key.pem", "-out", f"{directory}/cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    for _ in range(5):  # another process may take a port first
        port, tls_port = _free_port(), _free_port()
        if port == tls_port:
            continue
        Path(directory, "dovecot.conf").write_text(
            CONF.read_text().replace("@T@", directory).replace("@TLS_PORT@", str(tls_port)).replace("@PORT@", str(port))
        )
        with open(f"{directory}/stderr", "ab") as stderr:
            process = subprocess.Popen([dovecot, "-F", "-c", f"{directory}/dovecot.conf"], stderr=stderr)
        if _ready(process, port, tls_port, directory.encode()):
            break
    else:
        pytest.fail("dovecot did not start: " + Path(directory, "stderr").read_text())

    def new_account():
        """An unused account (the password is the same for all), so that each test has its own mailbox."""
        return next(accounts)

    def deliver(raw, user, folder=""):
        """Drops `raw` into the user's Maildir as delivery does (tmp/, then new/), owned by nobody."""
        base = Path(directory, "mail", user, f".{folder}" if folder else "")
        for path in (base, base / "tmp", base / "new", base / "cur"):
            path.mkdir(parents=True, exist_ok=True)
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        name = f"{time.time():.6f}.{uuid.uuid4().hex}.test"
        (base / "tmp" / name).write_bytes(raw)
        os.chown(base / "tmp" / name, nobody.pw_uid, nobody.pw_gid)
        (base / "tmp" / name).rename(base / "new" / name)

    yield SimpleNamespace(
        host="127.0.0.1",
        port=port,
        tls_port=tls_port,
        ca_file=f"{directory}/cert.pem",
        password=PASSWORD,
        dir=directory,
        new_account=new_account,
        deliver=deliver,
    )
    process.terminate()  # the master exits, and frees the port, about a second later
    process.wait(timeout=15)
    shutil.rmtree(directory, ignore_errors=True)
