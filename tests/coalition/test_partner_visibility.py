"""A partner (viewer) account walks EVERY route of the app, whatever domain added it.

The walk is generic on purpose: it reads app.url_map, so routes merged from other domains are covered too.
Each <int:...> argument is filled with ids of real objects created here, including ones the partner must not
see into: a campaign without a whip_list grant (with legislator-level stances), an interaction whose notes are
internal, another organisation with team notes, an outbox email quoting an internal note.

What must hold for a partner:
- no page, fragment or export answers 500;
- no page or export shows internal interaction notes, the team's notes about partners or batches, or the
  legislator-level stance data (evidence, source link) of a campaign without a whip_list grant;
- a page about a hidden campaign never names the legislator whose only link to it is her stance there, and
  that legislator's own pages never name the hidden campaigns;
- every POST/PUT/PATCH/DELETE route answers 403, 404 or 405 (self-service account routes excepted), and the
  database holds exactly the same rows afterwards.
"""

import io
import itertools
import warnings
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.routing.converters import NumberConverter

from crm.core.time import utcnow
from crm.extensions import db

INTERNAL_NOTE = "NOTA-INTERNA-7f3a9c"
PARTNER_NOTE = "NOTA-SOBRE-ALIADA-55e1b0"
BATCH_NOTE = "NOTA-DE-LOTE-2d4e61"
WHIP_EVIDENCE = "EVIDENCIA-LISTA-OCULTA-91c2aa"
WHIP_SOURCE = "https://example.org/fuente-oculta-91c2aa"
HIDDEN_LEGISLATOR = "Zoila Marcadora Reservada"
SECRETS = (INTERNAL_NOTE, PARTNER_NOTE, BATCH_NOTE, WHIP_EVIDENCE, WHIP_SOURCE)

