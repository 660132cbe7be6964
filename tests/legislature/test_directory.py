"""The directory: filters, accent-insensitive search, constant statements, shareable URLs, CSV export."""

import csv
import io

from sqlalchemy import select

from crm.extensions import db
from crm.legislature.models import Committee, CommitteeMembership, Legislator, SeatMembership


def _names(response):
    html = response.get_data(as_text=True)
    return html


def test_search_ignores_case_and_accents(import_openperu, make_user, login_as):
    import_openperu("2011-2016")
    client = login_as(make_user("viewer"))
    for query in ("veronika mendoza", "VERÓNIKA", "mendoza frisch", "Verónika Fanny Mendoza Frisch"):
        html = client.get("/legislators", query_string={"q": query}).get_data(as_text=True)
        assert "Verónika Fanny Mendoza Frisch" in html, query
        assert "Rosa Delsa Mavila León" not in html
    html = client.get("/legislators", query_string={"q": "mavila leon"}).get_data(as_text=True)
    assert "Rosa Delsa Mavila León" in html and "1 legislador" in html
    html = client.get("/legislators", query_string={"q": "100%_"}).get_data(as_text=True)
    assert "Ningún legislador" in html


def test_filters_by_district_group_committee_and_status(import_openperu, make_user, login_as):
    import_openperu("2011-2016")
    client = login_as(make_user("officer"))
    html = client.get("/legislators", query_string={"district": "Cusco"}).get_data(as_text=True)
    assert "Verónika Fanny Mendoza Frisch" in html and "5 legisladores" in html
    from crm.legislature.models import Group

    group = db.session.execute(select(Group).where(Group.name == "ACCIÓN POPULAR - FRENTE AMPLIO")).scalar_one()
    html = client.get("/legislators", query_string={"group": group.id}).get_data(as_text=True)
    assert "Rosa Delsa Mavila León" in html and "Verónika Fanny Mendoza Frisch" in html
    # Only a past term is loaded, so the list opens on all its members, not on "sitting today" (nobody).
    assert "Javier Diez Canseco Cisneros" in html
    html = client.get("/legislators", query_string={"status": "active"}).get_data(as_text=True)
    assert "Ningún legislador" in html
    # Javier Diez Canseco died in office: on the term's last day he no longer sat.
    html = client.get("/legislators", query_string={"status": "former"}).get_data(as_text=True)
    assert "Javier Diez Canseco Cisneros" in html and "133 legisladores" in html
    chamber_id = db.session.execute(select(SeatMembership.chamber_id)).scalars().first()
    committee = Committee(chamber_id=chamber_id, name="Comisión de Justicia y Derechos Humanos")
    db.session.add(committee)
    db.session.flush()
    mavila = db.session.execute(select(Legislator).where(Legislator.full_name.like("Rosa Delsa%"))).scalar_one()
    db.session.add(CommitteeMembership(legislator_id=mavila.id, committee_id=committee.id, role="chair"))
    db.session.commit()
    html = client.get("/legislators", query_string={"committee": committee.id, "chamber": chamber_id}).get_data(as_text=True)
    assert "Rosa Delsa Mavila León" in html and "1 legislador" in html


def test_owner_filter_user_partner_and_none(make_legislators, make_user, login_as):
    from crm.coalition.models import PartnerOrganisation

    officer = make_user("officer", name="Óscar Oficial")
    partner = PartnerOrganisation(name="Colectiva Aliada")
    db.session.add(partner)
    db.session.flush()
    _, people = make_legislators(4, prefix="Dueño")
    people[0].owner_user_id = officer.id
    people[1].owner_partner_id = partner.id
    db.session.commit()
    client = login_as(officer)
    html = client.get("/legislators", query_string={"owner": f"u{officer.id}"}).get_data(as_text=True)
    assert "Dueño 000" in html and "Dueño 001" not in html
    html = client.get("/legislators", query_string={"owner": f"p{partner.id}"}).get_data(as_text=True)
    assert "Dueño 001" in html and "Dueño 000" not in html and "Colectiva Aliada" in html
    html = client.get("/legislators", query_string={"owner": "none"}).get_data(as_text=True)
    assert "Dueño 002" in html and "Dueño 000" not in html and "Dueño 001" not in html


