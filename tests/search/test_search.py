"""The header's search box: accents and case, ranking, grouping, permissions, freshness, hostile input."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from crm.coalition.models import MediaMention
from crm.demo import load_demo
from crm.extensions import db
from crm.legislature.models import Aide, Legislator
from crm.outreach import operations
from crm.outreach.models import Interaction, Task
from crm.outreach.operations import InteractionInput
from crm.search.models import SearchDocument
from tests.conftest import login


def _links(html: str) -> list[str]:
    """The result links in page order (the header's own links are not results)."""
    body = html.split('id="main"', 1)[-1]
    return re.findall(r'class="list-group-item list-group-item-action[^"]*" href="([^"]+)"', body)


def _search(client, q, **args):
    response = client.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_one_search_for_mavila_finds_her_her_meetings_and_her_tasks_from_any_page(client, make_user):
    context = load_demo(progress=lambda *_: None)
    officer = context["users"]["officer"]
    mavila = db.session.execute(select(Legislator).where(Legislator.full_name == "Rosa Delsa Mavila León")).scalar_one()
    meeting = operations.log_interaction(
        InteractionInput(kind="meeting", starts_at=datetime(2026, 9, 23, 15, tzinfo=UTC), legislator_ids=[mavila.id],
                         notes="Revisamos el dictamen."),
        actor=officer, tasks=[operations.TaskDraft(title="Enviar el informe legal")],
    )
    db.session.commit()
    task = db.session.execute(select(Task).where(Task.interaction_id == meeting.id)).scalar_one()
    login(client, officer)
    for page in ("/", "/legislators", "/tasks", f"/interactions/{meeting.id}"):
        header = client.get(page).get_data(as_text=True)
        assert 'action="/search"' in header and 'hx-get="/search/suggest"' in header, page
    panel = client.get("/search/suggest", query_string={"q": "mavila"}).get_data(as_text=True)
    full = _search(client, "MAVILA")
    for html in (panel, full):
        links = _links(html)
        assert f"/legislators/{mavila.id}" in links
        assert f"/interactions/{meeting.id}" in links
        assert f"/tasks/{task.id}/edit" in links
        assert "Rosa Delsa Mavila León" in html and "Enviar el informe legal" in html


def test_accents_and_case_are_ignored_both_ways(client, staff, make_legislator):
    perez = make_legislator("José PÉREZ Ñaupari")
    plain = make_legislator("Maria Perez Soto")
    db.session.commit()
    login(client, staff)
    for q in ("perez", "PÉREZ", "Pérez", "pErEz"):
        links = _links(_search(client, q))
        assert {f"/legislators/{perez.id}", f"/legislators/{plain.id}"} <= set(links), q
    assert _links(_search(client, "naupari")) == [f"/legislators/{perez.id}"]
    assert _links(_search(client, "JOSE ñAUPARI")) == [f"/legislators/{perez.id}"]
    assert _links(_search(client, "pér soto")) == [f"/legislators/{plain.id}"]  # prefixes, every word


def test_a_name_in_the_title_ranks_above_a_word_in_the_notes(client, staff, make_legislator, log_meeting):
    quispe = make_legislator("Ana Quispe Mamani")
    other = make_legislator("Luis Torres Vega")
    in_notes = log_meeting([other], notes="Dijo que hablará con Quispe la próxima semana, y con otros.")
    with_her = log_meeting([quispe], notes="Reunión breve.")
    login(client, staff)
    links = [link for link in _links(_search(client, "quispe")) if link.startswith("/interactions/")]
    assert links == [f"/interactions/{with_her.id}", f"/interactions/{in_notes.id}"]


def test_results_are_grouped_by_kind_with_more_per_kind(client, staff, make_legislator, log_meeting):
    people = [make_legislator(f"Carmen Huamán {n:02d}") for n in range(7)]
    db.session.add(Aide(legislator_id=people[0].id, name="Rosa Huamán Díaz", title="Asesora"))
    db.session.add(MediaMention(published_on=datetime(2026, 9, 1).date(), outlet="La República", kind="press",
                                title="Huamán presenta el proyecto"))
    log_meeting([people[1]])
    db.session.commit()
    login(client, staff)
    html = _search(client, "huaman")
    headings = re.findall(r'<h2 class="h5" id="group-(\w+)">', html)
    assert headings == ["legislator", "aide", "interaction", "mention"]
    assert "Ver los 7 resultados" in html and "(7)" in html
    legislators = [link for link in _links(html) if link.startswith("/legislators/")]
    assert len(legislators) == 5 + 1  # five legislators, then the aide's link to her legislator
    one_kind = _search(client, "huaman", kind="legislator")
    assert sorted(_links(one_kind)) == sorted(f"/legislators/{p.id}" for p in people)


def test_partner_never_finds_internal_notes_nor_what_is_not_granted(client, staff, partner, partner_org,
                                                                   make_legislator, log_meeting):
    legislator = make_legislator("Elena Vargas Ríos", notes="nota interna rabanito")
    db.session.add(Aide(legislator_id=legislator.id, name="Rita Asesora", notes="prefiere el nabo"))
    internal = log_meeting([legislator], notes="clave zanahoria", outcome="resultado pimiento", internal=True,
                           partners=[partner_org])
    shared = log_meeting([legislator], notes="acuerdo berenjena", partners=[partner_org])
    hidden = log_meeting([legislator], notes="acuerdo berenjena sin aliadas")
    operations.create_task(actor=staff, title="Llamar por la berenjena", legislator_id=legislator.id)
    db.session.commit()
    login(client, partner)
    assert _links(_search(client, "zanahoria")) == []
    assert _links(_search(client, "pimiento")) == []
    assert _links(_search(client, "berenjena")) == [f"/interactions/{shared.id}"]
    assert f"/interactions/{internal.id}" in _links(_search(client, "vargas"))  # she took part in it
    assert _links(_search(client, "equipo")) == []  # the team's notes about her own organisation
    assert _links(_search(client, "aliada")) == [f"/partners/{partner_org.id}"]
    assert _links(_search(client, "rabanito")) == [] and _links(_search(client, "nabo")) == []
    assert _links(_search(client, "rita")) == [f"/legislators/{legislator.id}"]  # the aide, on her profile
    login(client, staff)
    assert _links(_search(client, "rabanito")) == [f"/legislators/{legislator.id}"]
    assert _links(_search(client, "nabo")) == [f"/legislators/{legislator.id}"]
    assert _links(_search(client, "zanahoria")) == [f"/interactions/{internal.id}"]
    assert _links(_search(client, "pimiento")) == [f"/interactions/{internal.id}"]
    found = _links(_search(client, "berenjena"))
    assert {f"/interactions/{shared.id}", f"/interactions/{hidden.id}"} <= set(found)
    assert any(link.startswith("/tasks/") for link in found)


def test_partner_of_another_organisation_finds_no_one_elses(client, make_user, partner_org):
    from crm.accounts.models import PartnerOrganisation

    other = PartnerOrganisation(name="Otra Colectiva")
    db.session.add(other)
    db.session.commit()
    outsider = make_user("viewer", partner_organisation_id=other.id)
    login(client, outsider)
    assert _links(_search(client, "colectiva")) == [f"/partners/{other.id}"]


def _documents(kind, object_id) -> int:
    return db.session.execute(
        select(func.count()).select_from(SearchDocument)
        .where(SearchDocument.kind == kind, SearchDocument.object_id == object_id)
    ).scalar_one()


def test_index_follows_create_edit_delete_and_rollback(client, staff, make_legislator, log_meeting):
    legislator = make_legislator("Pedro Salas Cruz")
    meeting = log_meeting([legislator], notes="tema alcachofa")
    login(client, staff)
    assert _links(_search(client, "alcachofa")) == [f"/interactions/{meeting.id}"]

    operations.update_interaction(
        meeting, InteractionInput(kind="meeting", starts_at=meeting.starts_at, legislator_ids=[legislator.id],
                                  notes="tema espárrago"), actor=staff)
    db.session.commit()
    assert _links(_search(client, "alcachofa")) == []
    assert _links(_search(client, "esparrago")) == [f"/interactions/{meeting.id}"]

    operations.delete_interaction(meeting, actor=staff)
    db.session.commit()
    assert _links(_search(client, "esparrago")) == []

    task = operations.create_task(actor=staff, title="Revisar la coliflor")
    db.session.commit()
    assert len(_links(_search(client, "coliflor"))) == 1
    db.session.delete(task)
    db.session.commit()
    assert _documents("task", task.id) == 0 and _links(_search(client, "coliflor")) == []

    # A failed transaction leaves nothing behind: its rows and its index rows go together.
    interaction = Interaction(kind="meeting", starts_at=meeting.starts_at, created_at=meeting.starts_at,
                              notes="tema remolacha")
    db.session.add(interaction)
    db.session.flush()
    assert _documents("interaction", interaction.id) == 1
    stale_id = interaction.id
    db.session.rollback()
    assert _documents("interaction", stale_id) == 0
    assert _links(_search(client, "remolacha")) == []


def test_renaming_a_legislator_reaches_the_meetings_that_name_her(client, staff, make_legislator, log_meeting):
    legislator = make_legislator("Julia Rojas Paz")
    meeting = log_meeting([legislator])
    legislator.full_name = "Julia Rojas de Quintanilla"
    db.session.commit()
    login(client, staff)
    assert f"/interactions/{meeting.id}" in _links(_search(client, "quintanilla"))


HOSTILE = ['"', '""', "*", "NEAR", "rosa NEAR mavila", 'NEAR("a" "b")', "a OR b", "a AND NOT b", "-", "^",
           "{title_words}: x", "private_words:zanahoria", "'; DROP TABLE search_documents; --", "x*", ":*", "&|!",
           "mavila)", "(", "\\", "%", "_"]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_input_never_fails(client, staff, q):
    login(client, staff)
    for path in ("/search", "/search/suggest"):
        response = client.get(path, query_string={"q": q})
        assert response.status_code == 200, (path, q)


def test_refused_queries_say_why(client, staff):
    login(client, staff)
    assert "Escriba una palabra para buscar." in _search(client, "   ")
    assert "demasiado larga" in _search(client, "mavila " * 100)
    assert "Escriba letras o números" in _search(client, '"*"')
    assert client.get("/search/suggest", query_string={"q": ""}).get_data(as_text=True) == ""
    assert client.get("/search/suggest", query_string={"q": "r"}).get_data(as_text=True) == ""
    assert "demasiado larga" in client.get("/search/suggest", query_string={"q": "x" * 5000}).get_data(as_text=True)
    assert client.get("/search", query_string={"q": "x", "kind": "nope"}).status_code == 404


def test_search_needs_a_signed_in_user(client):
    assert client.get("/search?q=mavila").status_code == 302
    assert client.get("/search/suggest?q=mavila").status_code in (302, 401)


def test_imported_legislators_are_findable(client, staff):
    from crm.legislature.importers import jobs
    from tests.legislature.conftest import FIXTURES, read

    jobs.apply_all("popolo", {"main": read(FIXTURES / "popolo_sample.json")},
                   {"legislature": "Congreso de prueba 2026–2031", "country": "PE"})
    db.session.commit()
    login(client, staff)
    ana = db.session.execute(select(Legislator.id).where(Legislator.full_name.like("Ana Luc%"))).scalar_one()
    assert _links(_search(client, "quispe mamani")) == [f"/legislators/{ana}"]


def test_tasks_are_found_only_by_who_may_open_them(client, make_user, staff):
    from crm.outreach.operations import can_modify_task

    officer, colleague = make_user("officer"), make_user("officer")
    own = operations.create_task(actor=staff, title="Preparar la minuta", assignee_id=officer.id)
    theirs = operations.create_task(actor=staff, title="Preparar la minuta aparte", assignee_id=colleague.id)
    created = operations.create_task(actor=officer, title="Preparar la minuta propia", assignee_id=colleague.id)
    db.session.commit()
    for user in (officer, colleague, staff):
        login(client, user)
        found = {link for link in _links(_search(client, "minuta")) if link.startswith("/tasks/")}
        assert found == {f"/tasks/{t.id}/edit" for t in (own, theirs, created) if can_modify_task(user, t)}
        for link in found:
            assert client.get(link).status_code == 200
    assert len({f"/tasks/{t.id}/edit" for t in (own, theirs, created) if can_modify_task(officer, t)}) == 2
