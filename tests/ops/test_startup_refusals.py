"""What production refuses at start-up, and how every process logs there (JSON lines)."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from config import ConfigError, config_from_env
from crm import create_app
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parents[2]


def _production_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CRM_", "SMTP_", "FLASK_")) and k not in ("SECRET_KEY", "TRUSTED_HOSTS", "DATABASE_URL")}
    env.update(CRM_ENV="production", SECRET_KEY="s" * 40, TRUSTED_HOSTS="crm.example.org", FLASK_APP="wsgi",
               DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}", CRM_INSTANCE_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def _flask(args, env, **kwargs):
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False, **kwargs)


def test_production_with_flask_debug_refuses_to_start(tmp_path):
    started = _flask(["crm", "run-reminders"], _production_env(tmp_path, FLASK_DEBUG="1"))
    assert started.returncode != 0
    assert "FLASK_DEBUG is on" in started.stderr


def test_production_with_the_debug_flag_refuses_through_create_app(monkeypatch, tmp_path):
    for key, value in _production_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("FLASK_DEBUG", "true")
    with pytest.raises(ConfigError, match="FLASK_DEBUG"):
        create_app()


def test_production_without_database_url_refuses_rather_than_use_sqlite(tmp_path):
    env = _production_env(tmp_path)
    del env["DATABASE_URL"]
    started = _flask(["crm", "run-reminders"], env)
    assert started.returncode != 0 and "DATABASE_URL must be set" in started.stderr
    assert not (tmp_path / "cabildeo.sqlite3").exists()


def test_a_command_run_without_the_production_env_file_loaded_refuses(tmp_path):
    env_file = tmp_path / "cabildeo.env"
    env_file.write_text("CRM_ENV=production\n")
    with pytest.raises(ConfigError, match="not loaded"):
        config_from_env({"CRM_ENV_FILE": str(env_file), "CRM_INSTANCE_DIR": str(tmp_path)})
    # A laptop that says so explicitly still runs.
    config_from_env({"CRM_ENV_FILE": str(env_file), "CRM_ENV": "development", "CRM_INSTANCE_DIR": str(tmp_path)})


def test_the_pool_is_a_ceiling_per_process(tmp_path):
    settings = config_from_env({**{k: v for k, v in _production_env(tmp_path).items() if k != "DATABASE_URL"},
                                "DATABASE_URL": "postgresql+psycopg://crm@127.0.0.1:9/cabildeo", "CRM_DB_POOL_SIZE": "3"})
    app = create_app(settings)
    with app.app_context():
        from crm.extensions import db

        assert (db.engine.pool.size(), db.engine.pool._max_overflow) == (3, 0)
        db.engine.dispose()


def _json_lines(text):
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines, "nothing was logged"
    return [json.loads(line) for line in lines]


@pytest.mark.slow
@pytest.mark.parametrize("command", [["crm", "scheduler"], ["crm", "sender", "--interval", "0.2"]])
def test_long_running_processes_log_json_lines_in_production(tmp_path, command):
    env = _production_env(tmp_path)
    app = make_app(env["DATABASE_URL"])
    with app.app_context():
        from crm.extensions import db

        db.create_all()
        db.engine.dispose()
    process = subprocess.Popen([sys.executable, "-m", "flask", *command], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    # Wait for the start line rather than a fixed time: on a loaded machine the imports alone can take seconds.
    watchdog = threading.Timer(60, process.kill)
    watchdog.start()
    seen = []
    while line := process.stdout.readline():
        seen.append(line)
        if "started" in line:
            break
    watchdog.cancel()
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    output = "".join(seen) + process.communicate(timeout=30)[0]
    entries = _json_lines(output)
    assert any("started" in entry["message"] for entry in entries)
    assert all({"time", "level", "logger", "message"} <= set(entry) for entry in entries)


def test_a_cli_command_logs_json_lines_in_production(tmp_path):
    env = _production_env(tmp_path, CRM_TYPO_VARIABLE="1")
    app = make_app(env["DATABASE_URL"])
    with app.app_context():
        from crm.extensions import db

        db.create_all()
        db.engine.dispose()
    done = _flask(["crm", "run-reminders"], env)
    assert done.returncode == 0, done.stderr
    [entry] = _json_lines(done.stderr)
    assert entry["level"] == "WARNING" and "CRM_TYPO_VARIABLE" in entry["message"]