def test_filter_menus_keep_the_choice_and_escape_names(make_legislators, make_user, login_as):
    """After filtering, each menu shows what was picked; a name with markup stays text."""
    import re

    officer = make_user("officer", name="Ana <b>Oficial</b>")
    chamber, people = make_legislators(3, prefix="Menú")
    people[0].district = "Cusco & Apurímac"
    people[0].owner_user_id = officer.id
    db.session.commit()
    client = login_as(officer)
    html = client.get("/legislators", query_string={
        "chamber": chamber.id, "district": "Cusco & Apurímac", "owner": f"u{officer.id}",
    }).get_data(as_text=True)
    assert "Menú 000" in html and "Menú 001" not in html
    assert re.search(rf'<option value="{chamber.id}" selected>', html)
    assert '<option value="Cusco &amp; Apurímac" selected>Cusco &amp; Apurímac</option>' in html
    assert f'<option value="u{officer.id}" selected>Ana &lt;b&gt;Oficial&lt;/b&gt;</option>' in html
    assert "<b>Oficial</b>" not in html
    assert html.count(" selected>") == 3 + 2  # the three filters, plus status and sort


def test_filter_menus_load_when_opened(make_legislators, make_user, login_as, count_queries):
    """A plain visit skips the menus' queries; opening "more filters" fetches them, or reloads without JavaScript."""
    chamber, _people = make_legislators(2, prefix="Carga")
    db.session.commit()
    client = login_as(make_user("officer"))
    with count_queries() as plain_sql:
        html = client.get("/legislators", query_string={"q": "carga"}).get_data(as_text=True)
    assert "Carga 000" in html and 'id="chamber"' not in html
    assert 'hx-get="/legislators/filters?q=carga"' in html and "more=1" in html
    fragment = client.get("/legislators/filters", query_string={"q": "carga"}).get_data(as_text=True)
    assert "<html" not in fragment and f'<option value="{chamber.id}">' in fragment and 'name="district"' in fragment
    with count_queries() as menus_sql:
        html = client.get("/legislators", query_string={"q": "carga", "more": "1"}).get_data(as_text=True)
    assert 'id="chamber"' in html and "<details class=\"mt-3\" open>" in html
    assert len(menus_sql) > len(plain_sql)
    assert client.get("/legislators/filters", query_string={"chamber": "x"}).status_code == 200


