"""The import as a web page (upload, dry run, confirm, progress) and as a CLI command."""

import io
import json
import re

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.legislature.models import ImportJob, Legislator
from tests.legislature.conftest import FIXTURES, OPENPERU, US, read, table_counts


def _upload(client, path, fmt="openperu", **fields):
    data = {"format": fmt, "file": (io.BytesIO(path.read_bytes()), path.name), **fields}
    return client.post("/imports/legislators", data=data, content_type="multipart/form-data")


def _run_steps(client, job_id):
    for _ in range(20):
        html = client.post(f"/imports/legislators/{job_id}/step").get_data(as_text=True)
        if "hx-post" not in html:
            return html
    raise AssertionError("import never finished")


def test_web_import_dry_run_confirm_progress_and_reimport(make_user, login_as):
    client = login_as(make_user("director"))
    assert client.get("/imports/legislators").status_code == 200
    before = table_counts()
    response = _upload(client, OPENPERU, period="2011-2016")
    assert response.status_code == 302
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    html = client.get(f"/imports/legislators/{job_id}").get_data(as_text=True)
    assert "todavía no se ha escrito nada" in html and ">133<" in html and "Confirmar e importar" in html
    assert "bancada_name" in html  # the warnings are listed by record and field
    after_check = table_counts()
    assert after_check["Legislator"] == before["Legislator"] == 0
    assert client.post(f"/imports/legislators/{job_id}/apply").status_code == 302
    html = client.get(f"/imports/legislators/{job_id}").get_data(as_text=True)
    assert "<progress" in html and "hx-post" in html and "0 de 133" in html
    first = client.post(f"/imports/legislators/{job_id}/step").get_data(as_text=True)
    assert "50 de 133" in first  # at most 10 steps, at least 50 people each
    html = _run_steps(client, job_id)
    assert "Importación terminada" in html and "Creados: 133 · Actualizados: 0 · Sin cambios: 0" in html
    assert db.session.execute(select(func.count(Legislator.id))).scalar_one() == 133
    job = db.session.get(ImportJob, job_id)
    assert job.status == "done" and job.files == {}
    # Applying the same job again does nothing; re-uploading the file reports 133 unchanged.
    assert client.post(f"/imports/legislators/{job_id}/apply").status_code == 302
    html = client.get("/imports/legislators").get_data(as_text=True)
    assert "Importaciones recientes" in html and "133 nuevos, 0 actualizados" in html
    response = _upload(client, OPENPERU, period="2011-2016")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r">0<.*se crearán", html, re.S) and ">133<" in html


@pytest.mark.slow
def test_web_import_in_chunks_shows_progress(make_user, login_as):
    if not US.exists():
        return
    client = login_as(make_user("admin"))
    response = _upload(client, US / "legislators-current.csv", fmt="congress-legislators")
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/imports/legislators/{job_id}/apply")
    html = client.post(f"/imports/legislators/{job_id}/step").get_data(as_text=True)
    assert "54 de 537" in html and 'value="54"' in html  # 537 people in at most 10 steps
    html = _run_steps(client, job_id)
    assert "Creados: 537" in html


def test_web_broken_file_writes_nothing(make_user, login_as, tmp_path):
    client = login_as(make_user("director"))
    bad = tmp_path / "roto.json"
    data = json.loads(read(OPENPERU))
    data["Parlamentario 2011 - 2016"][9]["id"] = None
    bad.write_text(json.dumps(data), encoding="utf-8")
    before = table_counts()
    response = _upload(client, bad, period="2011-2016")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "registro 10" in html and "Falta el identificador" in html and "No se ha modificado nada" in html
    assert table_counts() == before
    bad.write_text("{not json", encoding="utf-8")
    response = _upload(client, bad, period="2011-2016")
    assert response.status_code == 422 and "no es JSON válido" in response.get_data(as_text=True)
    bad.write_bytes("full_name\nJosé\n".encode("latin-1"))
    response = _upload(client, bad, fmt="csv", chamber="Pleno", seats="10", legislature="X")
    assert response.status_code == 422 and "UTF-8" in response.get_data(as_text=True)
    assert table_counts() == before


def test_officers_cannot_import(make_user, login_as):
    client = login_as(make_user("officer"))
    assert client.get("/imports/legislators").status_code == 403
    assert _upload(client, OPENPERU, period="2011-2016").status_code == 403


