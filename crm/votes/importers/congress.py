"""The roll-call `data.json` written by the unitedstates/congress scrapers (github.com/unitedstates/congress):
one vote per file, with `vote_id`, `date`, `question`, `requires`, `result`, an optional `bill` and `votes`
grouped by option ({"Yea": [{"id", "display_name", ...}], "Nay": [...], "Not Voting": [...], "Present": [...]}).

Member ids are bioguide ids (House, e.g. A000055) or LIS ids (Senate, e.g. S354). A JSON list of such objects is
accepted too, so many roll calls can be imported at once. The Vice President's tie-breaking "VP" entry is skipped.
"""

import re

from flask_babel import gettext as _

from crm.votes.importers.records import (
    MAX_EVENTS,
    MAX_VOTES_PER_EVENT,
    EventRecord,
    VoteFile,
    VoteRecord,
    load_json,
    option_of,
    parse_instant,
    result_of,
    text,
)

BIOGUIDE = re.compile(r"^[A-Z]\d{6}$")
LIS = re.compile(r"^S\d{3}$")


def _scheme(member_id: str) -> str:
    if LIS.match(member_id):
        return "lis"
    return "bioguide" if BIOGUIDE.match(member_id) else "bioguide"


def _bill_number(bill) -> str | None:
    if not isinstance(bill, dict) or not bill.get("type") or not bill.get("number"):
        return None
    return text(f"{bill['type']}{bill['number']}-{bill.get('congress', '')}".strip("-"), 60)


def parse(raw: str, tz_name: str | None) -> VoteFile:
    result = VoteFile()
    data = load_json(raw, "data.json")
    roll_calls = data if isinstance(data, list) else [data]
    if len(roll_calls) > MAX_EVENTS:
        result.error(_("archivo"), "vote_id", _("Demasiadas votaciones: el máximo es %(n)s.", n=MAX_EVENTS))
        return result
    for n, item in enumerate(roll_calls, start=1):
        key = text(item.get("vote_id"), 200) if isinstance(item, dict) else None
        where = _("votación %(n)s (%(key)s)", n=n, key=key or "?")
        if not isinstance(item, dict) or not isinstance(item.get("votes"), dict):
            result.error(where, "votes", _("Falta «votes» agrupado por opción."))
            continue
        if not key:
            result.error(where, "vote_id", _("Falta el identificador de la votación."))
            continue
        try:
            start_at = parse_instant(item.get("date"), tz_name)
        except (ValueError, TypeError) as error:
            result.error(where, "date", _("Fecha no válida: %(error)s", error=error))
            continue
        event = EventRecord(
            where=where, key=key, start_at=start_at, motion=text(item.get("question")) or key,
            requirement=text(item.get("requires"), 120), result=result_of(item.get("result")),
            bill_number=_bill_number(item.get("bill")),
        )
        total = sum(len(v) for v in item["votes"].values() if isinstance(v, list))
        if total > MAX_VOTES_PER_EVENT:
            result.error(where, "votes", _("La lista de votos supera %(n)s.", n=MAX_VOTES_PER_EVENT))
            continue
        for label, members in item["votes"].items():
            option = option_of(label)
            if option is None:
                result.error(where, "votes", _("Opción de voto desconocida: «%(value)s».", value=text(label, 40)))
                continue
            event.counts[option] = event.counts.get(option, 0) + len(members if isinstance(members, list) else [])
            for i, member in enumerate(members if isinstance(members, list) else [], start=1):
                vote_where = _("votación %(n)s, «%(option)s» %(i)s", n=n, option=text(label, 40), i=i)
                if member == "VP":
                    continue
                member_id = text(member.get("id"), 120) if isinstance(member, dict) else None
                if not member_id:
                    result.error(vote_where, "id", _("Falta el id del miembro."))
                    continue
                event.votes.append(VoteRecord(vote_where, option, text(member.get("display_name"), 200),
                                              [(_scheme(member_id), member_id)]))
        result.events.append(event)
    return result
