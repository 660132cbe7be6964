"""One commit per request, at the edge."""

from flask import g

from crm.core.audit import record_kept_rows
from crm.core.database import writing
from crm.extensions import db


def keep_writes_on_error() -> None:
    """Commit this request's writes even though its response is an error (a failed login's count)."""
    g.keep_writes = True


def finish_transaction(response):
    """Commit when the request succeeded; otherwise roll back, keeping rows that must survive."""
    if response.status_code < 400:
        # A request that never used the session (a page served from a cache) has nothing to commit; Session.add
        # and every statement begin a transaction, so nothing is skipped that could hold a write.
        if db.session().in_transaction():
            db.session.commit()
        return response
    keep = g.pop("keep_writes", False)
    if not keep:
        db.session.rollback()

    # A refused GET still audits the refusal: that transaction begins after the rollback and takes the write lock.
    with writing():
        if record_kept_rows() or keep:
            db.session.commit()
    return response
