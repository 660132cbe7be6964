"""Who may write what in the coalition pages (the generic partner walk covers every route as well)."""

import pytest
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.coalition.models import PartnerOrganisation, PetitionDrive, SignatureBatch
from crm.extensions import db


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_only_admins_and_directors_manage_partners_and_drives(role, login_as, make_user, make_partner, make_drive,
                                                              make_campaign):
    partner = make_partner("CLADEM")
    drive = make_drive()
    campaign = make_campaign()
    client = login_as(make_user(role, partner_organisation_id=partner.id if role == "viewer" else None))
    attempts = [
        ("/partners/new", {"name": "Nueva"}),
        (f"/partners/{partner.id}/edit", {"name": "Cambiada"}),
        ("/petitions/new", {"campaign_id": campaign.id, "name": "Otra", "threshold": "5"}),
        (f"/petitions/{drive.id}/edit", {"campaign_id": drive.campaign_id, "name": "Otra", "threshold": "5"}),
    ]
    for url, data in attempts:
        assert client.get(url).status_code == 403
        assert client.post(url, data=data).status_code == 403
    assert db.session.execute(select(func.count(PartnerOrganisation.id))).scalar() == 1
    assert partner.name == "CLADEM" and drive.threshold == 60_000
    assert db.session.execute(select(func.count(PetitionDrive.id))).scalar() == 1
    denials = db.session.execute(select(func.count(AuditEntry.id)).where(AuditEntry.action == "permission.denied")).scalar()
    assert denials == 2 * len(attempts)


def test_viewer_cannot_record_or_verify_batches(login_as, make_user, make_partner, make_drive, make_batch, today):
    partner = make_partner()
    drive = make_drive()
    batch = make_batch(drive, collected=50, partner=partner)
    client = login_as(make_user("viewer", partner_organisation_id=partner.id))
    response = client.post(f"/petitions/{drive.id}/batches/new", data={
        "collected_on": today.isoformat(), "region": "Cusco", "collector": f"p:{partner.id}", "collected": "10"})
    assert response.status_code == 403
    assert client.post(f"/petitions/batches/{batch.id}/verify", data={"verified": "50"}).status_code == 403
    assert db.session.execute(select(func.count(SignatureBatch.id))).scalar() == 1
    assert batch.verified == 0


def test_viewer_pages_offer_no_write_buttons(login_as, make_user, make_partner, make_drive, make_batch):
    partner = make_partner()
    drive = make_drive()
    make_batch(drive, partner=partner)
    client = login_as(make_user("viewer", partner_organisation_id=partner.id))
    page = client.get(f"/petitions/{drive.id}").get_data(as_text=True)
    for label in ("Registrar lote", "Importar CSV", "Verificar", "Editar"):
        assert label not in page
    listing = client.get("/petitions").get_data(as_text=True)
    assert "Nueva recolección" not in listing and "Menciones en medios" not in listing


def test_director_verifies(login_as, make_user, make_drive, make_batch):
    batch = make_batch(make_drive(), collected=50)
    client = login_as(make_user("director"))
    response = client.post(f"/petitions/batches/{batch.id}/verify", data={
        "verified": "45", "rejected_duplicate": "2", "rejected_invalid_id": "1", "rejected_illegible": "1",
        "rejected_other": "1"})
    assert response.status_code == 302
    assert (batch.verified, batch.rejected, batch.pending) == (45, 5, 0)


def test_staff_only_collectors_and_existing_partners(make_user, make_partner, make_drive, today):
    from crm.coalition import operations

    viewer = make_user("viewer")
    drive = make_drive()
    director = make_user("director")
    with pytest.raises(operations.CoalitionError, match="debe ser del equipo"):
        operations.record_batch(actor=director, drive=drive, collected_on=today, region="Cusco", collected=5,
                                collector_user_id=viewer.id)
    with pytest.raises(operations.CoalitionError, match="Indique quién recolectó"):
        operations.record_batch(actor=director, drive=drive, collected_on=today, region="Cusco", collected=5,
                                collector_user_id=director.id, collector_partner_id=make_partner().id)
