"""The documented web command really serves: gunicorn.conf.py, production mode, JSON logs, 2 workers."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crm.extensions import db
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port, path, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.slow
def test_gunicorn_serves_in_production_mode_with_json_access_lines(isolated_app, tmp_path):
    url = f"sqlite:///{tmp_path / 'web.sqlite3'}"
    app = make_app(url)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "GUNICORN_"))}
    env.update(CRM_ENV="production", SECRET_KEY="s" * 64, TRUSTED_HOSTS="crm.example.org", DATABASE_URL=url,
               CRM_PROXY_HOPS="1", CRM_INSTANCE_DIR=str(tmp_path), GUNICORN_BIND=f"127.0.0.1:{port}",
               GUNICORN_WORKERS="2")
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            headers = {"Host": "crm.example.org", "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7",
                       "X-Forwarded-Host": "crm.example.org"}
            deadline = time.time() + 30
            while True:
                try:
                    status, _h, body = _get(port, "/healthz", headers)
                    break
                except OSError:
                    assert server.poll() is None and time.time() < deadline, log_path.read_text()
                    time.sleep(0.1)
            assert status == 200 and json.loads(body)["database"] == "ok"
            status, response_headers, body = _get(port, "/login?next=/tasks", {**headers, "X-Request-ID": "req0123456789"})
            assert status == 200 and "Iniciar sesión" in body.decode()
            # Secure cookies and HSTS: the proxy said the client used HTTPS.
            assert "Secure" in response_headers.get("Set-Cookie", "")
            assert "Strict-Transport-Security" in response_headers
            forged = {**headers, "Host": "evil.example.com", "X-Forwarded-Host": "evil.example.com"}
            assert _get(port, "/login", forged)[0] == 400
        finally:
            server.terminate()
            server.wait(timeout=30)
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    assert len(lines) == len(log_path.read_text().splitlines())  # every line is JSON
    access = [line for line in lines if line["logger"] == "crm.access"]
    [login] = [line for line in access if line["request_id"] == "req0123456789"]
    assert (login["method"], login["path"], login["status"], login["remote_addr"]) == ("GET", "/login", 200, "198.51.100.7")
    assert "next=" not in log_path.read_text()
    # No shared per-user control socket: two instances on one host must not fight over it.
    assert not [line for line in lines if "Control socket" in line["message"]]
    booted = [line for line in lines if "Booting worker" in line["message"]]
    assert len(booted) == 2
