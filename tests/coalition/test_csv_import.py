import io
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.coalition import csv_import
from crm.coalition.models import SignatureBatch
from crm.coalition.regions import REGIONS
from crm.extensions import db


def _count(drive):
    return db.session.execute(select(func.count(SignatureBatch.id)).where(SignatureBatch.drive_id == drive.id)).scalar()


def _upload(client, drive, text, name="lotes.csv"):
    data = {"file": (io.BytesIO(text.encode("utf-8")), name)}
    return client.post(f"/petitions/{drive.id}/import", data=data, content_type="multipart/form-data")


def test_bad_rows_are_named_by_line_and_field_and_nothing_is_written(login_as, make_user, make_drive, make_partner, today):
    officer = make_user("officer")
    make_partner("DEMUS")
    drive = make_drive()
    db.session.commit()
    future = (today + timedelta(days=3)).isoformat()
    text = (
        "fecha,lugar,tipo_lugar,region,recolector,recolectadas,notas\n"
        f"{today.isoformat()},San Marcos,universidad,Lima Metropolitana,{officer.email},250,\n"
        "2026-02-30,Plaza,plaza,Cusco,DEMUS,100,\n"
        f"{today.isoformat()},Mall,centro comercial,Narnia,DEMUS,100,\n"
        f"{future},Colegio,colegio,Puno,nadie@example.org,cien,\n"
        f"{today.isoformat()},Feria,estadio,Piura,DEMUS,0,\n"
    )
    client = login_as(officer)
    response = _upload(client, drive, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No se importó nada" in page
    assert "Línea 3, campo «fecha»" in page
    assert "Línea 4, campo «region»:" in page and "Narnia" in page
    assert "Línea 5, campo «fecha»:" in page and "futuro" in page
    assert "Línea 5, campo «recolector»:" in page and "Línea 5, campo «recolectadas»:" in page
    assert "Línea 6, campo «tipo_lugar»:" in page and "Línea 6, campo «recolectadas»:" in page
    assert "Línea 2" not in page
    assert "Confirmar importación" not in page
    assert _count(drive) == 0


def test_good_file_dry_run_then_confirm(login_as, make_user, make_drive, make_partner, today):
    officer = make_user("officer")
    make_partner("Católicas por el Derecho a Decidir")
    drive = make_drive()
    db.session.commit()
    day = today.strftime("%d/%m/%Y")
    # Semicolons and accents-free region names, as a Spanish spreadsheet would save them.
    text = (
        "Fecha;Lugar;Tipo_lugar;Región;Recolector;Recolectadas\n"
        f"{day};Feria del Libro;evento comunitario;LIMA METROPOLITANA;{officer.email.upper()};1200\n"
        f"{day};Mercado Central;mercado;ancash;catolicas por el derecho a decidir;300\n"
    )
    client = login_as(officer)
    preview = _upload(client, drive, text)
    page = preview.get_data(as_text=True)
    assert "Prueba sin errores: 2 lotes con 1,500 firmas" in page
    assert _count(drive) == 0

    confirm = client.post(f"/petitions/{drive.id}/import", data={"content": text})
    assert confirm.status_code == 302
    batches = db.session.execute(
        select(SignatureBatch).where(SignatureBatch.drive_id == drive.id).order_by(SignatureBatch.collected)
    ).scalars().all()
    assert [(b.region, b.collected, b.place_kind) for b in batches] == [
        ("Áncash", 300, "mercado"), ("Lima Metropolitana", 1200, "evento_comunitario"),
    ]
    assert batches[1].collector_user_id == officer.id
    assert batches[0].collector_partner_id is not None
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "batch.import")).scalar_one()
    assert entry.new_values["collected"] == 1500 and entry.actor_id == officer.id
    drive_page = client.get(f"/petitions/{drive.id}").get_data(as_text=True)
    assert "1,500" in drive_page


def test_confirm_revalidates_what_comes_back(login_as, make_user, make_drive):
    officer = make_user("officer")
    drive = make_drive()
    db.session.commit()
    tampered = "fecha,region,recolector,recolectadas\n2026-01-01,Cusco,nadie,5\n"
    response = login_as(officer).post(f"/petitions/{drive.id}/import", data={"content": tampered})
    assert response.status_code == 200
    assert "Línea 2, campo «recolector»" in response.get_data(as_text=True)
    assert _count(drive) == 0


