"""The index is complete wherever rows come from: the migration's backfill, the demo, the rebuild command."""

from flask_migrate import upgrade
from sqlalchemy import func, insert, select
from sqlalchemy.orm import scoped_session, sessionmaker

from crm.accounts import operations as accounts
from crm.demo import load_demo
from crm.extensions import db
from crm.search import documents, queries
from crm.search.documents import SOURCES
from crm.search.models import SearchDocument
from tests.conftest import make_app
from tests.foundation.conftest import dispose, fresh_database_url  # noqa: F401  (the fixture)


def _indexed() -> dict[str, int]:
    return dict(db.session.execute(select(SearchDocument.kind, func.count()).group_by(SearchDocument.kind)).all())


def _sources() -> dict[str, int]:
    counts = {kind: db.session.execute(select(func.count()).select_from(model)).scalar_one()
              for kind, model in SOURCES.items()}
    return {kind: n for kind, n in counts.items() if n}


def test_the_demo_leaves_every_object_indexed_and_a_rebuild_changes_nothing():
    load_demo(progress=lambda *_: None)
    before = _indexed()
    assert before == _sources() and before["legislator"] > 100 and before["interaction"] > 10
    documents.rebuild(db.session.connection())
    assert _indexed() == before


def test_the_migration_indexes_the_rows_already_there(fresh_database_url, tmp_path):  # noqa: F811
    from crm.legislature.models import Legislator

    application = make_app(fresh_database_url, MAIL_FILE_DIR=str(tmp_path / "mail"))
    try:
        with application.app_context():
            upgrade(revision="0007")
            with db.engine.begin() as connection:
                connection.execute(insert(Legislator.__table__).values(
                    full_name="Rosa Delsa Mavila León", sort_name="Mavila León, Rosa Delsa",
                    search_name="rosa delsa mavila leon"))
            upgrade()
            # The suite's session is bound to the suite's database: this one talks to the migrated database.
            suite_session, db.session = db.session, scoped_session(sessionmaker(bind=db.engine))
            try:
                staff = accounts.create_user(email="d@example.org", name="D", role="director",
                                             password="una frase bastante larga")
                db.session.commit()
                groups = queries.search(staff, queries.parse("MÁVILA")[0])
                found = [(g.kind, [h.title for h in g.hits]) for g in groups]
                assert found == [("legislator", ["Rosa Delsa Mavila León"])]
            finally:
                db.session.remove()
                db.session = suite_session
    finally:
        dispose(application)
