"""On a phone: find Verónika Mendoza without accents, filter by district, open her profile, add an aide; import on the web page."""

import pytest

from crm.extensions import db
from crm.legislature.importers import jobs
from tests.conftest import browser_login
from tests.legislature.conftest import OPENPERU, read

pytestmark = pytest.mark.browser


def _no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_directory_search_profile_and_aide_on_a_phone(isolated_app, live_server, live_user, phone_page):
    with isolated_app.app_context():
        jobs.apply_all("openperu", {"main": read(OPENPERU)}, {"period": "2011-2016"})
        db.session.commit()
    browser_login(phone_page, live_server, live_user("officer"))
    phone_page.goto(f"{live_server}/legislators")
    phone_page.fill("main input[name=q]", "veronika mendoza")
    phone_page.locator("main").get_by_role("button", name="Buscar", exact=True).click()
    phone_page.wait_for_url("**q=veronika+mendoza**")
    assert phone_page.get_by_text("1 legislador").is_visible()
    assert _no_horizontal_scroll(phone_page)
    # The filter menus arrive when "more filters" is opened; picking a district filters the list.
    phone_page.goto(f"{live_server}/legislators")
    phone_page.get_by_text("Más filtros y orden").click()
    phone_page.locator("select#district").wait_for()
    phone_page.select_option("select#district", "Cusco")
    phone_page.get_by_role("button", name="Filtrar").click()
    phone_page.wait_for_url("**district=Cusco**")
    assert phone_page.get_by_text("5 legisladores").is_visible()
    assert phone_page.locator("select#district").input_value() == "Cusco"  # the menu keeps the choice
    assert _no_horizontal_scroll(phone_page)
    phone_page.fill("main input[name=q]", "veronika")
    phone_page.locator("main").get_by_role("button", name="Buscar", exact=True).click()
    phone_page.wait_for_url("**q=veronika**")
    phone_page.get_by_role("link", name="Verónika Fanny Mendoza Frisch").click()
    assert phone_page.get_by_role("heading", name="Verónika Fanny Mendoza Frisch").is_visible()
    assert phone_page.get_by_text("Bancada: ACCIÓN POPULAR - FRENTE AMPLIO").is_visible()
    assert _no_horizontal_scroll(phone_page)
    phone_page.get_by_role("link", name="Añadir asesor o asesora").click()
    phone_page.fill("input[name=name]", "Lucía Asesora")
    phone_page.fill("input[name=title]", "Jefa de despacho")
    phone_page.get_by_role("button", name="Guardar").click()
    assert phone_page.get_by_text("Asesor o asesora añadida.").is_visible()
    assert phone_page.get_by_text("Lucía Asesora").is_visible()


def test_web_import_with_progress_on_a_phone(live_server, live_user, phone_page):
    browser_login(phone_page, live_server, live_user("director"))
    phone_page.goto(f"{live_server}/imports/legislators")
    phone_page.select_option("select[name=format]", "openperu")
    phone_page.set_input_files("input[name=file]", str(OPENPERU))
    phone_page.fill("input[name=period]", "2011-2016")
    phone_page.get_by_role("button", name="Revisar (sin cambios)").click()
    assert phone_page.get_by_text("todavía no se ha escrito nada").is_visible()
    assert _no_horizontal_scroll(phone_page)
    phone_page.get_by_role("button", name="Confirmar e importar").click()
    phone_page.get_by_text("Importación terminada").wait_for()
    assert phone_page.get_by_text("Creados: 133").is_visible()


def test_dry_run_shows_it_is_working_and_cannot_be_sent_twice(live_server, live_user, desktop_page):
    """While the server checks the file, the button is disabled and says so with a spinner."""
    page = desktop_page
    browser_login(page, live_server, live_user("director"))
    page.goto(f"{live_server}/imports/legislators")
    page.select_option("select[name=format]", "openperu")
    page.set_input_files("input[name=file]", str(OPENPERU))
    page.fill("input[name=period]", "2011-2016")
    # The answer goes to a frame, so this page stays in view as it is while a slow dry run runs.
    page.evaluate("""() => {
        const frame = document.createElement("iframe");
        frame.name = "answer";
        document.body.appendChild(frame);
        document.querySelector("form[data-busy]").target = "answer";
    }""")
    posted = lambda r: r.request.method == "POST" and r.url.endswith("/imports/legislators")  # noqa: E731
    with page.expect_response(posted) as answer:
        page.get_by_role("button", name="Revisar (sin cambios)").click()
    busy = page.get_by_role("button", name="Analizando el archivo…")
    busy.wait_for()
    assert busy.is_disabled() and busy.locator(".spinner-border").count() == 1
    assert page.get_by_role("status").filter(has_text="Analizando el archivo…").count() == 1
    assert answer.value.status == 302  # the dry run passed and made its job (a framed page is refused)
