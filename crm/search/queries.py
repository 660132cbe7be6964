"""One search over every kind the user may open: the database's full-text engine finds and ranks, and each
kind keeps the visibility rule of its own pages (nothing is decided here a second time)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, case, false, func, literal_column, or_, select, text, true

from crm.core.pagination import Page
from crm.core.visibility import can_see_internal_notes, can_see_media_mentions, own_organisation_only
from crm.extensions import db
from crm.outreach.models import Interaction, Task
from crm.outreach.operations import modifiable_tasks
from crm.outreach.queries.interactions import interaction_visible
from crm.search.documents import KINDS, words
from crm.search.models import SearchDocument

MAX_LENGTH = 200
MAX_WORDS = 8
PER_KIND = 5
PAGE_SIZE = 20
# Why a query was refused; the view words it.
EMPTY, TOO_LONG, NO_WORDS = "empty", "too_long", "no_words"


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    parent_id: int | None
    title: str
    subtitle: str | None
    variant: str | None
    at: datetime | None
    on_date: date | None


@dataclass
class Group:
    kind: str
    total: int
    hits: list[Hit] = field(default_factory=list)


def parse(q: str | None) -> tuple[list[str], str | None]:
    """The folded words to look for, or why there are none. Only letters and digits survive, so quotes, `*`,
    `NEAR`, `AND` and the like reach the engine as plain words, never as its query syntax."""
    q = (q or "").strip()
    if not q:
        return [], EMPTY
    if len(q) > MAX_LENGTH:
        return [], TOO_LONG
    terms = words(q).split()
    if not terms:
        return [], NO_WORDS
    return list(dict.fromkeys(terms))[:MAX_WORDS], None


def _engine_match(terms: list[str], staff: bool):
    """(WHERE clause, score where lower is better, extra FROM), per dialect."""
    if db.session.get_bind().dialect.name == "sqlite":
        expression = " ".join(f'"{t}"*' for t in terms)
        if not staff:
            expression = "{title_words open_words} : (" + expression + ")"
        fts = literal_column("search_fts")
        score = func.bm25(fts, literal_column("10.0"), literal_column("2.0"),
                          literal_column("1.0" if staff else "0.0"))
        return text("search_fts MATCH :match").bindparams(match=expression), score, True
    vector = literal_column("search_documents.tsv_all" if staff else "search_documents.tsv_open")
    query = func.to_tsquery(literal_column("'simple'::regconfig"), " & ".join(f"{t}:*" for t in terms))
    return vector.op("@@")(query), -func.ts_rank(vector, query), False


def _visible(user):
    """Each kind as its own pages decide: legislators and aides for every signed-in user (their notes only
    through private words), partner organisations as own_organisation_only, meetings as interaction_visible,
    tasks as can_modify_task (the task page's rule), press mentions as can_see_media_mentions."""
    kind = SearchDocument.kind
    only = own_organisation_only(user)
    clauses = [
        kind.in_(("legislator", "aide")),
        and_(kind == "partner", true() if only is None else SearchDocument.object_id == only),
        and_(kind == "interaction", Interaction.id.is_not(None), interaction_visible(user)),
        and_(kind == "task", Task.id.is_not(None), modifiable_tasks(user)),
        and_(kind == "mention", true() if can_see_media_mentions(user) else false()),
    ]
    return or_(*clauses)


def _ranked(user, terms: list[str], kind: str | None):
    staff = can_see_internal_notes(user)
    match, score, fts_join = _engine_match(terms, staff)
    source = SearchDocument.__table__
    if fts_join:
        source = source.join(text("search_fts"), literal_column("search_fts.rowid") == SearchDocument.id)
    source = source.outerjoin(
        Interaction.__table__, and_(SearchDocument.kind == "interaction", Interaction.id == SearchDocument.object_id)
    ).outerjoin(Task.__table__, and_(SearchDocument.kind == "task", Task.id == SearchDocument.object_id))
    scored = (
        select(
            SearchDocument.id, SearchDocument.kind, SearchDocument.object_id, SearchDocument.parent_id,
            SearchDocument.title, SearchDocument.subtitle, SearchDocument.variant, SearchDocument.at,
            SearchDocument.on_date, score.label("score"),
        )
        .select_from(source)
        .where(match, _visible(user))
    )
    if kind:
        scored = scored.where(SearchDocument.kind == kind)
    # FTS5 allows its rank function only in a plain result column: the window functions rank one level up.
    scored = scored.subquery()
    return select(
        *[c for c in scored.c if c.name not in ("id", "score")],
        # Equal scores: the most recent meeting, task or mention first (a contact from last week beats one from 2019).
        func.row_number().over(partition_by=scored.c.kind, order_by=(
            scored.c.score, scored.c.at.desc().nulls_last(), scored.c.on_date.desc().nulls_last(), scored.c.title,
            scored.c.id,
        ))
        .label("n"),
        func.count().over(partition_by=scored.c.kind).label("total"),
    ).subquery()


def _run(user, terms, kind, first: int, last: int) -> list[Group]:
    ranked = _ranked(user, terms, kind)
    order = case({k: i for i, k in enumerate(KINDS)}, value=ranked.c.kind)
    rows = db.session.execute(
        select(ranked).where(ranked.c.n > first, ranked.c.n <= last).order_by(order, ranked.c.n)
    ).all()
    groups: dict[str, Group] = {}
    for row in rows:
        group = groups.setdefault(row.kind, Group(row.kind, row.total))
        group.hits.append(Hit(row.kind, row.object_id, row.parent_id, row.title, row.subtitle, row.variant,
                              row.at, row.on_date))
    return list(groups.values())


def search(user, terms: list[str], per_kind: int = PER_KIND) -> list[Group]:
    """The best `per_kind` hits of every kind the user may see, kinds in a fixed order, with each kind's total:
    one statement."""
    return _run(user, terms, None, 0, per_kind)


def search_kind(user, terms: list[str], kind: str, page: int) -> Page:
    """One kind's hits, a page at a time."""
    first = (page - 1) * PAGE_SIZE
    groups = _run(user, terms, kind, first, first + PAGE_SIZE)
    group = groups[0] if groups else Group(kind, 0)
    return Page(group.hits, page, PAGE_SIZE, group.total)
