"""The petition figure an officer takes into a meeting: verified signatures from the legislator's district."""

from babel.lists import format_list
from flask_babel import get_locale, get_translations

from crm.coalition import grouped, queries
from crm.coalition.regions import regions_for_district


def for_districts(districts) -> dict:
    """Each district's regions and one sentence per petition drive with verified signatures from them.

    One query whatever the number of districts: a meeting may bring legislators from several regions.
    """
    regions_of = {district: regions_for_district(district) for district in dict.fromkeys(districts)}
    rows = queries.verified_by_region({region for regions in regions_of.values() for region in regions})
    return {district: (regions, _sentences(regions, rows)) for district, regions in regions_of.items()}


def for_district(district: str | None) -> tuple[tuple[str, ...], list[str]]:
    return for_districts([district])[district]


def for_legislators(legislators) -> list[str]:
    """Every distinct talking point for the legislators of one meeting, in order."""
    points: list[str] = []
    for _regions, sentences in for_districts(legislator.district for legislator in legislators).values():
        points.extend(point for point in sentences if point not in points)
    return points


def _sentences(regions, rows) -> list[str]:
    totals: dict[int, list] = {}  # drive id -> [campaign name, verified], in the rows' drive order
    for drive_id, campaign, region, verified in rows:
        if region in regions:
            totals.setdefault(drive_id, [campaign, 0])[1] += verified
    place = format_list(list(regions), locale=str(get_locale() or "es_PE"))
    translations = get_translations()
    # Flask-Babel's ngettext owns `num`; the sentence wants it grouped (70,000), so format by hand.
    return [
        translations.ungettext(
            "%(num)s ciudadana o ciudadano de %(place)s firmó, con firma verificada, la iniciativa «%(campaign)s».",
            "%(num)s ciudadanas y ciudadanos de %(place)s firmaron, con firma verificada, la iniciativa «%(campaign)s».",
            int(verified),
        ) % {"num": grouped(verified), "place": place, "campaign": campaign}
        for campaign, verified in totals.values()
        if verified  # a drive with nothing verified yet is no talking point
    ]
