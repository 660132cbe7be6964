"""What each searchable object contributes to the index, and writing those rows.

Every builder reads its objects with plain selects on the given connection, so the same code serves the
session hook (inside the writing transaction), the migration's backfill and the rebuild command.
"""

import re
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import delete, insert, select

from crm.accounts.models import PartnerOrganisation
from crm.coalition.models import MediaMention, media_mention_legislators
from crm.core.text import fold
from crm.legislature.models import Aide, Legislator
from crm.outreach.models import Interaction, Task, interaction_aides, interaction_legislators
from crm.search.models import SearchDocument

KINDS = ("legislator", "aide", "partner", "interaction", "task", "mention")
CHUNK = 500
_WORD = re.compile(r"[^\W_]+")
_TABLE = SearchDocument.__table__


def words(*parts: str | None) -> str:
    """Folded words separated by single spaces: the only form the index and the typed query ever take."""
    return " ".join(_WORD.findall(fold(" ".join(p for p in parts if p))))


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _names(connection, link, owner_column, ids) -> dict[int, list[str]]:
    rows = connection.execute(
        select(owner_column, Legislator.full_name)
        .join(Legislator, Legislator.id == link.c.legislator_id)
        .where(owner_column.in_(ids))
        .order_by(owner_column, Legislator.sort_name)
    )
    names = defaultdict(list)
    for owner, name in rows:
        names[owner].append(name)
    return names


def _doc(kind, object_id, title, *, title_words, open_words="", private_words="", **extra) -> dict:
    row = {"kind": kind, "object_id": object_id, "title": (title or "")[:300], "title_words": title_words,
           "open_words": open_words, "private_words": private_words, "parent_id": None, "subtitle": None,
           "variant": None, "at": None, "on_date": None}
    row.update(extra)
    if row["subtitle"]:
        row["subtitle"] = row["subtitle"][:300]
    return row


def _legislators(connection, ids):
    rows = connection.execute(
        select(Legislator.id, Legislator.full_name, Legislator.given_name, Legislator.family_name,
               Legislator.district, Legislator.email, Legislator.office, Legislator.notes)
        .where(Legislator.id.in_(ids))
    )
    return [
        _doc("legislator", r.id, r.full_name, subtitle=r.district,
             title_words=words(r.full_name, r.given_name, r.family_name),
             open_words=words(r.district, r.email, r.office), private_words=words(r.notes))
        for r in rows
    ]


def _aides(connection, ids):
    rows = connection.execute(
        select(Aide.id, Aide.name, Aide.title, Aide.email, Aide.notes, Aide.legislator_id, Legislator.full_name)
        .join(Legislator, Legislator.id == Aide.legislator_id)
        .where(Aide.id.in_(ids))
    )
    return [
        _doc("aide", r.id, r.name, parent_id=r.legislator_id,
             subtitle=" · ".join(p for p in (r.title, r.full_name) if p),
             title_words=words(r.name), open_words=words(r.title, r.email, r.full_name), private_words=words(r.notes))
        for r in rows
    ]


def _partners(connection, ids):
    rows = connection.execute(
        select(PartnerOrganisation.id, PartnerOrganisation.name, PartnerOrganisation.contact_name,
               PartnerOrganisation.contact_email, PartnerOrganisation.notes)
        .where(PartnerOrganisation.id.in_(ids))
    )
    return [
        _doc("partner", r.id, r.name, subtitle=r.contact_name, title_words=words(r.name),
             open_words=words(r.contact_name, r.contact_email), private_words=words(r.notes))
        for r in rows
    ]


