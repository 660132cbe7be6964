"""Profile: contacts, aides, committees, group history, owner, audited edits, read-only partners."""

from datetime import date

from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.extensions import db
from crm.legislature.models import Aide, Group, GroupMembership, Legislator


def _mendoza():
    return db.session.execute(select(Legislator).where(Legislator.full_name.like("Verónika%"))).scalar_one()


def test_profile_shows_sections(import_openperu, make_user, login_as):
    import_openperu("2011-2016")
    leg = _mendoza()
    html = login_as(make_user("viewer")).get(f"/legislators/{leg.id}").get_data(as_text=True)
    for text in ("Verónika Fanny Mendoza Frisch", "Cusco", "Gana Perú", "ACCIÓN POPULAR - FRENTE AMPLIO",
                 "Historial de bancadas y partidos", "Asesores", "Comisiones", "Cronología",
                 "openperu:2011-2016: 76", "congresistas2011/VeronikaMendoza", "47,088 votos"):
        assert text in html, text
    # Read-only accounts see no edit controls.
    assert "Editar datos" not in html and "Registrar cambio" not in html


def test_profile_costs_constant_statements(make_legislators, make_user, login_as, count_queries):
    client = login_as(make_user("officer"))
    _, people = make_legislators(2, prefix="Perfil")
    for n in range(6):
        db.session.add(Aide(legislator_id=people[1].id, name=f"Asesor {n}"))
    db.session.commit()
    counts = []
    for leg in people:
        with count_queries() as sql:
            assert client.get(f"/legislators/{leg.id}").status_code == 200
        counts.append(len(sql))
    assert counts[0] == counts[1]


def test_every_gender_the_form_offers_is_shown_in_words(make_legislators, make_user, login_as):
    _chamber, people = make_legislators(3, prefix="Género")
    for person, gender in zip(people, ("F", "M", "X"), strict=True):
        person.gender = gender
    db.session.commit()
    client = login_as(make_user("viewer"))
    shown = [client.get(f"/legislators/{p.id}").get_data(as_text=True) for p in people]
    assert "Femenino" in shown[0] and "Masculino" in shown[1] and "Otro" in shown[2]


def test_unknown_legislator_is_404(make_user, login_as):
    client = login_as(make_user("officer"))
    assert client.get("/legislators/999999").status_code == 404
    assert client.get("/legislators/999999/edit").status_code == 404


def test_edit_is_audited_and_bad_input_keeps_values(make_legislators, make_user, login_as):
    _, (leg,) = make_legislators(1, prefix="Editar")
    client = login_as(make_user("officer"))
    response = client.post(f"/legislators/{leg.id}/edit", data={"full_name": "Editar Nombre Nuevo", "email": "no-es-correo",
                                                                 "phone": "999"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Editar Nombre Nuevo" in html and "no-es-correo" in html
    db.session.refresh(leg)
    assert leg.full_name == "Editar 000"
    response = client.post(f"/legislators/{leg.id}/edit", data={
        "full_name": "Editar Nombre Nuevo", "email": "nuevo@example.org", "sort_name": "", "phone": "+51 999",
        "links": "https://example.org/a\r\n\r\nhttps://example.org/b\n",
    })
    assert response.status_code == 302
    db.session.refresh(leg)
    assert (leg.full_name, leg.email, leg.sort_name) == ("Editar Nombre Nuevo", "nuevo@example.org", "Editar Nombre Nuevo")
    assert "editar nombre nuevo" in leg.search_name
    assert leg.links == ["https://example.org/a", "https://example.org/b"]
    response = client.post(f"/legislators/{leg.id}/edit", data={"full_name": "X", "links": "javascript:alert(1)"})
    assert response.status_code == 400 and "no es una dirección" in response.get_data(as_text=True)
    entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "legislator.update", AuditEntry.object_id == str(leg.id))
    ).scalar_one()
    assert entry.old_values["full_name"] == "Editar 000" and entry.new_values["email"] == "nuevo@example.org"


