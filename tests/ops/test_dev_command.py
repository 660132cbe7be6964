"""`make run` ends in `flask crm dev`: the web server, the scheduler and the sender start together and stop together."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from crm.core.mail import enqueue_email
from crm.extensions import db
from crm.reminders.models import ProcessLock

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process checks read /proc")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def _pids(log: Path) -> dict[str, int]:
    text = log.read_text(errors="replace")
    found = {}
    for name in ("Scheduler", "Sender"):
        match = re.search(rf"{name} [^\s:]+:(\d+):\w+ started", text)
        if match:
            found[name] = int(match.group(1))
    return found


def _lease(app) -> ProcessLock | None:
    with app.app_context():
        lease = db.session.execute(select(ProcessLock)).scalar_one_or_none()
        db.session.remove()
        return lease


def test_dev_runs_web_scheduler_and_sender_and_stops_them_together(app_for, tmp_path):
    url = f"sqlite:///{tmp_path / 'dev.sqlite3'}"
    app = app_for(url)
    with app.app_context():
        enqueue_email(key="dev-command-test", kind="test", recipient="ana@example.org", subject="Prueba de arranque",
                      text="Hola")
        db.session.commit()
        db.session.remove()
    port, instance, log = _free_port(), tmp_path / "instance", tmp_path / "dev.log"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CRM_", "SMTP_", "FLASK_")) and k not in ("DATABASE_URL", "SECRET_KEY", "TRUSTED_HOSTS")}
    env.update(CRM_INSTANCE_DIR=str(instance), DATABASE_URL=url, PYTHONUNBUFFERED="1")
    with log.open("w") as output:
        dev = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "flask", "--app", "wsgi", "crm", "dev", "--port", str(port)],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not (
            _healthy(port) and len(_pids(log)) == 2 and _lease(app) and list(instance.glob("mail/*.eml"))
        ):
            assert dev.poll() is None, log.read_text()
            time.sleep(0.3)
        assert _healthy(port), log.read_text()
        pids = _pids(log)
        assert set(pids) == {"Scheduler", "Sender"}, log.read_text()
        assert all(_alive(pid) for pid in pids.values())
        assert f":{pids['Scheduler']}:" in _lease(app).holder  # the scheduler holds the one lease
        [mail] = instance.glob("mail/*.eml")  # the sender delivered the outbox
        assert "Prueba de arranque" in mail.read_text()
    finally:
        if dev.poll() is None:
            dev.send_signal(signal.SIGTERM)
        try:
            dev.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(dev.pid, signal.SIGKILL)
            raise
    # Stopping the parent stops every child: the port closes, the lease is released, no process is left.
    deadline = time.time() + 10
    while time.time() < deadline and (any(_alive(pid) for pid in pids.values()) or _healthy(port)):
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in pids.values())
    assert not _healthy(port)
    assert _lease(app) is None


def _reset_link_sent_through(port: int, email: str) -> None:
    """Ask the running server for a password reset, as a browser would (form, CSRF token, session cookie)."""
    import http.cookiejar
    import urllib.parse

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"http://127.0.0.1:{port}/password/forgot", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    body = urllib.parse.urlencode({"csrf_token": token.group(1), "email": email}).encode()
    opener.open(f"http://127.0.0.1:{port}/password/forgot", data=body, timeout=10).read()


@pytest.mark.parametrize("configured", [None, "https://crm.example.org"])
def test_dev_email_links_use_the_port_it_serves_unless_a_base_url_is_set(app_for, tmp_path, configured):
    from crm.accounts import operations
    from crm.core.outbox import OutboundEmail

    url = f"sqlite:///{tmp_path / 'dev.sqlite3'}"
    app = app_for(url)
    with app.app_context():
        operations.create_user(email="ana@example.org", name="Ana", role="officer", password="una frase bastante larga")
        db.session.commit()
        db.session.remove()
    port, log = _free_port(), tmp_path / "dev.log"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CRM_", "SMTP_", "FLASK_")) and k not in ("DATABASE_URL", "SECRET_KEY", "TRUSTED_HOSTS")}
    env.update(CRM_INSTANCE_DIR=str(tmp_path / "instance"), DATABASE_URL=url, PYTHONUNBUFFERED="1")
    if configured:
        env["CRM_BASE_URL"] = configured
    with log.open("w") as output:
        dev = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "flask", "--app", "wsgi", "crm", "dev", "--port", str(port)],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not _healthy(port):
            assert dev.poll() is None, log.read_text()
            time.sleep(0.3)
        _reset_link_sent_through(port, "ana@example.org")
        with app.app_context():
            [mail] = db.session.execute(select(OutboundEmail).where(OutboundEmail.kind == "reset")).scalars().all()
            text = mail.body_text
            db.session.remove()
    finally:
        dev.send_signal(signal.SIGTERM)
        try:
            dev.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(dev.pid, signal.SIGKILL)
            raise
    expected = configured or f"http://127.0.0.1:{port}"
    assert f"{expected}/password/reset/" in text
    assert "127.0.0.1:5000" not in text
