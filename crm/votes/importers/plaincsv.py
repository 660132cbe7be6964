"""Cabildeo's plain CSV of votes: one legislator's vote per line, the event's columns repeated on each line.

Header (docs/votes.md): event_id,start,motion,requirement,result,bill_number,legislator,scheme,identifier,option
`event_id`, `start`, `legislator` or `scheme`+`identifier`, and `option` are required; `start` is an ISO date-time
(without an offset it is read in the organisation's timezone).
"""

import csv
import io

from flask_babel import gettext as _

from crm.votes.importers.records import (
    MAX_EVENTS,
    MAX_VOTES_PER_EVENT,
    EventRecord,
    VoteFile,
    VoteRecord,
    option_of,
    parse_instant,
    result_of,
    text,
)

COLUMNS = ("event_id", "start", "motion", "requirement", "result", "bill_number", "legislator", "scheme",
           "identifier", "option")
REQUIRED = ("event_id", "start", "option")
MAX_FIELD = 4000


def parse(raw: str, tz_name: str | None) -> VoteFile:
    result = VoteFile()
    reader = csv.reader(io.StringIO(raw, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as error:
        result.error(_("línea 1"), "header", str(error))
        return result
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.error(_("línea 1"), ", ".join(missing), _("Faltan columnas obligatorias. La cabecera es: %(h)s",
                                                          h=",".join(COLUMNS)))
        return result
    events: dict[str, EventRecord] = {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.error(_("línea %(n)s", n=reader.line_num), "csv", str(error)[:200])
            break
        where = _("línea %(n)s", n=reader.line_num)
        if not any(c.strip() for c in cells):
            continue
        if any(len(c) > MAX_FIELD for c in cells):
            result.error(where, "csv", _("Un campo supera %(n)s caracteres.", n=MAX_FIELD))
            continue
        row = dict(zip(header, cells, strict=False))
        key = text(row.get("event_id"), 200)
        option = option_of(row.get("option"))
        if not key:
            result.error(where, "event_id", _("Falta el identificador de la votación."))
            continue
        if option is None:
            result.error(where, "option", _("Opción de voto desconocida: «%(value)s».", value=text(row.get("option"), 40) or ""))
            continue
        event = events.get(key)
        if event is None:
            if len(events) >= MAX_EVENTS:
                result.error(where, "event_id", _("Demasiadas votaciones: el máximo es %(n)s.", n=MAX_EVENTS))
                break
            try:
                start_at = parse_instant(row.get("start"), tz_name)
            except (ValueError, TypeError) as error:
                result.error(where, "start", _("Fecha no válida: %(error)s", error=error))
                continue
            event = events[key] = EventRecord(
                where=where, key=key, start_at=start_at, motion=text(row.get("motion")) or key,
                requirement=text(row.get("requirement"), 120), result=result_of(row.get("result")),
                bill_number=text(row.get("bill_number"), 60),
            )
        if len(event.votes) >= MAX_VOTES_PER_EVENT:
            result.error(where, "event_id", _("La votación supera %(n)s votos.", n=MAX_VOTES_PER_EVENT))
            continue
        scheme, value = text(row.get("scheme"), 40), text(row.get("identifier"), 120)
        name = text(row.get("legislator"), 200)
        if not name and not (scheme and value):
            result.error(where, "legislator", _("Falta el nombre o el identificador del legislador."))
            continue
        event.votes.append(VoteRecord(where, option, name, [(scheme, value)] if scheme and value else []))
    result.events = list(events.values())
    return result
