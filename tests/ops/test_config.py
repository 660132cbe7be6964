"""The production profile refuses development defaults and trusts exactly the configured proxy hops."""

import os
import subprocess
import sys
from pathlib import Path

import config
from crm import create_app
from crm.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def _start(tmp_path, **env) -> subprocess.CompletedProcess:
    """Import wsgi.py in a fresh process, as gunicorn does, with exactly the given settings."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "TRUSTED_HOSTS", "DATABASE_URL")
             and not k.startswith("CRM_")}
    clean.update(CRM_ENV="production", CRM_INSTANCE_DIR=str(tmp_path), **env)
    code = "import wsgi; c = wsgi.app.config; print(c['SESSION_COOKIE_SECURE'], c['HSTS'], c['LOG_FORMAT'])"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
                          timeout=60, check=False)


def test_production_refuses_to_start_without_secret_key(tmp_path):
    started = _start(tmp_path, TRUSTED_HOSTS="crm.example.org")
    assert started.returncode != 0
    assert "SECRET_KEY must be set when CRM_ENV=production" in started.stderr


def test_production_refuses_to_start_without_trusted_hosts(tmp_path):
    started = _start(tmp_path, SECRET_KEY="x" * 40)
    assert started.returncode != 0
    assert "TRUSTED_HOSTS must list the host names" in started.stderr


def test_production_starts_with_both_and_hardens_cookies(tmp_path):
    started = _start(tmp_path, SECRET_KEY="x" * 40, TRUSTED_HOSTS="crm.example.org",
                     DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == ["True", "True", "json"]


def test_production_refuses_other_host_names(isolated_app, monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    settings = config.ProductionConfig(TRUSTED_HOSTS=["crm.example.org"],
                                       SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    settings.validate()
    app = create_app(settings)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "crm.example.org"}).status_code == 200
    # A request for a host name the instance does not serve is refused (host-header attacks).
    assert client.get("/healthz", headers={"Host": "evil.example.com"}).status_code == 400
    with app.app_context():
        db.engine.dispose()


def test_unknown_environment_name_is_refused(monkeypatch):
    monkeypatch.setenv("CRM_ENV", "prod")
    try:
        config.config_from_env()
    except config.ConfigError as error:
        assert "CRM_ENV" in str(error)
    else:
        raise AssertionError("CRM_ENV=prod was accepted")


def _remote_addr_seen(app, headers) -> tuple[str, str]:
    seen = {}

    @app.get("/_probe")
    def probe():
        from flask import request

        seen["addr"] = request.remote_addr
        seen["scheme"] = request.scheme
        seen["host"] = request.host
        return "ok"

    app.test_client().get("/_probe", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    return seen


FORWARDED = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "crm.example.org"}


def test_proxy_fix_trusts_exactly_one_hop(app):
    proxied = create_app(config.TestingConfig(SQLALCHEMY_DATABASE_URI="sqlite://", PROXY_HOPS=1))
    seen = _remote_addr_seen(proxied, FORWARDED)
    # One trusted proxy: the address it saw (the last one), never the client-supplied first one.
    assert seen == {"addr": "198.51.100.7", "scheme": "https", "host": "crm.example.org"}


def test_without_proxy_hops_forwarded_headers_are_ignored(app):
    direct = create_app(config.TestingConfig(SQLALCHEMY_DATABASE_URI="sqlite://", PROXY_HOPS=0))
    seen = _remote_addr_seen(direct, FORWARDED)
    assert seen["addr"] == "10.0.0.2"
    assert seen["scheme"] == "http"
    assert seen["host"] == "localhost"


def test_the_sample_environment_file_loads_in_a_shell_as_the_guide_says(tmp_path):
    """docs/production.md loads the file with `set -a; . FILE; set +a` to run commands by hand."""
    sample = ROOT / "deploy" / "cabildeo.env.example"
    script = f'set -e; set -a; . "{sample}"; set +a; printf "%s\\n" "$MAIL_FROM" "$CRM_ENV" "$GUNICORN_WORKERS"'
    loaded = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30, check=False)
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stderr == ""
    assert loaded.stdout.splitlines() == ["Cabildeo <no-reply@example.org>", "production", "5"]