# A partner may change their own account; everything else is read-only.
SELF_SERVICE = {
    "accounts.login", "accounts.logout", "accounts.change_password", "accounts.preferences", "accounts.set_language",
    "accounts.forgot_password", "accounts.accept_invite", "accounts.reset_password",
    # Authorised by the signed token in the link, not by who is logged in.
    "reminders.unsubscribe",
    # A person's own API tokens (a partner gets read-only ones); covered by tests/api/test_token_pages.py.
    "accounts.api_tokens_page", "accounts.revoke_api_token",
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def world(make_user, make_partner, make_campaign, make_legislator, make_interaction, make_drive, make_batch):
    from crm.campaigns.models import CampaignPartnerAccess, StanceAssessment, VoteStage
    from crm.coalition.models import MediaMention
    from crm.legislature.models import Aide, Chamber, Committee, Group, Legislature
    from crm.outreach.models import Task
    from crm.reminders.models import OutboundEmail

    own = make_partner("Movimiento Manuela Ramos", notes=PARTNER_NOTE)
    other = make_partner("DEMUS", notes=PARTNER_NOTE)
    viewer = make_user("viewer", partner_organisation_id=own.id, calendar_token="viewer-calendar-token-0001")
    officer = make_user("officer")

    legislature = Legislature(name="Congreso", country="PE")
    db.session.add(legislature)
    db.session.flush()
    chamber = Chamber(legislature_id=legislature.id, name="Cámara", seats=130)
    db.session.add(chamber)
    db.session.flush()
    committee = Committee(chamber_id=chamber.id, name="Comisión de Justicia")
    group = Group(legislature_id=legislature.id, name="Bancada")
    db.session.add_all([committee, group])

    hidden = make_campaign("Campaña sin permiso", legislature_id=legislature.id)
    aggregate = make_campaign("Campaña con conteo agregado", legislature_id=legislature.id)
    whip = make_campaign("Campaña con lista", legislature_id=legislature.id)
    db.session.add_all([
        CampaignPartnerAccess(campaign_id=aggregate.id, partner_organisation_id=own.id, level="aggregate"),
        CampaignPartnerAccess(campaign_id=whip.id, partner_organisation_id=own.id, level="whip_list"),
    ])
    stages = []
    for campaign in (hidden, aggregate, whip):
        stage = VoteStage(campaign_id=campaign.id, position=1, name="Pleno", chamber_id=chamber.id)
        db.session.add(stage)
        stages.append(stage)

    marked = make_legislator(HIDDEN_LEGISLATOR, district="Cusco")
    visible = make_legislator("Rosa Visible", district="LIMA", owner_partner_id=own.id)
    for campaign in (hidden, aggregate):
        db.session.add(StanceAssessment(
            campaign_id=campaign.id, legislator_id=marked.id, level="champion", commitment="private", confidence=90,
            evidence=WHIP_EVIDENCE, source_url=WHIP_SOURCE, assessed_by_id=officer.id, assessed_at=utcnow(),
        ))
    db.session.add(StanceAssessment(
        campaign_id=whip.id, legislator_id=visible.id, level="supporter", assessed_at=utcnow(), assessed_by_id=officer.id,
    ))
    aide = Aide(legislator_id=visible.id, name="Asesora", notes=None)
    db.session.add(aide)

    internal = make_interaction(notes=INTERNAL_NOTE, internal=True, campaign=hidden, legislators=[visible],
                                partners=[own], author=officer)
    public = make_interaction(notes="Reunión cordial", internal=False, campaign=whip, legislators=[visible],
                              partners=[own], author=officer)
    task = Task(title="Enviar el informe", interaction_id=internal.id, legislator_id=visible.id,
                campaign_id=hidden.id, assignee_id=officer.id, created_by_id=officer.id, created_at=utcnow(),
                due_at=utcnow() + timedelta(days=1))
    db.session.add(task)

    drive = make_drive(campaign=whip)
    batch = make_batch(drive, collected=500, verified=300, region="Lima Metropolitana", partner=own)
    batch.notes = BATCH_NOTE
    # Press coverage is public: it names the visible legislator, so the marked one stays linked only by stances.
    mention = MediaMention(published_on=utcnow().date(), outlet="Radio", kind="radio", campaign_id=hidden.id)
    mention.legislators = [visible]
    db.session.add(mention)
    email = OutboundEmail(
        idempotency_key="visibility-test", kind="meeting", user_id=officer.id, recipient=officer.email,
        subject="Recordatorio", body_text=f"Notas: {INTERNAL_NOTE}", next_attempt_at=utcnow(),
        message_id="<x@cabildeo>", created_at=utcnow(),
    )
    db.session.add(email)
    db.session.flush()
    db.session.commit()

    ids = {
        "campaign": [hidden.id, aggregate.id, whip.id],
        "legislator": [marked.id, visible.id],
        "interaction": [internal.id, public.id],
        "partner": [own.id, other.id],
        "partner_organisation": [own.id, other.id],
        "organisation": [own.id, other.id],
        "drive": [drive.id],
        "batch": [batch.id],
        "mention": [mention.id],
        "media_mention": [mention.id],
        "user": [viewer.id, officer.id],
        "task": [task.id],
        "stage": [s.id for s in stages],
        "vote_stage": [s.id for s in stages],
        "aide": [aide.id],
        "chamber": [chamber.id],
        "committee": [committee.id],
        "group": [group.id],
        "legislature": [legislature.id],
        "email": [email.id],
        "outbound_email": [email.id],
        "message": [email.id],
        "stance": [],
    }
    return {"viewer": viewer, "ids": ids, "hidden_campaigns": {hidden.id, aggregate.id}, "marked": marked.id,
            "hidden_names": (hidden.name, aggregate.name),
            "strings": {"token": ["viewer-calendar-token-0001", "x"], "code": ["es_PE"]}}


def _candidates(rule, name, world):
    converter = rule._converters[name]
    if isinstance(converter, NumberConverter):
        key = name[:-3] if name.endswith("_id") else name
        if key in world["ids"] and world["ids"][key]:
            return world["ids"][key]
        # Unknown names: the ids of the objects partners must not see into, so new routes are still probed.
        return sorted({*world["hidden_campaigns"], *world["ids"]["interaction"]})
    return world["strings"].get(name, ["x"])


def _urls(app, rule, world):
    names = sorted(rule.arguments)
    choices = [_candidates(rule, name, world) for name in names]
    with app.test_request_context():
        from flask import url_for

        for combo in itertools.product(*choices):
            values = dict(zip(names, combo, strict=True))
            yield url_for(rule.endpoint, **values), values


def _walkable(rule):
    return rule.endpoint != "static" and not rule.endpoint.endswith(".static")


def _text(response) -> str:
    """Everything a user could read in the response, including inside spreadsheets and zip files."""
    data = response.get_data()
    kind = response.headers.get("Content-Type", "")
    if data[:2] == b"PK":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            return data.decode("utf-8", "replace")
        if "spreadsheet" in kind or any(n.startswith("xl/") for n in archive.namelist()):
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(data), read_only=True)
            return "\n".join(
                str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
                if cell is not None
            )
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return data.decode("utf-8", "replace")


