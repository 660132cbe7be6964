"""The whip page, the daily digest and the whip list export name a stance with the same words, in each language."""

import csv
import io
from datetime import timedelta

import pytest

from crm.core.time import utcnow
from crm.extensions import db
from crm.reminders.digests import build_digests
from crm.reminders.emails import render_reminder

WORDS = {
    "es_PE": {"leaning_yes": "Se inclina a favor", "undecided": "Sin decidir"},
    "en": {"leaning_yes": "Leaning yes", "undecided": "Undecided"},
}


@pytest.mark.parametrize("language", sorted(WORDS))
def test_whip_page_digest_and_export_say_the_same(factory, login_as, language):
    now = utcnow()
    director = factory.user(role="director", language=language)
    campaign = factory.campaign(going_cold_days=14)
    stage_id = campaign.stages[0].id
    leaning, undecided = factory.legislator("Verónika Mendoza"), factory.legislator("Rosa Mavila")
    factory.stance(campaign, leaning, "leaning_yes", now - timedelta(days=60))
    factory.stance(campaign, undecided, "undecided", now - timedelta(days=60))
    db.session.commit()
    words = WORDS[language]

    digest = build_digests([director], now)[director.id]
    _subject, text, html, _link = render_reminder("digest", director, lambda: "digest", digest=digest)

    client = login_as(director)
    page = client.get(f"/campaigns/{campaign.id}/whip?stage={stage_id}").get_data(as_text=True)
    export = client.get(f"/campaigns/{campaign.id}/export.csv?stage={stage_id}").get_data(as_text=True)
    rows = {row[0]: row[3] for row in csv.reader(io.StringIO(export.lstrip("\ufeff")))}

    for name, level in (("Verónika Mendoza", "leaning_yes"), ("Rosa Mavila", "undecided")):
        label = words[level]
        assert f"{name} · {campaign.name} · {label}" in text, ("digest text", name)
        assert f"{name} · {campaign.name} · {label}" in html, ("digest html", name)
        assert rows[name] == label, ("export", name)
        row = page[page.index(name):]
        assert label in row[: row.index("</tr>")], ("whip page targets", name)
