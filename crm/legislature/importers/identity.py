"""Who is who across imports: identifiers are scoped to a legislature unless their scheme is global.

Dataset-local schemes (a Popolo file's own person ids, OpenPeru's per-period ids, a CSV's "congreso" ids)
reuse the same values in every country: "1" is someone in Peru and someone else in Bulgaria. Such an
identifier matches only people of the legislature being imported. It is stored as is when the value is
free, and as `scheme@<legislature id>` when another legislature's person already holds it. Global schemes
name one person everywhere and match across legislatures.
"""

from flask_babel import gettext as _
from sqlalchemy import select, union

from crm.extensions import db
from crm.legislature.models import (
    Chamber,
    Committee,
    CommitteeMembership,
    Group,
    GroupMembership,
    LegislatorIdentifier,
    SeatMembership,
)

GLOBAL_SCHEMES = frozenset({
    "wikidata", "bioguide", "viaf", "isni", "gnd", "orcid", "lccn", "freebase", "everypolitician",
    "opensecrets", "fec", "govtrack", "icpsr", "votesmart", "thomas", "lis", "cspan", "ballotpedia_id",
})
# Without --allow-renames an import may rename at most this share of the existing people it matches.
MAX_RENAME_SHARE = 0.2
# Identifier values per query when matching, well under any database's bound-parameter limit.
_CHUNK = 500


def is_global(scheme: str) -> bool:
    return scheme.lower() in GLOBAL_SCHEMES


def scoped(scheme: str, legislature_id: int | None) -> str:
    return f"{scheme[:28]}@{legislature_id}"


def members_of(legislature_id: int | None) -> set[int]:
    """Everyone with a seat, a group or a committee membership in the legislature."""
    if not legislature_id:
        return set()
    statement = union(
        select(SeatMembership.legislator_id).join(Chamber, Chamber.id == SeatMembership.chamber_id)
        .where(Chamber.legislature_id == legislature_id),
        select(GroupMembership.legislator_id).join(Group, Group.id == GroupMembership.group_id)
        .where(Group.legislature_id == legislature_id),
        select(CommitteeMembership.legislator_id).join(Committee, Committee.id == CommitteeMembership.committee_id)
        .join(Chamber, Chamber.id == Committee.chamber_id).where(Chamber.legislature_id == legislature_id),
    )
    return set(db.session.execute(statement).scalars())


def load_ids(persons, legislature_id: int | None, members: set[int]) -> tuple[dict, set]:
    """(idmap, taken): idmap maps the file's (scheme, value) pairs to a legislator this import may match;
    taken holds the stored (scheme, value) pairs that belong to someone else."""
    pairs = {pair for person in persons for pair in person.identifiers}
    if not pairs:
        return {}, set()
    schemes = {scheme for scheme, _value in pairs}
    stored = schemes | {scoped(s, legislature_id) for s in schemes if not is_global(s)}
    # Only the values these persons carry: a step reads its own identifiers, not every one stored for the schemes.
    values = sorted({value for _scheme, value in pairs})
    rows = []
    for at in range(0, len(values), _CHUNK):
        rows += db.session.execute(
            select(LegislatorIdentifier.scheme, LegislatorIdentifier.value, LegislatorIdentifier.legislator_id)
            .where(LegislatorIdentifier.scheme.in_(stored), LegislatorIdentifier.value.in_(values[at:at + _CHUNK]))
        ).all()
    idmap, taken = {}, set()
    for scheme, value, owner in rows:
        taken.add((scheme, value))
        if is_global(scheme):
            idmap[(scheme, value)] = owner
        elif "@" in scheme and scheme.rsplit("@", 1)[1] == str(legislature_id):
            idmap[(scheme.rsplit("@", 1)[0], value)] = owner
        elif owner in members:
            idmap.setdefault((scheme, value), owner)
    return idmap, taken


def stored_scheme(scheme: str, value: str, legislature_id: int | None, taken: set) -> str:
    """The scheme to store a new identifier under: as is when free, scoped when another legislature holds it."""
    if is_global(scheme) or (scheme, value) not in taken:
        return scheme
    return scoped(scheme, legislature_id)


def duplicate_identifiers(roster) -> None:
    """Two people of one file with the same identifier: an error naming both, instead of a silent drop."""
    owners: dict = {}
    for person in roster.persons:
        for pair in dict.fromkeys(person.identifiers):
            first = owners.setdefault(pair, person)
            if first is not person:
                roster.error(person.where, "identifiers", _(
                    "%(scheme)s:%(value)s de «%(name)s» ya es el identificador de «%(other)s» (%(where)s).",
                    scheme=pair[0], value=pair[1], name=person.full_name, other=first.full_name, where=first.where))


def too_many_renames(renames: int, existing: int, allowed: bool) -> bool:
    return not allowed and renames > 0 and renames > existing * MAX_RENAME_SHARE