def _request(client, url, **kwargs):
    """One request; an exception is reported like the 500 page a user would get.

    Deprecation warnings are not errors during the walk: it checks what a partner can reach, and each domain's
    own tests keep deprecations out (otherwise one warning in a shared form would hide every other finding).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return client.open(url, **kwargs), None
        except Exception as error:  # noqa: BLE001 - every failure is a finding to report
            db.session.rollback()
            return None, f"{type(error).__name__}: {error}"


def _row_counts():
    """Rows per table; refused attempts are audited on purpose, so audit rows count only when they are not denials."""
    from crm.audit.models import AuditEntry

    counts = {
        table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in db.metadata.sorted_tables if table.name != AuditEntry.__tablename__
    }
    counts["audit_entries (not denials)"] = db.session.execute(
        select(func.count(AuditEntry.id)).where(AuditEntry.action != "permission.denied")
    ).scalar_one()
    return counts


def test_partner_reads_every_page_and_export_without_seeing_what_is_hidden(app, login_as, world):
    client = login_as(world["viewer"])
    problems, visited = [], 0
    hidden = world["hidden_campaigns"]
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not _walkable(rule) or "GET" not in rule.methods:
            continue
        for url, values in _urls(app, rule, world):
            campaign_in_path = values.get("campaign_id") in hidden
            marked_in_path = values.get("legislator_id") == world["marked"]
            query = f"campaign={min(hidden)}&campaign_id={min(hidden)}"
            variants = [
                (url, {}),
                (url, {"HX-Request": "true"}),
                (f"{url}?{query}&format=csv&export=csv", {}),
                (f"{url}?{query}&format=xlsx&export=xlsx", {}),
            ]
            for target, headers in variants:
                response, error = _request(client, target, headers=headers)
                visited += 1
                if error:
                    problems.append(f"{rule.endpoint} GET {target}: {error}")
                    continue
                where = f"{rule.endpoint} GET {target}{' (htmx)' if headers else ''} -> {response.status_code}"
                if response.status_code >= 500:
                    problems.append(f"{where}: server error")
                    continue
                body = _text(response)
                for secret in SECRETS:
                    if secret in body:
                        problems.append(f"{where}: shows {secret}")
                if campaign_in_path and HIDDEN_LEGISLATOR in body:
                    problems.append(f"{where}: names a legislator of a campaign without whip_list grant")
                if marked_in_path and response.status_code == 200:
                    for name in world["hidden_names"]:
                        if name in body:
                            problems.append(
                                f"{where}: names campaign «{name}», whose only link to this legislator is a stance "
                                "the partner may not see (a list of all campaigns, e.g. a filter, would also trip this)"
                            )
    assert visited > 0
    assert not problems, "\n".join(problems)


def test_partner_cannot_write_anywhere(app, login_as, world):
    client = login_as(world["viewer"])
    before = _row_counts()
    problems, tried = [], 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        methods = (rule.methods or set()) & WRITE_METHODS
        if not _walkable(rule) or not methods or rule.endpoint in SELF_SERVICE:
            continue
        for url, _values in _urls(app, rule, world):
            for method in sorted(methods):
                response, error = _request(client, url, method=method,
                                           data={"name": "x", "notes": "x", "level": "champion"})
                tried += 1
                if error:
                    problems.append(f"{rule.endpoint} {method} {url}: {error}")
                # The API answers a session cookie with 401: cookies never authenticate it (tests/api cover tokens).
                elif response.status_code not in ((401, 403, 404, 405) if url.startswith("/api/") else (403, 404, 405)):
                    problems.append(f"{rule.endpoint} {method} {url} -> {response.status_code}")
    assert tried > 0
    assert not problems, "\n".join(problems)
    assert _row_counts() == before, "a partner's request changed rows"


def test_partner_guards_are_not_vacuous(login_as, world):
    """The walk would be meaningless if the partner could not see anything at all: prove some pages render."""
    client = login_as(world["viewer"])
    own = world["ids"]["partner"][0]
    page = client.get(f"/partners/{own}")
    assert page.status_code == 200 and "Movimiento Manuela Ramos" in page.get_data(as_text=True)
    drive = client.get(f"/petitions/{world['ids']['drive'][0]}")
    assert drive.status_code == 200 and "Lima Metropolitana" in drive.get_data(as_text=True)
