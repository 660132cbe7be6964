"""What every campaign page shares: its labels and finding the campaign, stage and day asked for."""

from datetime import date
from functools import lru_cache

from flask import abort, g, request
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from crm.campaigns import bp, fragments, hemicycle, queries, stance
from crm.campaigns.forms import RULE_CHOICES, STATUS_CHOICES
from crm.campaigns.labels import COMMITMENT, STANCE
from crm.campaigns.models import DEFAULT_COMMITMENT, DEFAULT_CONFIDENCE, PERSUADABLE, STANCE_LEVELS
from crm.campaigns.visibility import can_see_whip_list
from crm.core.permissions import require
from crm.core.views import parse_day, user_today
from crm.core.visibility import can_write
from crm.legislature.labels import COMMITTEE_ROLE


@lru_cache(maxsize=8)
def _labels_for(locale: str) -> dict:
    """Every label the campaign pages repeat, translated once per language (the catalogue is fixed at start)."""
    level_labels = STANCE.translated()
    return {
        "LEVELS": STANCE_LEVELS,
        "PERSUADABLE": PERSUADABLE,
        "LEVEL_LABELS": level_labels,
        "LEVEL_OPTIONS": fragments.level_options(tuple(level_labels[lv] for lv in STANCE_LEVELS)),
        "COMMITMENT_LABELS": COMMITMENT.translated(),
        "RULE_LABELS": {k: str(v) for k, v in RULE_CHOICES},
        "STATUS_LABELS": {k: str(v) for k, v in STATUS_CHOICES},
        "COLOURS": hemicycle.COLOURS,
        # What a level-only change records, said where it is made (the "Detalle" form chooses the rest).
        "QUICK_SAVE_NOTE": _(
            "Se registra como «%(commitment)s», con confianza del %(n)s %%.",
            commitment=COMMITMENT.translated()[DEFAULT_COMMITMENT], n=DEFAULT_CONFIDENCE,
        ),
        "ROW_LABELS": {
            "no_group": _("Sin bancada"), "no_data": _("(sin dato)"), "committee": _("Comisión"),
            "change": _("Cambiar"), "full_stance": _("Detalle"),
            "full_stance_of": _("Detalle de la postura de %(name)s"), "cold": _("fría"), "never": _("nunca"), "levels": level_labels,
            "last_contact": _("Último contacto"), "task": _("Próxima tarea"), "owner": _("Responsable"),
            "hemicycle": _("Hemiciclo de %(body)s: un asiento por miembro, coloreado según su postura"),
            "breakdowns": {
                "group": (_("Por bancada"), _("Bancada")),
                "district": (_("Por distrito"), _("Distrito")),
                "committee": (_("Por comisión"), _("Comisión")),
            },
            "roles": COMMITTEE_ROLE.translated(),
        },
    }


@bp.context_processor
def labels():
    return _labels_for(str(get_locale()))


@bp.context_processor
def day_notice():
    return {"as_of_notice": as_of_notice}


# --- helpers ------------------------------------------------------------------------------------------


def campaign_or_404(campaign_id: int):
    campaign = queries.get_campaign(campaign_id)
    if campaign is None:
        abort(404)
    return campaign


def require_write(obj=None):
    require(can_write(current_user), "read-only account", obj)


def require_whip_list(campaign):
    require(can_see_whip_list(current_user, campaign.id), "whip list not granted", campaign)


def as_of_day(body=None) -> date:
    """?as_of= if given; otherwise today, or the vote day of a stage already past (its chamber may be gone).

    A day that cannot be read or lies in the future is not counted (nobody knows tomorrow's stances): today is,
    and as_of_notice() says so on the page.
    """
    raw = request.args.get("as_of", "").strip()
    if not raw:
        return queries.count_day(body.stage, user_today()) if body is not None else user_today()
    day = parse_day(raw)  # a 400 for a day outside the years anyone counts votes in
    today = user_today()
    if day is None:
        g.as_of_notice = ("unreadable", raw[:40], today)
        return today
    if day > today:
        g.as_of_notice = ("future", day, today)
        return today
    return day


def as_of_notice() -> str | None:
    """The sentence that explains why the day asked for in ?as_of= is not the day shown, if it is not."""
    notice = g.get("as_of_notice")
    if notice is None:
        return None
    kind, asked, shown = notice
    if kind == "future":
        return _("El %(asked)s todavía no llega: no hay recuento del futuro. Se muestra el de hoy, %(shown)s.",
                 asked=format_date(asked, "long"), shown=format_date(shown, "long"))
    return _("No se entiende la fecha «%(asked)s» (use el formato AAAA-MM-DD). Se muestra el recuento de hoy, "
             "%(shown)s.", asked=asked, shown=format_date(shown, "long"))


def pick_body(bodies):
    """The stage asked for in ?stage=, else the next one to be voted; a foreign or bad id is a 404."""
    raw = request.args.get("stage") or request.form.get("stage")
    if raw:
        try:
            stage_id = int(raw)
        except ValueError:
            abort(404)
        for body in bodies:
            if body.stage.id == stage_id:
                return body
        abort(404)
    head = queries.headline_stage([b.stage for b in bodies], user_today())
    return next((b for b in bodies if b.stage is head), None)


def campaign_and_bodies_or_404(campaign_id: int):
    campaign, bodies = queries.campaign_with_bodies(campaign_id)
    if campaign is None:
        abort(404)
    return campaign, bodies


def count_for_request(campaign, bodies, breakdowns=()):
    """The stage the request asks for, its count (None without stages) and the day counted."""
    body = pick_body(bodies)
    as_of = as_of_day(body)
    if body is None:
        return None, None, as_of
    cutoff = stance.cutoff_for_day(as_of, current_user.timezone)
    return body, queries.whip_count(campaign, body, as_of, cutoff, breakdowns=breakdowns), as_of

