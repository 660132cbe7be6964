"""The petition figure an officer takes into a meeting: verified signatures from the legislator's district."""

from babel.lists import format_list
from flask_babel import get_locale, get_translations

from crm.coalition import grouped, queries


def for_district(district: str | None) -> tuple[list[str], list[str]]:
    """The district's regions, and one sentence per petition drive with verified signatures from them."""
    regions, rows = queries.legislator_signatures(district)
    rows = [row for row in rows if row[2]]  # a drive with nothing verified yet is no talking point
    if not rows:
        return regions, []
    place = format_list(regions, locale=str(get_locale() or "es_PE"))
    translations = get_translations()
    # Flask-Babel's ngettext owns `num`; the sentence wants it grouped (70,000), so format by hand.
    return regions, [
        translations.ungettext(
            "%(num)s ciudadana o ciudadano de %(place)s firmó, con firma verificada, la iniciativa «%(campaign)s».",
            "%(num)s ciudadanas y ciudadanos de %(place)s firmaron, con firma verificada, la iniciativa «%(campaign)s».",
            int(verified),
        ) % {"num": grouped(verified), "place": place, "campaign": campaign}
        for _drive, campaign, verified in rows
    ]


def for_legislators(legislators) -> list[str]:
    """Every distinct talking point for the legislators of one meeting, in order; one query per district."""
    points: list[str] = []
    for district in dict.fromkeys(legislator.district for legislator in legislators):
        for point in for_district(district)[1]:
            if point not in points:
                points.append(point)
    return points
