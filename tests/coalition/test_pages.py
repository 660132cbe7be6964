import html
import re
from datetime import timedelta

from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.coalition.models import MediaMention, PartnerOrganisation, PetitionDrive, SignatureBatch
from crm.extensions import db


def _audit(action):
    return db.session.execute(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).scalars().all()


# --- Partners ---------------------------------------------------------------------------------------


def test_director_creates_and_edits_a_partner_with_audit(login_as, make_user):
    client = login_as(make_user("director"))
    response = client.post("/partners/new", data={
        "name": "DEMUS", "contact_name": "Lucía", "contact_email": "lucia@demus.example", "contact_phone": "+51 1 555",
        "notes": "Prefiere reuniones por la mañana",
    })
    assert response.status_code == 302
    partner = db.session.execute(select(PartnerOrganisation).where(PartnerOrganisation.name == "DEMUS")).scalar_one()
    assert client.post(f"/partners/{partner.id}/edit", data={"name": "DEMUS", "contact_name": "Lucía Huamán"}).status_code == 302
    assert partner.contact_name == "Lucía Huamán"
    assert _audit("partner.create")[-1].new_values["name"] == "DEMUS"
    assert _audit("partner.update")[-1].new_values["contact_name"] == "Lucía Huamán"
    page = client.get(f"/partners/{partner.id}").get_data(as_text=True)
    assert "Lucía Huamán" in page and "Prefiere reuniones" in page


