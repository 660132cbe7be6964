"""A meeting logged by an officer moves the director's whip count."""

import csv
import io

from crm.extensions import db
from tests.outreach.test_interactions import _form


def test_stances_from_a_logged_meeting_show_in_the_whip_count(make_user, login_as, make_legislator, make_campaign):
    officer = make_user("officer")
    mendoza = make_legislator("Verónika Mendoza")
    mavila = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    db.session.commit()
    client = login_as(officer)
    before = client.get(f"/campaigns/{campaign.id}/export.csv").get_data(as_text=True)
    response = client.post(
        "/interactions/new",
        data=_form([mendoza, mavila], campaign, **{f"stance-{mendoza.id}": "leaning_yes", f"stance-{mavila.id}": "supporter"}),
    )
    assert response.status_code == 302
    after = client.get(f"/campaigns/{campaign.id}/export.csv").get_data(as_text=True)
    assert _stances(before) == {"Rosa Mavila": "Sin evaluar", "Verónika Mendoza": "Sin evaluar"}
    assert _stances(after) == {"Rosa Mavila": "Apoya", "Verónika Mendoza": "Se inclina a favor"}


def _stances(export: str) -> dict:
    return {row["Nombre"]: row["Postura"] for row in csv.DictReader(io.StringIO(export.lstrip("\ufeff")))}