def test_cli_dry_run_then_apply_then_reimport(app):
    runner = app.test_cli_runner()
    args = ["crm", "import-legislators", str(OPENPERU), "--format", "openperu", "--period", "2011-2016"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "crear 133" in result.output and "no se ha escrito nada" in result.output
    assert "registro 45 (id 44) · bancada_name" in result.output
    assert db.session.execute(select(func.count(Legislator.id))).scalar_one() == 0
    result = runner.invoke(args=[*args, "--dry-run", "--yes"])
    assert "no se ha escrito nada" in result.output
    assert db.session.execute(select(func.count(Legislator.id))).scalar_one() == 0
    result = runner.invoke(args=[*args, "--yes"])
    assert result.exit_code == 0, result.output
    assert "133 creados" in result.output
    result = runner.invoke(args=[*args, "--yes"])
    assert "sin cambios 133" in result.output and "0 creados, 0 actualizados, 133 sin cambios" in result.output
    assert db.session.execute(select(func.count(Legislator.id))).scalar_one() == 133


def test_cli_broken_file_fails_and_writes_nothing(app, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(read(FIXTURES / "plain.csv").replace("Ana Lucía Quispe Mamani", ""), encoding="utf-8")
    before = table_counts()
    result = app.test_cli_runner().invoke(
        args=["crm", "import-legislators", str(bad), "--format", "csv", "--legislature", "Prueba", "--yes"]
    )
    assert result.exit_code == 1
    assert "ERROR: línea 2 · full_name" in result.output and "no se ha modificado nada" in result.output
    assert table_counts() == before
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("full_name\nJosé Pérez\n".encode("latin-1"))
    result = app.test_cli_runner().invoke(
        args=["crm", "import-legislators", str(latin1), "--format", "csv", "--legislature", "Prueba", "--yes"]
    )
    assert result.exit_code == 1
    assert "Archivo: el archivo no está en UTF-8 (byte 13)." in result.output
    assert table_counts() == before


@pytest.mark.slow
def test_cli_congress_legislators_with_committees(app, tmp_path):
    if not US.exists():
        return
    import yaml

    # Two committees' worth of the real membership file keeps the test quick.
    memberships = yaml.safe_load(read(US / "committee-membership-current.yaml"))
    small = tmp_path / "membership.yaml"
    small.write_text(yaml.safe_dump({k: memberships[k] for k in ("SSAF", "HSAG")}), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=[
        "crm", "import-legislators", str(US / "legislators-current.csv"), "--format", "congress-legislators",
        "--committees", str(US / "committees-current.yaml"), "--committee-membership", str(small), "--yes",
    ])
    assert result.exit_code == 0, result.output
    assert "537 creados" in result.output and "comisiones nuevas: 230" in result.output
    expected = len(memberships["SSAF"]) + len(memberships["HSAG"])
    assert f"membresías de comisión nuevas o cambiadas: {expected}" in result.output


@pytest.mark.slow
def test_web_upload_with_committee_files_dry_run(make_user, login_as):
    if not US.exists():
        return
    import yaml

    # Werkzeug's test client spools bodies over 500 kB to a file it never closes: keep the upload small.
    memberships = yaml.safe_load(read(US / "committee-membership-current.yaml"))
    small = yaml.safe_dump({k: memberships[k] for k in ("SSAF", "HSAG")}).encode()
    client = login_as(make_user("admin"))
    data = {
        "format": "congress-legislators",
        "file": (io.BytesIO((US / "legislators-current.csv").read_bytes()), "legislators-current.csv"),
        "committees": (io.BytesIO((US / "committees-current.yaml").read_bytes()), "committees-current.yaml"),
        "memberships": (io.BytesIO(small), "committee-membership-current.yaml"),
    }
    response = client.post("/imports/legislators", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    expected = len(memberships["SSAF"]) + len(memberships["HSAG"])
    assert ">537<" in html and "comisiones nuevas: 230" in html
    assert f"membresías de comisión nuevas o cambiadas: {expected}" in html and "United States Congress" in html


def test_import_page_names_the_format_in_the_users_language(make_user, login_as):
    client = login_as(make_user("director", language="en"))
    response = _upload(client, FIXTURES / "plain.csv", fmt="csv", chamber="Pleno", seats="130", legislature="Prueba", country="PE")
    assert response.status_code == 302
    assert "Cabildeo CSV" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_dry_run_page_names_the_new_structure(make_user, login_as):
    client = login_as(make_user("director"))
    response = _upload(client, FIXTURES / "plain.csv", fmt="csv", chamber="Pleno", seats="130", legislature="Prueba", country="PE")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "legislaturas nuevas: 1" in html and "cámaras nuevas: 2" in html
