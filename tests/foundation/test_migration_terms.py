"""Migration 0002 gives existing data sensible terms: one per legislature, seats linked, open ends closed."""

from datetime import date

from flask_migrate import upgrade
from sqlalchemy import text

from crm.extensions import db
from tests.conftest import make_app
from tests.foundation.conftest import dispose


def _insert_0001_rows(conn) -> None:
    conn.execute(text(
        "INSERT INTO legislatures (id, name, country, period_label, start_date, end_date, is_demo) VALUES "
        "(1, 'Congreso 2011', 'PE', '2011–2016', '2011-07-27', '2016-07-26', false), "
        "(2, 'Congreso 2026', 'PE', NULL, '2026-07-28', NULL, false)"
    ))
    conn.execute(text("INSERT INTO chambers (id, legislature_id, name, seats) VALUES (1, 1, 'Pleno', 130), "
                      "(2, 2, 'Diputados', 130)"))
    conn.execute(text("INSERT INTO groups (id, legislature_id, kind, name) VALUES (1, 1, 'bancada', 'Gana Perú')"))
    conn.execute(text("INSERT INTO committees (id, chamber_id, name, is_demo) VALUES (1, 1, 'Justicia', false)"))
    conn.execute(text(
        "INSERT INTO legislators (id, full_name, sort_name, search_name, is_demo, owner_is_demo) VALUES "
        "(1, 'Verónika Mendoza', 'Mendoza, Verónika', 'veronika mendoza', false, false), "
        "(2, 'Ana Nueva', 'Nueva, Ana', 'ana nueva', false, false)"
    ))
    conn.execute(text(
        "INSERT INTO seat_memberships (id, legislator_id, chamber_id, start_date, end_date) VALUES "
        "(1, 1, 1, NULL, NULL), (2, 2, 2, '2026-07-28', NULL), (3, 1, 1, '2011-07-27', '2013-01-31')"
    ))
    conn.execute(text("INSERT INTO group_memberships (id, legislator_id, group_id, start_date, end_date) "
                      "VALUES (1, 1, 1, '2011-07-27', NULL)"))
    conn.execute(text("INSERT INTO committee_memberships (id, legislator_id, committee_id, role, start_date, "
                      "end_date, is_demo) VALUES (1, 1, 1, 'member', '2011-08-15', NULL, false)"))


def _day(value):
    return value if isinstance(value, date) or value is None else date.fromisoformat(str(value)[:10])


def test_existing_rosters_get_terms_and_stop_sitting_when_their_term_ended(fresh_database_url, tmp_path):
    application = make_app(fresh_database_url, MAIL_FILE_DIR=str(tmp_path / "mail"))
    try:
        with application.app_context():
            upgrade(revision="0001")
            with db.engine.begin() as conn:
                _insert_0001_rows(conn)
            upgrade(revision="0002")
            with db.engine.connect() as conn:
                terms = conn.execute(text(
                    "SELECT legislature_id, label, start_date, end_date FROM legislative_terms ORDER BY legislature_id"
                )).all()
                seats = conn.execute(text(
                    "SELECT id, term_id, start_date, end_date FROM seat_memberships ORDER BY id")).all()
                group_end = conn.execute(text("SELECT end_date FROM group_memberships")).scalar_one()
                committee_end = conn.execute(text("SELECT end_date FROM committee_memberships")).scalar_one()
                pinned = conn.execute(text("SELECT pinned FROM legislatures ORDER BY id")).scalars().all()
    finally:
        dispose(application)
    assert [(t[0], t[1], _day(t[2]), _day(t[3])) for t in terms] == [
        (1, "2011–2016", date(2011, 7, 27), date(2016, 7, 26)),
        (2, "Congreso 2026", date(2026, 7, 28), None),
    ]
    by_id = {s[0]: (s[1], _day(s[2]), _day(s[3])) for s in seats}
    term_2011, term_2026 = 1, 2
    assert by_id[1] == (term_2011, date(2011, 7, 27), date(2016, 7, 26))  # open seat closed with its term
    assert by_id[2] == (term_2026, date(2026, 7, 28), None)  # the current term has no end yet
    assert by_id[3] == (term_2011, date(2011, 7, 27), date(2013, 1, 31))  # an earlier end is kept
    assert _day(group_end) == date(2016, 7, 26) and _day(committee_end) == date(2016, 7, 26)
    assert [bool(p) for p in pinned] == [False, False]
