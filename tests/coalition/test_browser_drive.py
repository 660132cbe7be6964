"""A director on a phone records and verifies a batch and watches the progress bar and projection move."""

from datetime import timedelta

import pytest

from crm.core.time import local_today, utcnow
from crm.extensions import db
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def _drive(app):
    from crm.campaigns.models import Campaign
    from crm.coalition.models import PartnerOrganisation, PetitionDrive, SignatureBatch

    with app.app_context():
        today = local_today(None)
        partner = PartnerOrganisation(name="DEMUS")
        campaign = Campaign(name="Déjala decidir", created_at=utcnow())
        db.session.add_all([partner, campaign])
        db.session.flush()
        drive = PetitionDrive(campaign_id=campaign.id, name="Firmas", threshold=1000)
        db.session.add(drive)
        db.session.flush()
        db.session.add(SignatureBatch(
            drive_id=drive.id, collected_on=today - timedelta(days=60), region="Cusco", collected=400, verified=300,
            rejected_duplicate=0, rejected_invalid_id=0, rejected_illegible=0, rejected_other=0,
            collector_partner_id=partner.id, created_at=utcnow(),
        ))
        db.session.commit()
        return drive.id


def test_director_watches_progress_and_projection_change(live_server, isolated_app, live_user, phone_page):
    drive_id = _drive(isolated_app)
    director = live_user("director", name="Diana Directora")
    script_errors = []
    phone_page.on("console", lambda m: script_errors.append(m.text) if m.type == "error" and "script" in m.text else None)
    browser_login(phone_page, live_server, director)

    phone_page.goto(f"{live_server}/petitions/{drive_id}")
    assert phone_page.get_by_test_id("verified").inner_text() == "300"
    assert "A este ritmo no se alcanzará" in phone_page.get_by_test_id("projection").first.inner_text()
    bar = phone_page.locator(".progress-stacked .progress").first
    assert abs(bar.bounding_box()["width"] / phone_page.locator(".progress-stacked").first.bounding_box()["width"] - 0.3) < 0.02
    # Both charts were drawn by Chart.js from the data attributes.
    phone_page.wait_for_function("window.Chart && Object.keys(window.Chart.instances).length === 2")

    phone_page.get_by_role("link", name="Registrar lote").click()
    phone_page.get_by_label("Región").select_option("Lima Metropolitana")
    phone_page.get_by_label("Firmas recolectadas").fill("700")
    phone_page.get_by_role("button", name="Guardar lote").click()
    phone_page.wait_for_url(f"{live_server}/petitions/{drive_id}")
    assert phone_page.get_by_test_id("collected").inner_text() == "1,100"
    assert "Falta verificar" in phone_page.get_by_test_id("projection").first.inner_text()

    phone_page.get_by_role("link", name="Verificar").first.click()
    phone_page.get_by_label("Verificadas", exact=True).fill("650")
    phone_page.get_by_label("Rechazadas: duplicadas").fill("60")
    phone_page.get_by_role("button", name="Guardar verificación").click()
    assert "superan las firmas recolectadas" in phone_page.locator(".invalid-feedback").first.inner_text()
    phone_page.get_by_label("Rechazadas: duplicadas").fill("50")
    phone_page.get_by_role("button", name="Guardar verificación").click()
    phone_page.wait_for_url(f"{live_server}/petitions/{drive_id}")
    assert phone_page.get_by_test_id("verified").inner_text() == "950"
    assert phone_page.locator(".progress-stacked .progress").first.get_attribute("aria-valuenow") == "95"
    assert not script_errors


def test_officer_imports_a_bad_file_then_a_good_one(live_server, isolated_app, live_user, phone_page, tmp_path):
    drive_id = _drive(isolated_app)
    officer = live_user("officer", name="Óscar Oficial")
    browser_login(phone_page, live_server, officer)
    today = local_today(None)
    bad = tmp_path / "malo.csv"
    bad.write_text(
        "fecha,lugar,tipo_lugar,region,recolector,recolectadas\n"
        f"{today.isoformat()},Feria,evento comunitario,Cusco,DEMUS,100\n"
        f"{today.isoformat()},\"Plaza, centro\",plaza,Narnia,DEMUS,50\n",
        encoding="utf-8",
    )
    good = tmp_path / "bueno.csv"
    good.write_text(
        "fecha;lugar;tipo_lugar;region;recolector;recolectadas;notas\n"
        f"{today.strftime('%d/%m/%Y')};\"Plaza; centro\";plaza;Junín;DEMUS;50;\"dos\nlíneas\"\n"
        f"{today.strftime('%d/%m/%Y')};Universidad;universidad;Lima Metropolitana;{officer['email']};250;\n",
        encoding="utf-8",
    )
    phone_page.goto(f"{live_server}/petitions/{drive_id}/import")
    phone_page.set_input_files("input[type=file]", str(bad))
    phone_page.get_by_role("button", name="Revisar archivo").click()
    errors = phone_page.get_by_test_id("import-errors").inner_text()
    assert "No se importó nada" in errors and "Línea 3, campo «region»" in errors
    assert phone_page.get_by_role("button", name="Confirmar importación").count() == 0

    phone_page.set_input_files("input[type=file]", str(good))
    phone_page.get_by_role("button", name="Revisar archivo").click()
    assert "2 lotes con 300 firmas" in phone_page.get_by_test_id("import-preview").inner_text()
    phone_page.get_by_role("button", name="Confirmar importación").click()
    phone_page.wait_for_url(f"{live_server}/petitions/{drive_id}")
    assert phone_page.get_by_test_id("collected").inner_text() == "700"
    assert "Se importaron 2 lotes con 300 firmas" in phone_page.locator(".alert-success").inner_text()