def _interactions(connection, ids):
    legislators = _names(connection, interaction_legislators, interaction_legislators.c.interaction_id, ids)
    aides = defaultdict(list)
    for owner, name in connection.execute(
        select(interaction_aides.c.interaction_id, Aide.name).join(Aide, Aide.id == interaction_aides.c.aide_id)
        .where(interaction_aides.c.interaction_id.in_(ids))
    ):
        aides[owner].append(name)
    rows = connection.execute(
        select(Interaction.id, Interaction.kind, Interaction.starts_at, Interaction.place, Interaction.notes,
               Interaction.outcome, Interaction.notes_internal)
        .where(Interaction.id.in_(ids))
    )
    documents = []
    for r in rows:
        people = legislators.get(r.id, [])
        # The "internal" flag covers notes and outcome alike (outreach show_notes): staff-only words then.
        said = words(r.notes, r.outcome)
        documents.append(_doc(
            "interaction", r.id, ", ".join(people) or r.place or "", subtitle=r.place, variant=r.kind, at=r.starts_at,
            title_words=words(*people), open_words=" ".join(w for w in (words(r.place, *aides.get(r.id, [])),
                                                                         "" if r.notes_internal else said) if w),
            private_words=said if r.notes_internal else "",
        ))
    return documents


def _tasks(connection, ids):
    rows = connection.execute(
        select(Task.id, Task.title, Task.description, Task.status, Task.due_at, Legislator.full_name)
        .outerjoin(Legislator, Legislator.id == Task.legislator_id)
        .where(Task.id.in_(ids))
    )
    return [
        _doc("task", r.id, r.title, subtitle=r.full_name, variant=r.status, at=r.due_at,
             title_words=words(r.title), open_words=words(r.description, r.full_name))
        for r in rows
    ]


def _mentions(connection, ids):
    legislators = _names(connection, media_mention_legislators, media_mention_legislators.c.media_mention_id, ids)
    rows = connection.execute(
        select(MediaMention.id, MediaMention.title, MediaMention.outlet, MediaMention.kind, MediaMention.published_on)
        .where(MediaMention.id.in_(ids))
    )
    return [
        _doc("mention", r.id, r.title or r.outlet, subtitle=r.outlet, variant=r.kind, on_date=r.published_on,
             title_words=words(r.title), open_words=words(r.outlet, *legislators.get(r.id, [])))
        for r in rows
    ]


BUILDERS = {"legislator": _legislators, "aide": _aides, "partner": _partners, "interaction": _interactions,
            "task": _tasks, "mention": _mentions}
SOURCES = {"legislator": Legislator, "aide": Aide, "partner": PartnerOrganisation, "interaction": Interaction,
           "task": Task, "mention": MediaMention}


def dependents_of_legislators(connection, ids) -> dict[str, set[int]]:
    """Objects whose documents carry these legislators' names, so a rename or a removal reaches them."""
    found = defaultdict(set)
    for chunk in _chunks(ids):
        for kind, statement in (
            ("aide", select(Aide.id).where(Aide.legislator_id.in_(chunk))),
            ("task", select(Task.id).where(Task.legislator_id.in_(chunk))),
            ("interaction", select(interaction_legislators.c.interaction_id)
             .where(interaction_legislators.c.legislator_id.in_(chunk))),
            ("mention", select(media_mention_legislators.c.media_mention_id)
             .where(media_mention_legislators.c.legislator_id.in_(chunk))),
        ):
            found[kind].update(connection.execute(statement).scalars())
    return found


def forget_aides_of(connection, legislator_ids) -> None:
    for chunk in _chunks(legislator_ids):
        connection.execute(delete(_TABLE).where(_TABLE.c.kind == "aide", _TABLE.c.parent_id.in_(chunk)))


def refresh(connection, kind: str, ids: Iterable[int]) -> None:
    """Rewrite the documents of these objects; an object that no longer exists loses its document."""
    for chunk in _chunks(ids):
        connection.execute(delete(_TABLE).where(_TABLE.c.kind == kind, _TABLE.c.object_id.in_(chunk)))
        documents = BUILDERS[kind](connection, chunk)
        if documents:
            connection.execute(insert(_TABLE), documents)


def rebuild(connection) -> int:
    """Index every object from scratch (the migration's backfill and `flask crm search-rebuild`)."""
    connection.execute(delete(_TABLE))
    total = 0
    for kind in KINDS:
        ids = connection.execute(select(SOURCES[kind].id)).scalars().all()
        refresh(connection, kind, ids)
        total += len(ids)
    return total