def test_duplicate_partner_name_keeps_what_was_typed(login_as, make_user, make_partner):
    make_partner("CLADEM")
    db.session.commit()
    response = login_as(make_user("admin")).post("/partners/new", data={"name": "cladem", "contact_name": "Otra persona"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ya existe una organización aliada con ese nombre." in page
    assert 'value="Otra persona"' in page


def test_partner_page_lists_its_accounts_legislators_and_batches(login_as, make_user, make_partner, make_legislator,
                                                                  make_drive, make_batch):
    partner = make_partner("Centro Flora Tristán", notes="Nota del equipo sobre la aliada")
    account = make_user("viewer", name="Flora Usuaria", partner_organisation_id=partner.id)
    make_legislator("Rosa Mavila", district="LIMA", owner_partner_id=partner.id)
    make_legislator("Otro Congresista", district="Cusco")
    make_batch(make_drive(), collected=321, region="Puno", partner=partner)
    db.session.commit()
    page = login_as(make_user("officer")).get(f"/partners/{partner.id}").get_data(as_text=True)
    assert "Flora Usuaria" in page and account.email in page
    assert "Rosa Mavila" in page and "Otro Congresista" not in page
    assert "321" in page and "Puno" in page
    assert "Nota del equipo" in page


def test_partner_account_sees_only_its_own_organisation_without_team_notes(login_as, make_user, make_partner):
    own = make_partner("Movimiento Manuela Ramos", notes="NOTA-INTERNA-PROPIA")
    other = make_partner("DEMUS", notes="NOTA-INTERNA-OTRA")
    viewer = make_user("viewer", partner_organisation_id=own.id)
    db.session.commit()
    client = login_as(viewer)
    listing = client.get("/partners").get_data(as_text=True)
    assert "Movimiento Manuela Ramos" in listing and "DEMUS" not in listing
    own_page = client.get(f"/partners/{own.id}")
    assert own_page.status_code == 200
    assert "NOTA-INTERNA" not in own_page.get_data(as_text=True)
    assert client.get(f"/partners/{other.id}").status_code == 403
    assert client.get("/partners/999999").status_code == 404


def test_partner_list_costs_a_constant_number_of_statements(login_as, make_user, make_partner, count_queries):
    client = login_as(make_user("director"))
    make_partner()
    db.session.commit()
    client.get("/partners")  # warm the session so only the page is counted
    with count_queries() as few:
        client.get("/partners")
    for _ in range(8):
        make_partner()
    db.session.commit()
    client.get("/partners")  # warm the session so only the page is counted
    with count_queries() as many:
        client.get("/partners")
    assert len(many) == len(few)


# --- Drives -----------------------------------------------------------------------------------------


def test_director_creates_a_drive_once_per_campaign(login_as, make_user, make_campaign):
    campaign = make_campaign("Ley de aborto por violación")
    db.session.commit()
    client = login_as(make_user("director"))
    data = {"campaign_id": campaign.id, "name": "Firmas para el Congreso", "threshold": "60000", "deadline": "2026-12-31"}
    assert client.post("/petitions/new", data=data).status_code == 302
    drive = db.session.execute(select(PetitionDrive)).scalar_one()
    assert drive.threshold == 60000 and _audit("drive.create")
    again = client.post("/petitions/new", data=data)
    assert again.status_code == 200
    assert db.session.execute(select(PetitionDrive)).scalars().all() == [drive]


def test_drive_page_shows_totals_progress_and_projection_changes(login_as, make_user, make_drive, make_batch, today):
    drive = make_drive(threshold=1000)
    old = make_batch(drive, collected=600, verified=500, duplicate=50, collected_on=today - timedelta(days=60))
    db.session.commit()
    director = make_user("director")
    client = login_as(director)
    page = client.get(f"/petitions/{drive.id}").get_data(as_text=True)
    assert 'data-testid="collected">600<' in page and 'data-testid="verified">500<' in page
    assert 'data-testid="rejected">50<' in page and 'data-testid="pending">50<' in page
    assert "pct-50" in page  # verified half of the threshold
    assert "A este ritmo no se alcanzará el umbral" in page
    assert "data-chart=" in page and "<script>" not in page

    # A recent batch gives the drive a pace: 280 in four weeks (rate 500/550) -> a projected date.
    make_batch(drive, collected=280, collected_on=today - timedelta(days=2))
    db.session.commit()
    page = client.get(f"/petitions/{drive.id}").get_data(as_text=True)
    assert "Al ritmo de las últimas 4 semanas" in page and "se alcanzaría el" in page

    # Verifying the old batch fully reaches the threshold? No: 500 -> still short; verify the new one too.
    response = client.post(f"/petitions/batches/{old.id}/verify", data={
        "verified": "550", "rejected_duplicate": "50", "rejected_invalid_id": "0", "rejected_illegible": "0",
        "rejected_other": "0"})
    assert response.status_code == 302
    new = db.session.execute(select(SignatureBatch).where(SignatureBatch.collected == 280)).scalar_one()
    client.post(f"/petitions/batches/{new.id}/verify", data={
        "verified": "270", "rejected_duplicate": "0", "rejected_invalid_id": "5", "rejected_illegible": "5",
        "rejected_other": "0"})
    page = client.get(f"/petitions/{drive.id}").get_data(as_text=True)
    assert 'data-testid="verified">820<' in page
    assert "pct-82" in page
    assert "Falta verificar" not in page

    make_batch(drive, collected=500, verified=200, collected_on=today - timedelta(days=1))
    db.session.commit()
    page = client.get(f"/petitions/{drive.id}").get_data(as_text=True)
    assert "Umbral alcanzado" in page and "pct-100" in page


def test_verification_over_collected_shows_the_error_and_changes_nothing(login_as, make_user, make_drive, make_batch):
    batch = make_batch(make_drive(), collected=100)
    db.session.commit()
    response = login_as(make_user("admin")).post(f"/petitions/batches/{batch.id}/verify", data={
        "verified": "90", "rejected_duplicate": "20", "rejected_invalid_id": "0", "rejected_illegible": "0",
        "rejected_other": "0"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "superan las firmas recolectadas en este lote (100)" in page
    assert 'value="90"' in page
    db.session.refresh(batch)
    assert batch.verified == 0


def test_officer_records_a_batch_but_cannot_verify(login_as, make_user, make_drive, make_partner, today):
    drive = make_drive()
    partner = make_partner("CLADEM")
    db.session.commit()
    client = login_as(make_user("officer"))
    form = client.get(f"/petitions/{drive.id}/batches/new").get_data(as_text=True)
    assert "CLADEM" in form and "Lima Metropolitana" in form
    response = client.post(f"/petitions/{drive.id}/batches/new", data={
        "collected_on": today.isoformat(), "place": "Feria", "place_kind": "evento_comunitario", "region": "Cusco",
        "collector": f"p:{partner.id}", "collected": "450", "notes": ""})
    assert response.status_code == 302
    batch = db.session.execute(select(SignatureBatch).where(SignatureBatch.drive_id == drive.id)).scalar_one()
    assert (batch.collected, batch.collector_partner_id, batch.region) == (450, partner.id, "Cusco")
    assert _audit("batch.create")
    assert client.get(f"/petitions/batches/{batch.id}/verify").status_code == 403
    assert client.post(f"/petitions/batches/{batch.id}/verify", data={"verified": "1"}).status_code == 403


def test_batch_form_reads_the_collector_menus_once(login_as, make_user, make_drive, make_partner, count_queries):
    drive = make_drive()
    make_partner("CLADEM")
    db.session.commit()
    client = login_as(make_user("officer"))
    client.get(f"/petitions/{drive.id}/batches/new")  # warm the session so only the page is counted
    with count_queries() as sent:
        page = client.get(f"/petitions/{drive.id}/batches/new").get_data(as_text=True)
    assert "CLADEM" in page
    assert len([s for s in sent if "FROM partner_organisations" in s]) == 1


def test_batch_form_refuses_a_future_date_and_a_bad_region(login_as, make_user, make_drive, today):
    officer = make_user("officer")
    drive = make_drive()
    db.session.commit()
    client = login_as(officer)
    response = client.post(f"/petitions/{drive.id}/batches/new", data={
        "collected_on": (today + timedelta(days=2)).isoformat(), "region": "Cusco", "collector": f"u:{officer.id}",
        "collected": "10", "place": "Plaza San Francisco"})
    page = response.get_data(as_text=True)
    assert "no puede estar en el futuro" in page and 'value="Plaza San Francisco"' in page
    response = client.post(f"/petitions/{drive.id}/batches/new", data={
        "collected_on": today.isoformat(), "region": "Narnia", "collector": f"u:{officer.id}", "collected": "10"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Opción inválida." in page
    assert db.session.execute(select(SignatureBatch)).first() is None


def test_drive_page_costs_a_constant_number_of_statements(login_as, make_user, make_drive, make_batch, count_queries, today):
    drive = make_drive()
    make_batch(drive)
    db.session.commit()
    client = login_as(make_user("director"))
    client.get(f"/petitions/{drive.id}")  # warm the session so only the page is counted
    with count_queries() as few:
        assert client.get(f"/petitions/{drive.id}").status_code == 200
    for i in range(15):
        make_batch(drive, region=("Puno", "Tacna", "Ica")[i % 3], collected_on=today - timedelta(days=7 * i))
    db.session.commit()
    client.get(f"/petitions/{drive.id}")  # warm the session so only the page is counted
    with count_queries() as many:
        client.get(f"/petitions/{drive.id}")
    assert len(many) == len(few)
    client.get("/petitions")  # warm the session so only the page is counted
    with count_queries() as listing:
        client.get("/petitions")
    make_drive()
    db.session.commit()
    client.get("/petitions")  # warm the session so only the page is counted
    with count_queries() as listing_more:
        client.get("/petitions")
    assert len(listing_more) == len(listing)


def test_unknown_drive_is_404(login_as, make_user):
    assert login_as(make_user("director")).get("/petitions/424242").status_code == 404


# --- Signatures meet legislators ---------------------------------------------------------------------


def test_legislator_fragment_counts_verified_signatures_of_the_district(login_as, make_user, make_drive, make_batch,
                                                                         make_legislator, make_campaign):
    drive = make_drive(campaign=make_campaign("Despenalización por violación"))
    make_batch(drive, collected=5000, verified=4000, region="Lima Metropolitana")
    make_batch(drive, collected=1500, verified=1234, region="Lima")
    make_batch(drive, collected=900, verified=800, region="Cusco")
    mavila = make_legislator("Rosa Mavila", district="LIMA")
    nobody = make_legislator("Sin Distrito")
    abroad = make_legislator("Desde Afuera", district="Peruanos Residentes en el Extranjero")
    tacna = make_legislator("De Tacna", district="Tacna")
    db.session.commit()
    client = login_as(make_user("officer"))
    fragment = client.get(f"/legislators/{mavila.id}/signatures", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text
    assert "5,234" in text and "Despenalización por violación" in text and "Punto de conversación" in text
    assert "Sin distrito registrado" in client.get(f"/legislators/{nobody.id}/signatures").get_data(as_text=True)
    assert "no corresponde a una región" in client.get(f"/legislators/{abroad.id}/signatures").get_data(as_text=True)
    assert "Aún no hay firmas verificadas de Tacna" in client.get(f"/legislators/{tacna.id}/signatures").get_data(as_text=True)
    assert client.get("/legislators/987654/signatures").status_code == 404


def test_an_officer_carries_the_district_figure_into_a_meeting(login_as, make_user, make_drive, make_batch,
                                                                 make_legislator, make_campaign, make_interaction):
    campaign = make_campaign("Despenalización por violación")
    make_batch(make_drive(campaign=campaign), collected=1500, verified=1234, region="Cusco")
    mendoza = make_legislator("Verónika Mendoza", district="Cusco")
    db.session.commit()
    sentence = ("1,234 ciudadanas y ciudadanos de Cusco firmaron, con firma verificada, "
                "la iniciativa «Despenalización por violación».")
    viewer = login_as(make_user("viewer"))
    fragment = viewer.get(f"/legislators/{mendoza.id}/signatures", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert sentence in fragment and "talking_points=1" not in fragment  # read-only accounts log no meetings

    officer_user = make_user("officer")
    officer = login_as(officer_user)
    fragment = officer.get(f"/legislators/{mendoza.id}/signatures", headers={"HX-Request": "true"}).get_data(as_text=True)
    link = re.search(r'href="([^"]*talking_points=1[^"]*)"', fragment).group(1).replace("&amp;", "&")
    form = officer.get(link).get_data(as_text=True)
    notes = re.search(r'<textarea[^>]*name="notes"[^>]*>(.*?)</textarea>', form, re.S).group(1)
    assert html.unescape(notes).strip() == f"Punto de conversación: {sentence}"
    assert "Verónika Mendoza" in form  # the legislator is already picked
    # Without the flag the notes start empty; editing a meeting never rewrites its notes.
    plain = officer.get(f"/interactions/new?legislator={mendoza.id}").get_data(as_text=True)
    assert re.search(r'<textarea[^>]*name="notes"[^>]*>\s*</textarea>', plain)
    meeting = make_interaction(legislators=[mendoza], notes="Notas ya guardadas", author=officer_user)
    db.session.commit()
    editing = officer.get(f"/interactions/{meeting.id}/edit?talking_points=1").get_data(as_text=True)
    notes = re.search(r'<textarea[^>]*name="notes"[^>]*>(.*?)</textarea>', editing, re.S).group(1)
    assert html.unescape(notes).strip() == "Notas ya guardadas"


def test_a_drive_with_nothing_verified_is_no_talking_point(login_as, make_user, make_drive, make_batch,
                                                             make_legislator, make_campaign):
    make_batch(make_drive(campaign=make_campaign("Sin verificar")), collected=800, verified=0, region="Cusco")
    mendoza = make_legislator("Verónika Mendoza", district="Cusco")
    db.session.commit()
    officer = login_as(make_user("officer"))
    fragment = officer.get(f"/legislators/{mendoza.id}/signatures", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Aún no hay firmas verificadas de Cusco" in fragment and "talking_points=1" not in fragment
    form = officer.get(f"/interactions/new?legislator={mendoza.id}&talking_points=1").get_data(as_text=True)
    assert "Punto de conversación" not in form


# --- Media mentions ----------------------------------------------------------------------------------


def test_staff_log_and_edit_media_mentions_with_audit(login_as, make_user, make_campaign, make_legislator):
    campaign = make_campaign("Campaña de prensa")
    mendoza = make_legislator("Verónika Mendoza", district="Cusco")
    mavila = make_legislator("Rosa Mavila", district="LIMA")
    db.session.commit()
    client = login_as(make_user("officer"))
    response = client.post("/media/new", data={
        "published_on": "2026-03-08", "outlet": "La República", "kind": "press", "title": "Firmas llegan al Congreso",
        "url": "https://larepublica.example/firmas", "campaign_id": campaign.id, "legislator_ids": [mendoza.id, mavila.id]})
    assert response.status_code == 302
    mention = db.session.execute(select(MediaMention)).scalar_one()
    assert {leg.full_name for leg in mention.legislators} == {"Verónika Mendoza", "Rosa Mavila"}
    listing = client.get("/media").get_data(as_text=True)
    assert "La República" in listing and "Verónika Mendoza" in listing
    response = client.post(f"/media/{mention.id}/edit", data={
        "published_on": "2026-03-08", "outlet": "La República", "kind": "online", "title": "Firmas llegan al Congreso",
        "url": "javascript:alert(1)", "campaign_id": "0", "legislator_ids": [mendoza.id]})
    assert "El enlace debe empezar con http" in response.get_data(as_text=True)
    response = client.post(f"/media/{mention.id}/edit", data={
        "published_on": "2026-03-08", "outlet": "La República", "kind": "online", "title": "Firmas llegan al Congreso",
        "url": "", "campaign_id": "0", "legislator_ids": [mendoza.id]})
    assert response.status_code == 302
    assert mention.kind == "online" and mention.campaign_id is None
    update = _audit("media_mention.update")[-1]
    assert update.new_values["legislator_ids"] == [mendoza.id]
    assert update.old_values["kind"] == "press"


def test_mention_form_uses_the_search_picker_and_editing_keeps_its_legislators(login_as, make_user, make_legislator):
    """No native multi-select of every legislator: the meeting form's picker, with the chosen people as chips."""
    from crm.coalition import operations

    officer = make_user("officer")
    mendoza = make_legislator("Verónika Mendoza", district="Cusco")
    mavila = make_legislator("Rosa Mavila", district="LIMA")
    others = [make_legislator() for _ in range(5)]
    mention = operations.create_media_mention(actor=officer, published_on=__import__("datetime").date(2026, 3, 8),
                                              outlet="La República", kind="press", legislator_ids=[mendoza.id, mavila.id])
    db.session.commit()
    client = login_as(officer)
    new = client.get("/media/new").get_data(as_text=True)
    assert "<select multiple" not in new and "Mantenga pulsado Ctrl" not in new
    assert "data-picker" in new and 'hx-get="/log/legislators"' in new and "js/picker.js" in new
    assert others[0].full_name not in new  # the page does not carry every name any more

    edit = client.get(f"/media/{mention.id}/edit").get_data(as_text=True)
    chips = edit[edit.index("data-picked") : edit.index("</div>", edit.index("data-picked"))]
    assert f'name="legislator_ids" value="{mendoza.id}"' in chips and f'name="legislator_ids" value="{mavila.id}"' in chips
    assert "Quitar a Rosa Mavila" in chips

    # A refused save shows the picked people again; an unknown id is refused and changes nothing.
    refused = client.post(f"/media/{mention.id}/edit", data={
        "published_on": "2026-03-08", "outlet": "", "kind": "press", "campaign_id": "0", "legislator_ids": [mavila.id]})
    body = refused.get_data(as_text=True)
    assert f'name="legislator_ids" value="{mavila.id}"' in body and f'name="legislator_ids" value="{mendoza.id}"' not in body
    client.post(f"/media/{mention.id}/edit", data={
        "published_on": "2026-03-08", "outlet": "La República", "kind": "press", "campaign_id": "0",
        "legislator_ids": [mavila.id, 999999]})
    db.session.expire_all()
    assert {leg.id for leg in mention.legislators} == {mendoza.id, mavila.id}


def test_mentions_list_costs_a_constant_number_of_statements(login_as, make_user, make_legislator, count_queries):
    from crm.coalition import operations

    officer = make_user("officer")
    legislators = [make_legislator() for _ in range(3)]
    operations.create_media_mention(actor=officer, published_on=__import__("datetime").date(2026, 1, 1), outlet="A",
                                    kind="tv", legislator_ids=[legislators[0].id])
    db.session.commit()
    client = login_as(officer)
    client.get("/media")  # warm the session so only the page is counted
    with count_queries() as few:
        client.get("/media")
    for i in range(6):
        operations.create_media_mention(actor=officer, published_on=__import__("datetime").date(2026, 1, 2 + i),
                                        outlet=f"M{i}", kind="radio", legislator_ids=[leg.id for leg in legislators])
    db.session.commit()
    client.get("/media")  # warm the session so only the page is counted
    with count_queries() as many:
        client.get("/media")
    assert len(many) == len(few)


def test_viewer_cannot_see_or_log_media_mentions(login_as, make_user, make_partner):
    partner = make_partner()
    client = login_as(make_user("viewer", partner_organisation_id=partner.id))
    assert client.get("/media").status_code == 403
    assert client.post("/media/new", data={"outlet": "X", "kind": "tv", "published_on": "2026-01-01"}).status_code == 403
    assert db.session.execute(select(MediaMention)).first() is None


def test_director_corrects_a_batch_but_not_below_what_was_checked(login_as, make_user, make_drive, make_batch, today):
    batch = make_batch(make_drive(), collected=100, verified=80, region="Cusco")
    db.session.commit()
    client = login_as(make_user("director"))
    form = client.get(f"/petitions/batches/{batch.id}/edit").get_data(as_text=True)
    assert 'value="100"' in form and f'value="p:{batch.collector_partner_id}" selected' in form
    data = {"collected_on": today.isoformat(), "region": "Puno", "collector": f"p:{batch.collector_partner_id}",
            "collected": "70"}
    response = client.post(f"/petitions/batches/{batch.id}/edit", data=data)
    assert "ya tiene 80 firmas revisadas" in response.get_data(as_text=True)
    assert batch.collected == 100 and batch.region == "Cusco"
    assert client.post(f"/petitions/batches/{batch.id}/edit", data={**data, "collected": "120"}).status_code == 302
    assert (batch.collected, batch.region, batch.pending) == (120, "Puno", 40)
    update = _audit("batch.update")[-1]
    assert (update.old_values["collected"], update.new_values["collected"]) == (100, 120)
    assert update.new_values["region"] == "Puno"


def test_drive_export_adds_up_and_keeps_notes_and_formulas_out(login_as, make_user, make_drive, make_batch,
                                                                make_partner):
    import csv
    import io

    drive = make_drive()
    make_batch(drive, collected=100, verified=60, duplicate=5, partner=make_partner("=HYPERLINK(1)"))
    other = make_batch(drive, collected=40, region="Puno")
    other.notes = "NOTA-DEL-EQUIPO"
    db.session.commit()
    response = login_as(make_user("officer")).get(f"/petitions/{drive.id}/batches.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "NOTA-DEL-EQUIPO" not in text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert sum(int(r["recolectadas"]) for r in rows) == 140
    assert sum(int(r["pendientes"]) for r in rows) == 140 - 60 - 5
    assert rows[0]["recolector"].startswith("'=") or rows[1]["recolector"].startswith("'=")


def test_partner_page_shows_what_each_campaign_opens(login_as, make_user, make_partner, make_campaign):
    from crm.campaigns.models import CampaignPartnerAccess

    partner = make_partner()
    db.session.add(CampaignPartnerAccess(campaign_id=make_campaign("Campaña abierta").id,
                                         partner_organisation_id=partner.id, level="whip_list"))
    db.session.commit()
    page = login_as(make_user("viewer", partner_organisation_id=partner.id)).get(f"/partners/{partner.id}")
    text = page.get_data(as_text=True)
    assert "Campaña abierta" in text and "Lista de votos por legislador" in text


def test_talking_points_for_a_meeting_cost_the_same_whatever_the_districts(
        login_as, make_user, make_drive, make_batch, make_legislator, make_campaign, count_queries):
    drive = make_drive(campaign=make_campaign("Despenalización por violación"))
    people = []
    for region in ("Cusco", "Puno", "Tacna"):
        make_batch(drive, collected=100, verified=50, region=region)
        people.append(make_legislator(f"Congresista de {region}", district=region))
    db.session.commit()
    client = login_as(make_user("officer"))
    counts, pages = [], []
    for picked in (people[:1], people):
        query = "&".join(f"legislator={p.id}" for p in picked)
        with count_queries() as sql:
            pages.append(client.get(f"/interactions/new?{query}&talking_points=1").get_data(as_text=True))
        counts.append(len(sql))
    assert counts[0] == counts[1], counts
    assert all(f"50 ciudadanas y ciudadanos de {region}" in pages[1] for region in ("Cusco", "Puno", "Tacna"))