def test_viewer_cannot_write(make_legislators, make_user, login_as):
    _, (leg,) = make_legislators(1, prefix="Lectura")
    client = login_as(make_user("viewer"))
    assert client.get(f"/legislators/{leg.id}").status_code == 200
    assert client.get(f"/legislators/{leg.id}/edit").status_code == 403
    assert client.post(f"/legislators/{leg.id}/edit", data={"full_name": "X"}).status_code == 403
    assert client.post(f"/legislators/{leg.id}/owner", data={"owner": ""}).status_code == 403
    assert client.post(f"/legislators/{leg.id}/aides/new", data={"name": "X"}).status_code == 403
    assert client.get("/imports/legislators").status_code == 403
    db.session.refresh(leg)
    assert leg.full_name == "Lectura 000" and not leg.aides


def test_owner_can_be_a_user_or_a_partner(make_legislators, make_user, login_as):
    from crm.coalition.models import PartnerOrganisation

    _, (leg,) = make_legislators(1, prefix="Relación")
    partner = PartnerOrganisation(name="Red Aliada")
    db.session.add(partner)
    director = make_user("director", name="Diana Directora")
    viewer = make_user("viewer")
    client = login_as(make_user("officer"))
    assert client.post(f"/legislators/{leg.id}/owner", data={"owner": f"u{director.id}"}).status_code == 302
    db.session.refresh(leg)
    assert (leg.owner_user_id, leg.owner_partner_id) == (director.id, None)
    assert "Diana Directora" in client.get(f"/legislators/{leg.id}").get_data(as_text=True)
    assert client.post(f"/legislators/{leg.id}/owner", data={"owner": f"p{partner.id}"}).status_code == 302
    db.session.refresh(leg)
    assert (leg.owner_user_id, leg.owner_partner_id) == (None, partner.id)
    # A partner (viewer) account cannot own a relationship; it is not even offered.
    assert client.post(f"/legislators/{leg.id}/owner", data={"owner": f"u{viewer.id}"}).status_code == 400
    db.session.refresh(leg)
    assert leg.owner_partner_id == partner.id
    actions = db.session.execute(
        select(AuditEntry.action).where(AuditEntry.object_id == str(leg.id), AuditEntry.action == "legislator.owner")
    ).scalars().all()
    assert len(actions) == 2


def test_aides_add_edit_remove(make_legislators, make_user, login_as):
    _, (leg,) = make_legislators(1, prefix="Asesorado")
    client = login_as(make_user("officer"))
    response = client.post(f"/legislators/{leg.id}/aides/new", data={"name": "", "email": "x@example.org"})
    assert response.status_code == 400 and "x@example.org" in response.get_data(as_text=True)
    response = client.post(f"/legislators/{leg.id}/aides/new",
                           data={"name": "Lucía Asesora", "title": "Jefa de despacho", "phone": "+51 1 311 7000"})
    assert response.status_code == 302
    aide = db.session.execute(select(Aide).where(Aide.legislator_id == leg.id)).scalar_one()
    html = client.get(f"/legislators/{leg.id}").get_data(as_text=True)
    assert "Lucía Asesora" in html and "Jefa de despacho" in html
    assert client.post(f"/legislators/{leg.id}/aides/{aide.id}/edit",
                       data={"name": "Lucía Asesora", "title": "Asesora legal"}).status_code == 302
    db.session.refresh(aide)
    assert aide.title == "Asesora legal"
    _, (other,) = make_legislators(1, prefix="Otro")
    assert client.get(f"/legislators/{other.id}/aides/{aide.id}/edit").status_code == 404
    assert client.post(f"/legislators/{leg.id}/aides/{aide.id}/delete").status_code == 302
    assert db.session.get(Aide, aide.id) is None
    actions = set(db.session.execute(select(AuditEntry.action).where(AuditEntry.object_type == "Aide")).scalars())
    assert actions == {"aide.create", "aide.update", "aide.delete"}


