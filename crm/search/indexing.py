"""Keeps the index current in the writing transaction itself: after each flush, the documents of every indexed
object the flush created, changed or deleted are rewritten on the same connection. A rollback therefore takes
the index rows with it, and no domain needs to know that search exists."""

from collections import defaultdict

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from crm.search import documents
from crm.search.documents import SOURCES

_KIND_OF = {model: kind for kind, model in SOURCES.items()}
# Changing one of these renames a legislator inside other objects' documents (aides, meetings, tasks, press).
_NAME_FIELDS = ("full_name", "given_name", "family_name")


def _renamed(legislator) -> bool:
    state = inspect(legislator)
    return any(state.attrs[name].history.has_changes() for name in _NAME_FIELDS)


def _touched(session: Session) -> tuple[dict[str, set[int]], set[int], set[int]]:
    changed: dict[str, set[int]] = defaultdict(set)
    cascade: set[int] = set()
    gone: set[int] = set()
    for obj in session.new:
        kind = _KIND_OF.get(type(obj))
        if kind:
            changed[kind].add(obj.id)
    for obj in session.dirty:
        kind = _KIND_OF.get(type(obj))
        if kind and session.is_modified(obj):
            changed[kind].add(obj.id)
            if kind == "legislator" and _renamed(obj):
                cascade.add(obj.id)
    for obj in session.deleted:
        kind = _KIND_OF.get(type(obj))
        if kind:
            changed[kind].add(obj.id)
            if kind == "legislator":
                gone.add(obj.id)
    return changed, cascade, gone


def _after_flush(session: Session, flush_context) -> None:
    changed, cascade, gone = _touched(session)
    if not changed:
        return
    connection = session.connection()
    if gone:
        # The database deletes their aides by cascade, unseen by the session: their documents go too.
        documents.forget_aides_of(connection, gone)
        cascade |= gone
    if cascade:
        for kind, ids in documents.dependents_of_legislators(connection, cascade).items():
            changed[kind] |= ids
    for kind in documents.KINDS:
        if changed.get(kind):
            documents.refresh(connection, kind, changed[kind])


def install() -> None:
    """Listen on every session (the app's, the tests', the CLI's); idempotent across app factories."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
