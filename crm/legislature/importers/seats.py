"""Seats: the legal cap, an estimate when the file gives none, and the warning when more people sit than seats."""

from collections import defaultdict
from datetime import date, timedelta

from flask_babel import gettext as _

from crm.legislature.importers.records import Roster
from crm.legislature.models import MAX_SEATS, Tenure

__all__ = ["MAX_SEATS", "infer_seats", "most_at_once", "sitting_today"]


def _bounds(roster: Roster, seat) -> tuple[date | None, date | None]:
    term = roster.terms.get(seat.term) if seat.term else None
    start = seat.start_date or (term.start_date if term else roster.legislature_start)
    end = seat.end_date or (term.end_date if term else roster.legislature_end)
    return start, end


def most_at_once(roster: Roster, chamber: str) -> int:
    """The most people holding a seat of this chamber on any one day (both ends inclusive)."""
    events = []
    for person in roster.persons:
        for seat in person.seats:
            if seat.chamber != chamber:
                continue
            start, end = _bounds(roster, seat)
            if person.death_date and (end is None or end > person.death_date):
                end = person.death_date
            events.append((start or date.min, 1))
            if end is not None and end < date.max:
                events.append((end + timedelta(days=1), -1))
    most = current = 0
    for _day, delta in sorted(events):  # on one day, endings (-1) come before beginnings
        current += delta
        most = max(most, current)
    return most


def infer_seats(roster: Roster) -> None:
    """A chamber the file gives no seats (nor --seats) gets the most people sitting at once, with a warning."""
    if any(p.field == "seats" and p.severity == "error" for p in roster.problems):
        return  # a wrong number was reported already; an estimate would only add a misleading second message
    for key, chamber in roster.chambers.items():
        if chamber.seats:
            continue
        most = most_at_once(roster, key)
        if 0 < most <= MAX_SEATS:
            chamber.seats = most
            roster.warn(chamber.name, "seats", _(
                "El archivo no indica los escaños legales de «%(name)s»; se usan %(n)s, el mayor número de "
                "personas con escaño a la vez. Indique el número legal con --seats.", name=chamber.name, n=most))


def sitting_today(roster: Roster, today: date) -> dict:
    """People whose (already bounded) seat records are active today, per chamber key."""
    counts: dict = defaultdict(int)
    for person in roster.persons:
        for chamber in {s.chamber for s in person.seats if Tenure.active_on(s, today)}:
            counts[chamber] += 1
    return counts
