"""One commit per request, at the edge."""

from flask import g

from crm.extensions import db


def finish_transaction(response):
    """Commit when the request succeeded; otherwise roll back, keeping rows that must survive."""
    if response.status_code < 400:
        db.session.commit()
        return response
    db.session.rollback()
    survivors = g.pop("audit_after_rollback", [])
    if survivors:
        from crm.core.audit import record

        for action, fields in survivors:
            record(action, **fields)
        db.session.commit()
    return response
