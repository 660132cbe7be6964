"""Popolo vote events (popoloproject.com/specs/vote-event.html): a list of vote_events, each with a motion,
`counts` ([{option, value}]) and `votes` ([{voter_id or voter, option}]).

Accepted shapes: {"vote_events": [...]}, a bare list of vote events, or one vote event. Voters are matched by
`voter.identifiers` ([{scheme, identifier}]), then `voter_id` as scheme "popolo", then `voter.name`.
An optional `bill` ({"identifier", "title"}) or `bill_id` names the bill voted on (an extension).
"""

from flask_babel import gettext as _

from crm.votes.importers.records import (
    MAX_EVENTS,
    MAX_VOTES_PER_EVENT,
    EventRecord,
    VoteFile,
    VoteRecord,
    count_value,
    load_json,
    option_of,
    parse_instant,
    result_of,
    text,
)


def _events(data) -> list:
    if isinstance(data, dict) and isinstance(data.get("vote_events"), list):
        return data["vote_events"]
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "votes" in data:
        return [data]
    return []


def _voter(vote: dict) -> tuple[list, str | None]:
    voter = vote.get("voter") if isinstance(vote.get("voter"), dict) else {}
    ids = []
    for ident in voter.get("identifiers") or []:
        if isinstance(ident, dict) and text(ident.get("scheme")) and text(ident.get("identifier")):
            ids.append((text(ident["scheme"], 40), text(ident["identifier"], 120)))
    voter_id = text(vote.get("voter_id") or voter.get("id"), 120)
    if voter_id:
        ids.append(("popolo", voter_id))
    return ids, text(voter.get("name") or vote.get("name"), 200)


def parse(raw: str, tz_name: str | None) -> VoteFile:
    result = VoteFile()
    events = _events(load_json(raw, "Popolo"))
    if not events:
        result.error(_("archivo"), "vote_events", _("No hay votaciones (vote_events) en el archivo."))
    if len(events) > MAX_EVENTS:
        result.error(_("archivo"), "vote_events", _("Demasiadas votaciones: el máximo es %(n)s.", n=MAX_EVENTS))
        return result
    for n, item in enumerate(events, start=1):
        where = _("votación %(n)s", n=n)
        if not isinstance(item, dict):
            result.error(where, "vote_event", _("No es un objeto."))
            continue
        motion = item.get("motion") if isinstance(item.get("motion"), dict) else {}
        key = text(item.get("identifier") or item.get("id"), 200)
        where = _("votación %(n)s (%(key)s)", n=n, key=key or "?")
        if not key:
            result.error(where, "id", _("Falta el identificador de la votación."))
            continue
        try:
            start_at = parse_instant(item.get("start_date") or item.get("date"), tz_name)
        except (ValueError, TypeError) as error:
            result.error(where, "start_date", _("Fecha no válida: %(error)s", error=error))
            continue
        bill = item.get("bill") if isinstance(item.get("bill"), dict) else {}
        event = EventRecord(
            where=where, key=key, start_at=start_at,
            motion=text(motion.get("text") or item.get("motion_text") or item.get("title")) or key,
            requirement=text(motion.get("requirement") or item.get("requirement"), 120),
            result=result_of(item.get("result") or motion.get("result")),
            bill_number=text(bill.get("identifier") or item.get("bill_id"), 60), bill_title=text(bill.get("title"), 500),
        )
        for count in item.get("counts") or []:
            if isinstance(count, dict) and option_of(count.get("option")) and count_value(count.get("value")) is not None:
                option = option_of(count["option"])
                event.counts[option] = event.counts.get(option, 0) + count_value(count["value"])
        votes = item.get("votes") or []
        if not isinstance(votes, list) or len(votes) > MAX_VOTES_PER_EVENT:
            result.error(where, "votes", _("La lista de votos no es válida o supera %(n)s.", n=MAX_VOTES_PER_EVENT))
            continue
        for i, vote in enumerate(votes, start=1):
            vote_where = _("votación %(n)s, voto %(i)s", n=n, i=i)
            if not isinstance(vote, dict):
                result.error(vote_where, "votes", _("No es un objeto."))
                continue
            option = option_of(vote.get("option"))
            ids, name = _voter(vote)
            if option is None:
                result.error(vote_where, "option", _("Opción de voto desconocida: «%(value)s».", value=text(vote.get("option"), 40)))
                continue
            if not ids and not name:
                result.error(vote_where, "voter_id", _("Falta quién votó."))
                continue
            event.votes.append(VoteRecord(vote_where, option, name, ids))
        result.events.append(event)
    return result