def test_group_switch_is_history_not_overwrite(make_legislators, make_user, login_as):
    chamber, (leg,) = make_legislators(1, prefix="Tránsfuga")
    new_group = Group(legislature_id=chamber.legislature_id, kind="bancada", name="Bancada Nueva")
    db.session.add(new_group)
    db.session.commit()
    client = login_as(make_user("officer"))
    response = client.post(f"/legislators/{leg.id}/groups", data={"group_id": new_group.id, "start_date": "2026-09-01"})
    assert response.status_code == 302
    rows = db.session.execute(
        select(Group.name, GroupMembership.end_date).join(GroupMembership)
        .where(GroupMembership.legislator_id == leg.id).order_by(GroupMembership.id)
    ).all()
    assert rows == [("Bancada Tránsfuga", date(2026, 9, 1)), ("Bancada Nueva", None)]
    response = client.post(f"/legislators/{leg.id}/groups", data={"group_id": new_group.id, "start_date": "2026-10-01"})
    assert response.status_code == 400 and "Ya pertenece" in response.get_data(as_text=True)


def test_timeline_placeholder_and_htmx_sections(make_legislators, make_user, login_as, app):
    _, (leg,) = make_legislators(1, prefix="Crono")
    html = login_as(make_user("officer")).get(f"/legislators/{leg.id}").get_data(as_text=True)
    assert "Cronología" in html
    if "outreach.legislator_timeline" not in app.view_functions:
        assert "Aquí aparecerán las reuniones" in html
    else:
        assert f"/legislators/{leg.id}" in html and "hx-get" in html


def test_committee_membership_add_and_end(make_legislators, make_user, login_as):
    from crm.legislature.models import Committee, CommitteeMembership

    chamber, (leg,) = make_legislators(1, prefix="Comisionada")
    other_chamber, _ = make_legislators(1, prefix="Ajena")
    justice = Committee(chamber_id=chamber.id, name="Comisión de Justicia y Derechos Humanos")
    foreign = Committee(chamber_id=other_chamber.id, name="Comisión Ajena")
    db.session.add_all([justice, foreign])
    db.session.commit()
    client = login_as(make_user("officer"))
    html = client.get(f"/legislators/{leg.id}").get_data(as_text=True)
    assert "Comisión de Justicia y Derechos Humanos" in html and "Comisión Ajena" not in html
    response = client.post(f"/legislators/{leg.id}/committees", data={"committee_id": foreign.id, "role": "member"})
    assert response.status_code == 400
    response = client.post(f"/legislators/{leg.id}/committees",
                           data={"committee_id": justice.id, "role": "chair", "start_date": "2026-08-15"})
    assert response.status_code == 302
    response = client.post(f"/legislators/{leg.id}/committees", data={"committee_id": justice.id, "role": "member"})
    assert response.status_code == 400 and "Ya integra esa comisión" in response.get_data(as_text=True)
    membership = db.session.execute(select(CommitteeMembership).where(CommitteeMembership.legislator_id == leg.id)).scalar_one()
    assert (membership.role, membership.start_date, membership.end_date) == ("chair", date(2026, 8, 15), None)
    html = client.get(f"/legislators/{leg.id}").get_data(as_text=True)
    assert "Presidencia" in html and "Terminar membresía" in html
    assert client.post(f"/legislators/{leg.id}/committees/{membership.id}/end").status_code == 302
    db.session.refresh(membership)
    assert membership.end_date == date.today()
    viewer = login_as(make_user("viewer"))
    assert viewer.post(f"/legislators/{leg.id}/committees", data={"committee_id": justice.id}).status_code == 403
    assert viewer.post(f"/legislators/{leg.id}/committees/{membership.id}/end").status_code == 403


def test_seat_status_from_the_source_is_shown_in_the_readers_language(make_legislators, make_user, login_as):
    from crm.legislature.models import SeatMembership

    _, people = make_legislators(1, prefix="Estado")
    seat = db.session.execute(select(SeatMembership).where(SeatMembership.legislator_id == people[0].id)).scalar_one()
    seat.status = "Con licencia"
    db.session.commit()
    english = login_as(make_user("officer", language="en")).get(f"/legislators/{people[0].id}").get_data(as_text=True)
    assert "On leave" in english and "Con licencia" not in english
