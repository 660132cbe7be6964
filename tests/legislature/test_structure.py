"""Managers set up a legislature by hand: chambers with their legal seats, and committees."""

from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.extensions import db
from crm.legislature.models import Chamber, Committee, Legislature


def test_bicameral_legislature_by_hand(make_user, login_as):
    client = login_as(make_user("director"))
    assert client.get("/legislatures").status_code == 200
    response = client.post("/legislatures", data={"new-name": "Congreso de prueba 2026–2031", "new-country": "pe",
                                                  "new-period_label": "2026–2031", "new-start_date": "2026-07-28"})
    assert response.status_code == 302
    legislature = db.session.execute(select(Legislature).where(Legislature.name.like("Congreso de prueba%"))).scalar_one()
    assert legislature.country == "PE"
    for name, seats in (("Cámara de Diputados", 130), ("Senado", 60)):
        key = f"chamber-{legislature.id}"
        response = client.post(f"/legislatures/{legislature.id}/chambers", data={f"{key}-name": name, f"{key}-seats": seats})
        assert response.status_code == 302
    chambers = {c.name: c for c in db.session.execute(select(Chamber).where(Chamber.legislature_id == legislature.id)).scalars()}
    assert {n: c.seats for n, c in chambers.items()} == {"Cámara de Diputados": 130, "Senado": 60}
    senado = chambers["Senado"]
    # A duplicate chamber, zero seats and a bad country are refused, keeping what was typed.
    key = f"chamber-{legislature.id}"
    response = client.post(f"/legislatures/{legislature.id}/chambers", data={f"{key}-name": "SENADO", f"{key}-seats": 60})
    assert response.status_code == 400 and "ya tiene una cámara con ese nombre" in response.get_data(as_text=True)
    response = client.post(f"/chambers/{senado.id}/seats", data={f"seats-{senado.id}-seats": 0})
    assert response.status_code == 400
    response = client.post("/legislatures", data={"new-name": "Otro congreso", "new-country": "Perú"})
    assert response.status_code == 400 and "Otro congreso" in response.get_data(as_text=True)
    assert client.post(f"/chambers/{senado.id}/seats", data={f"seats-{senado.id}-seats": 61}).status_code == 302
    db.session.refresh(senado)
    assert senado.seats == 61
    response = client.post(f"/chambers/{senado.id}/committees",
                           data={f"committee-{senado.id}-name": "Comisión de Justicia y Derechos Humanos"})
    assert response.status_code == 302
    assert db.session.execute(select(Committee.name).where(Committee.chamber_id == senado.id)).scalar_one()
    html = client.get("/legislatures").get_data(as_text=True)
    assert "61 escaños legales · 0 en ejercicio · 1 comisión" in html
    actions = set(db.session.execute(select(AuditEntry.action)).scalars())
    assert {"legislature.create", "chamber.create", "chamber.seats", "committee.create"} <= actions


def test_structure_is_for_managers(make_user, login_as):
    client = login_as(make_user("officer"))
    assert client.get("/legislatures").status_code == 403
    assert client.post("/legislatures", data={"new-name": "X", "new-country": "PE"}).status_code == 403
    assert client.post("/chambers/99999/seats", data={}).status_code == 403
    director = login_as(make_user("director"))
    assert director.post("/chambers/99999/seats", data={}).status_code == 404


def test_unknown_ids_are_404(make_user, login_as):
    director = login_as(make_user("director"))
    assert director.post("/legislatures/99999/chambers", data={}).status_code == 404
    assert director.post("/chambers/99999/committees", data={}).status_code == 404
    assert director.get("/imports/legislators/99999").status_code == 404
    assert director.post("/imports/legislators/99999/apply").status_code == 404
    assert director.post("/imports/legislators/99999/step").status_code == 404
    assert director.post("/legislators/99999/owner", data={}).status_code == 404
    assert director.get("/legislators/99999/aides/new").status_code == 404