def test_header_problems_are_reported(make_user):
    result = csv_import.parse("fecha,lugar,color\n2026-01-01,x,rojo\n")
    assert not result.ok
    assert result.errors[0][0] == 1 and "region" in result.errors[0][1]
    assert any("color" in column for _line, column, _msg in result.errors)


def test_empty_and_header_only_files():
    assert csv_import.parse("").errors[0][2] == "El archivo está vacío."
    assert not csv_import.parse("fecha,region,recolector,recolectadas\n").ok


def test_windows_1252_files_are_read():
    assert csv_import.decode("Junín".encode("cp1252")) == "Junín"
    assert csv_import.decode("\ufeffJunín".encode()) == "Junín"


def test_viewer_cannot_import(login_as, make_user, make_drive, make_partner):
    partner = make_partner()
    viewer = make_user("viewer", partner_organisation_id=partner.id)
    drive = make_drive()
    db.session.commit()
    text = "fecha,region,recolector,recolectadas\n2026-01-01,Cusco,x,5\n"
    client = login_as(viewer)
    assert client.post(f"/petitions/{drive.id}/import", data={"content": text}).status_code == 403
    assert _count(drive) == 0


def test_cli_dry_run_then_commit(app, make_user, make_drive, make_partner, tmp_path):
    make_partner("CLADEM")
    officer = make_user("officer")
    drive = make_drive()
    db.session.commit()
    path = tmp_path / "lotes.csv"
    path.write_text("fecha,region,recolector,recolectadas\n2026-01-05,Tacna,CLADEM,40\n", encoding="utf-8")
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["crm", "import-signatures", str(drive.id), str(path)])
    assert dry.exit_code == 0 and "Dry run" in dry.output
    assert _count(drive) == 0
    done = runner.invoke(args=["crm", "import-signatures", str(drive.id), str(path), "--commit", "--actor", officer.email])
    assert done.exit_code == 0, done.output
    assert _count(drive) == 1
    path.write_text("fecha,region,recolector,recolectadas\n2026-01-05,Atlantis,CLADEM,40\n", encoding="utf-8")
    bad = runner.invoke(args=["crm", "import-signatures", str(drive.id), str(path), "--commit"])
    assert bad.exit_code != 0 and "line 2, region" in bad.output


# --- Property: a corrupted cell is always named by its line and column, and the other rows are still valid ---

CORRUPTIONS = {
    "fecha": "31/02/2026",
    "region": "Atlántida",
    "recolectadas": "-4",
    "recolector": "nadie@ninguna.parte",
    "tipo_lugar": "estadio",
}

rows_strategy = st.lists(
    st.tuples(st.integers(0, 300), st.sampled_from(REGIONS), st.integers(1, 10_000),
              st.sampled_from(["universidad", "centro comercial", "Colegio", "evento_comunitario", "otro", ""])),
    min_size=1, max_size=15,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows_strategy, corrupt=st.one_of(st.none(), st.tuples(st.integers(0, 14), st.sampled_from(sorted(CORRUPTIONS)))))
def test_csv_property_bad_cells_named_exactly(rows, corrupt, make_partner, today):
    partner = make_partner()
    lines = ["fecha,tipo_lugar,region,recolector,recolectadas"]
    for days_ago, region, count, kind in rows:
        lines.append(",".join([(today - timedelta(days=days_ago)).isoformat(), kind, region, partner.name, str(count)]))
    bad_line = None
    if corrupt is not None:
        index, column = corrupt
        index %= len(rows)
        cells = dict(zip(lines[0].split(","), lines[index + 1].split(","), strict=True))
        cells[column] = CORRUPTIONS[column]
        lines[index + 1] = ",".join(cells[name] for name in lines[0].split(","))
        bad_line = index + 2  # the header is line 1
    result = csv_import.parse("\n".join(lines) + "\n", today=today)
    if bad_line is None:
        assert result.ok and result.errors == []
        assert result.collected == sum(r[2] for r in rows)
        assert [r["region"] for r in result.rows] == [r[1] for r in rows]
    else:
        assert not result.ok
        assert {(line, col) for line, col, _msg in result.errors} == {(bad_line, corrupt[1])}
        assert len(result.rows) == len(rows) - 1
