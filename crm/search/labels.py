"""The words for each kind of search result and for a refused query."""

from flask_babel import lazy_gettext as _l

from crm.search import bp, queries
from crm.search.documents import KINDS

KIND_HEADING = {
    "legislator": _l("Legisladores"),
    "aide": _l("Asesores"),
    "partner": _l("Organizaciones aliadas"),
    "interaction": _l("Contactos"),
    "task": _l("Tareas"),
    "mention": _l("Menciones en medios"),
}
assert set(KIND_HEADING) == set(KINDS)

REFUSED = {
    queries.EMPTY: _l("Escriba una palabra para buscar."),
    queries.TOO_LONG: _l("La búsqueda es demasiado larga: use como máximo %(n)d caracteres.", n=queries.MAX_LENGTH),
    queries.NO_WORDS: _l("Escriba letras o números: los signos como comillas o asteriscos no se buscan."),
}


@bp.app_template_filter("search_kind_heading")
def search_kind_heading(kind: str) -> str:
    return str(KIND_HEADING.get(kind, kind))
