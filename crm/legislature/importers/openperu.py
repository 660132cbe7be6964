"""OpenPeru `congresistas.json`: {period label: [rows]} scraped from congreso.gob.pe."""

import calendar
import json
import re
from datetime import date, timedelta

from flask_babel import gettext as _

from crm.legislature.importers.records import (
    ChamberRecord,
    GroupRecord,
    ImportFailed,
    PersonRecord,
    Roster,
    SeatRecord,
    clean,
    split_spanish_name,
    title_place,
)

MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "setiembre": 9, "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}
_RANGE = re.compile(r"^\s*(\w+)\s+(\d{4})\s*-\s*(\w+)\s+(\d{4})\s*$")
# Statuses that mean the person still holds the seat.
SITTING = {"en ejercicio", "con licencia"}
# No district ever gave a single candidate more preferential votes than this; bigger numbers are scraping errors.
MAX_PLAUSIBLE_VOTES = 1_500_000
CHAMBER_KEY = "main"


def period_years(label: str) -> tuple[int, int] | None:
    years = re.findall(r"\d{4}", label or "")
    if len(years) < 2:
        return None
    return int(years[0]), int(years[1])


def find_period(data: dict, wanted: str) -> str:
    years = period_years(wanted)
    for label in data:
        if label == wanted or (years and period_years(label) == years):
            return label
    choices = ", ".join(f"{a}-{b}" for a, b in filter(None, (period_years(k) for k in data)))
    raise ImportFailed(_("El periodo «%(wanted)s» no está en el archivo. Periodos disponibles: %(choices)s.", wanted=wanted, choices=choices))


def legal_seats(first_year: int) -> int:
    """Seats set by law: the CCD had 80, the Congress 120 until 2011 and 130 since."""
    if first_year < 1995:
        return 80
    return 120 if first_year < 2011 else 130


def parse_votes(value, roster, where):
    text = clean(value)
    if text is None:
        return None
    digits = re.sub(r"[,.'’\s]", "", text)
    if not digits.isdigit():
        roster.warn(where, "votation", _("«%(text)s» no es un número de votos; se omite.", text=text))
        return None
    votes = int(digits)
    if votes > MAX_PLAUSIBLE_VOTES:
        roster.warn(where, "votation", _("«%(text)s» no es un número de votos plausible; se omite.", text=text))
        return None
    return votes


def _month_bound(month_word: str, year: str, last: bool) -> date | None:
    month = MONTHS.get(month_word.lower())
    if month is None:
        return None
    day = calendar.monthrange(int(year), month)[1] if last else 1
    return date(int(year), month, day)


def parse_condicion(value, roster, where, period_start, period_end, today):
    """Return (start, end, status). `condicion` mixes status words with month ranges."""
    text = clean(value)
    if text is None:
        roster.warn(where, "condicion", _("Vacío; se considera en ejercicio."))
        return period_start, None, None
    match = _RANGE.match(text)
    if match:
        start = _month_bound(match.group(1), match.group(2), last=False)
        end = _month_bound(match.group(3), match.group(4), last=True)
        if start and end:
            return start, end, None
        roster.warn(where, "condicion", _("Rango de fechas no reconocido: «%(text)s»; se considera en ejercicio.", text=text))
        return period_start, None, None
    status = text[:1].upper() + text[1:].lower()
    if text.lower() in SITTING:
        return period_start, None, status
    # Left the seat (died, suspended, removed) on a date the source does not give. A replacement took the
    # seat before the term's last day (or before today), so the day before that is the latest it can be.
    return period_start, min(period_end, today) - timedelta(days=1), status


def parse(files: dict, options: dict, today: date) -> Roster:
    try:
        data = json.loads(files["main"])
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportFailed(_("El archivo no es JSON válido: %(error)s", error=error)) from error
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise ImportFailed(_("Se esperaba un objeto JSON con un periodo por clave y una lista de congresistas en cada uno."))
    if not options.get("period"):
        choices = ", ".join(f"{a}-{b}" for a, b in filter(None, (period_years(k) for k in data)))
        raise ImportFailed(_("Indique el periodo a importar (--period). Periodos disponibles: %(choices)s.", choices=choices))
    label = find_period(data, options["period"])
    first, last = period_years(label)
    # Peru's Congress is installed in late July of an election year.
    period_start, period_end = date(first, 7, 27), date(last, 7, 26)
    roster = Roster(legislature_start=period_start, legislature_end=period_end, period_label=f"{first}–{last}")
    roster.chambers[CHAMBER_KEY] = ChamberRecord(
        name=options.get("chamber") or "Congreso de la República", seats=options.get("seats") or legal_seats(first)
    )
    scheme = f"openperu:{first}-{last}"
    by_name: dict[str, PersonRecord] = {}
    for index, row in enumerate(data[label], start=1):
        where = _("registro %(n)s", n=index)
        if not isinstance(row, dict):
            roster.error(where, "", _("No es un objeto JSON."))
            continue
        ident = clean(row.get("id"))
        where = _("registro %(n)s (id %(id)s)", n=index, id=ident) if ident else where
        name = clean(row.get("nombre"))
        if not ident:
            roster.error(where, "id", _("Falta el identificador."))
        if not name:
            roster.error(where, "nombre", _("Falta el nombre."))
        if not ident or not name:
            continue
        start, end, status = parse_condicion(row.get("condicion"), roster, where, period_start, period_end, today)
        seat = SeatRecord(
            chamber=CHAMBER_KEY, district=title_place(row.get("dist_electoral")), start_date=start, end_date=end,
            status=status, votes=parse_votes(row.get("votation"), roster, where),
        )
        groups = []
        for kind, column in (("party", "party_name"), ("bancada", "bancada_name")):
            group = clean(row.get(column))
            if group:
                groups.append(GroupRecord(kind=kind, name=group, start_date=seat.start_date, end_date=seat.end_date))
            else:
                roster.warn(where, column, _("Vacío; no se registra esta afiliación."))
        person = PersonRecord(where=where, full_name=name)
        existing = by_name.get(person.name_key)
        if existing is not None:
            # 2016-2021 spans two congresses: the same person reappears with a new id. One person, two seats,
            # the second starting after the first ended.
            previous = existing.seats[-1]
            if previous.end_date and seat.start_date <= previous.end_date:
                seat.start_date = previous.end_date + timedelta(days=1)
                for group in groups:
                    group.start_date = seat.start_date
            existing.identifiers.append((scheme, ident))
            existing.seats.append(seat)
            existing.groups.extend(groups)
            if seat.district:
                existing.district = seat.district
            website = clean(row.get("website"))
            if website and website not in existing.links:
                existing.links.append(website)
            roster.notes.append(_("%(where)s: %(name)s ya aparece en %(first)s; se une como un segundo escaño.",
                                  where=where, name=name, first=existing.where))
            continue
        person.identifiers.append((scheme, ident))
        person.given_name, person.family_name = split_spanish_name(name)
        if person.family_name and person.given_name:
            person.sort_name = f"{person.family_name}, {person.given_name}"
        person.district = seat.district
        website = clean(row.get("website"))
        if website:
            person.links.append(website)
        person.seats.append(seat)
        person.groups.extend(groups)
        by_name[person.name_key] = person
        roster.persons.append(person)
    return roster
