"""deploy/cabildeo-manage: the production guide's way to run a command by hand as the service user."""

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRAPPER = ROOT / "deploy" / "cabildeo-manage"


def _env_file(tmp_path, database):
    path = tmp_path / "cabildeo.env"
    path.write_text(
        "CRM_ENV=production\nSECRET_KEY=" + "k" * 40 + "\nTRUSTED_HOSTS=crm.example.org\n"
        f"DATABASE_URL=sqlite:///{database}\nCRM_INSTANCE_DIR={tmp_path}\n"
        'MAIL_FROM="Cabildeo <no-reply@example.org>"\n'
    )
    path.chmod(0o600)
    return path


def _run(env_file, user, *args, app=ROOT):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "SMTP_", "FLASK_"))
           and k not in ("SECRET_KEY", "TRUSTED_HOSTS", "DATABASE_URL")}
    env.update(CABILDEO_ENV_FILE=str(env_file), CABILDEO_USER=user, CABILDEO_APP=str(app))
    return subprocess.run(["sh", str(WRAPPER), *args], env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(os.geteuid() != 0, reason="reading a root-only file and dropping privileges needs root")
def test_the_wrapper_reads_the_root_only_file_and_drops_to_the_service_user(tmp_path):
    # A stand-in checkout whose flask reports who runs it and with which settings.
    # Under /tmp itself: pytest's own folder is private to root, and the service user must enter this one.
    fake = Path(tempfile.mkdtemp(prefix="cabildeo-manage-")) / "app"
    fake.parent.chmod(0o755)
    (fake / ".venv" / "bin").mkdir(parents=True)
    flask = fake / ".venv" / "bin" / "flask"
    flask.write_text('#!/bin/sh\necho "$(id -un) $CRM_ENV $MAIL_FROM $HOME $(pwd) $*"\n')
    flask.chmod(0o755)
    tmp_path.chmod(0o755)
    env_file = _env_file(tmp_path, tmp_path / "prod.sqlite3")
    done = _run(env_file, "nobody", "crm", "backup", app=fake)
    assert done.returncode == 0, done.stderr
    home = pwd.getpwnam("nobody").pw_dir
    assert done.stdout.split() == ["nobody", "production", "Cabildeo", "<no-reply@example.org>", home, str(fake),
                                   "--app", "wsgi", "crm", "backup"]
    # Without root the file cannot be read, and the wrapper says what to do.
    refused = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "sh", str(WRAPPER),
                              "db", "current"], env={"CABILDEO_ENV_FILE": str(env_file), "PATH": os.environ["PATH"]},
                             capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode == 1 and "run it with sudo" in refused.stderr
    shutil.rmtree(fake.parent)


def test_the_wrapper_runs_the_real_app_with_the_files_settings(tmp_path):
    database = tmp_path / "prod.sqlite3"
    env_file = _env_file(tmp_path, database)
    done = _run(env_file, pwd.getpwuid(os.geteuid()).pw_name, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert database.exists()


def test_a_command_without_the_settings_refuses_instead_of_using_sqlite(tmp_path):
    env_file = _env_file(tmp_path, tmp_path / "prod.sqlite3")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "SMTP_", "FLASK_"))}
    env.update(CRM_ENV_FILE=str(env_file), CRM_INSTANCE_DIR=str(tmp_path / "laptop"))
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "crm", "run-reminders"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0 and "its settings are not loaded" in done.stderr
    assert not (tmp_path / "laptop").exists()