def test_query_arguments_never_become_link_options(make_legislators, make_user, login_as):
    """Links that carry the filters build their query string themselves: ?endpoint= or ?_external= stay data."""
    make_legislators(30, prefix="Enlace")
    client = login_as(make_user("officer"))
    response = client.get("/legislators", query_string={"endpoint": "x", "_external": "1", "q": "enlace"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enlace 000" in html
    assert "http://" not in html.split("<main", 1)[1]  # no link turned absolute
    assert 'href="/legislators/export.csv?endpoint=x&amp;_external=1&amp;q=enlace"' in html
    assert "/legislators?endpoint=x&amp;_external=1&amp;q=enlace&amp;page=2" in html  # the pager


def test_filter_menus_need_a_login(client):
    response = client.get("/legislators/filters")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_sort_and_pagination_state_lives_in_the_url(make_legislators, make_user, login_as):
    make_legislators(30, prefix="Orden")
    client = login_as(make_user("officer"))
    html = client.get("/legislators", query_string={"sort": "-name", "per_page": 25, "q": "orden"}).get_data(as_text=True)
    assert html.index("Orden 029") < html.index("Orden 010")
    assert "Orden 000" not in html  # on page 2
    assert "page=2" in html and "sort=-name" in html and "q=orden" in html
    html = client.get("/legislators", query_string={"sort": "-name", "per_page": 25, "q": "orden", "page": 2}).get_data(as_text=True)
    assert "Orden 000" in html and "Orden 029" not in html
    for sort in ("district", "-district", "bancada", "-bancada", "chamber", "-chamber"):
        assert client.get("/legislators", query_string={"sort": sort, "status": "all"}).status_code == 200


def test_sorting_by_bancada_and_chamber_uses_the_current_ones(make_legislators, make_user, login_as):
    """The newest open bancada membership counts; people without one come last in both directions."""
    from datetime import date

    from crm.legislature.models import Group, GroupMembership, Legislator, SeatMembership

    zeta_chamber, zeta = make_legislators(2, prefix="Zeta")
    _alfa_chamber, alfa = make_legislators(2, prefix="Alfa")
    alfa_group = db.session.execute(select(Group).where(Group.name == "Bancada Alfa")).scalar_one()
    old = db.session.execute(select(GroupMembership).where(GroupMembership.legislator_id == zeta[0].id)).scalar_one()
    old.start_date = date(2026, 7, 28)
    db.session.add(GroupMembership(legislator_id=zeta[0].id, group_id=alfa_group.id, start_date=date(2026, 9, 1)))
    nadie = Legislator(full_name="Nadie Sinbancada", sort_name="Nadie Sinbancada", search_name="nadie sinbancada")
    db.session.add(nadie)
    db.session.flush()
    db.session.add(SeatMembership(legislator_id=nadie.id, chamber_id=zeta_chamber.id))
    db.session.commit()
    client = login_as(make_user("officer"))

    def order(sort):
        html = client.get("/legislators", query_string={"sort": sort}).get_data(as_text=True)
        names = ["Alfa 000", "Alfa 001", "Zeta 000", "Zeta 001", "Nadie Sinbancada"]
        return sorted(names, key=html.index)

    assert order("bancada") == ["Alfa 000", "Alfa 001", "Zeta 000", "Zeta 001", "Nadie Sinbancada"]
    assert order("-bancada") == ["Zeta 001", "Alfa 000", "Alfa 001", "Zeta 000", "Nadie Sinbancada"]
    assert order("chamber") == ["Alfa 000", "Alfa 001", "Nadie Sinbancada", "Zeta 000", "Zeta 001"]
    assert order("-chamber") == ["Nadie Sinbancada", "Zeta 000", "Zeta 001", "Alfa 000", "Alfa 001"]


def test_constant_statements_for_5_and_50_rows(make_legislators, make_user, login_as, count_queries):
    client = login_as(make_user("officer"))
    small, _ = make_legislators(5, prefix="Pocos")
    big, _ = make_legislators(50, prefix="Muchos")
    counts = []
    for chamber in (small, big):
        with count_queries() as sql:
            response = client.get("/legislators", query_string={"chamber": chamber.id, "per_page": 50})
        assert response.status_code == 200
        counts.append(len(sql))
    assert counts[0] == counts[1], counts
    html = response.get_data(as_text=True)
    assert html.count("/legislators/") >= 50


def test_bad_filter_values_are_ignored(make_user, login_as):
    client = login_as(make_user("viewer"))
    response = client.get("/legislators", query_string={"chamber": "x", "page": "-3", "sort": "drop", "owner": "u1;"})
    assert response.status_code == 200


def test_csv_export_honours_filters_and_neutralises_cells(make_legislators, make_user, login_as):
    _, people = make_legislators(3, prefix="Export")
    people[0].email = "=HYPERLINK(\"http://x\")"
    people[1].office = "@SUM(A1)"
    db.session.commit()
    make_legislators(2, prefix="Otros")
    client = login_as(make_user("viewer"))
    response = client.get("/legislators/export.csv", query_string={"q": "export"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["id", "nombre", "apellidos_nombres"]
    assert [r[1] for r in rows[1:]] == ["Export 000", "Export 001", "Export 002"]
    flat = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://x\")" in flat and "'@SUM(A1)" in flat
    assert not any(cell.startswith(("=", "+", "@")) for cell in flat)


def test_directory_requires_login(client):
    response = client.get("/legislators")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
