"""Peru's regions (departamentos) as signature batches record them, and how a legislator's district maps to them."""

from crm.core.text import fold

# The 24 departamentos plus the Constitutional Province of Callao (25 regions), with Lima Metropolitana kept
# apart from the Lima region (Lima Provincias) because signatures and seats are counted separately for it.
REGIONS = (
    "Amazonas",
    "Áncash",
    "Apurímac",
    "Arequipa",
    "Ayacucho",
    "Cajamarca",
    "Callao",
    "Cusco",
    "Huancavelica",
    "Huánuco",
    "Ica",
    "Junín",
    "La Libertad",
    "Lambayeque",
    "Lima",
    "Lima Metropolitana",
    "Loreto",
    "Madre de Dios",
    "Moquegua",
    "Pasco",
    "Piura",
    "Puno",
    "San Martín",
    "Tacna",
    "Tumbes",
    "Ucayali",
)

_BY_KEY = {fold(name): name for name in REGIONS}
# Spellings found in real rosters and spreadsheets.
_ALIASES = {
    "cuzco": "Cusco",
    "lima provincias": "Lima",
    "lima region": "Lima",
    "region lima": "Lima",
    "lima capital": "Lima Metropolitana",
    "lima metropolitana": "Lima Metropolitana",
    "lima + residentes en el extranjero": "Lima Metropolitana",
    "provincia constitucional del callao": "Callao",
}


def canonical_region(value: str | None) -> str | None:
    """The region's canonical name for any casing or accent spelling, or None when it is not a region of Peru."""
    key = fold(value)
    return _BY_KEY.get(key) or _ALIASES.get(key)


def regions_for_district(district: str | None) -> tuple[str, ...]:
    """Regions whose signatures count for a legislator elected in this district.

    The roster's "LIMA" district covered the whole departamento until 2021 and the capital since then, so it
    counts both Lima Metropolitana and the Lima region.
    """
    key = fold(district)
    if not key:
        return ()
    if key == "lima":
        return ("Lima", "Lima Metropolitana")
    region = canonical_region(district)
    return (region,) if region else ()
