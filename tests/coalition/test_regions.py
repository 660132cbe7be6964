from crm.coalition.regions import REGIONS, canonical_region, regions_for_district


def test_twenty_five_regions_plus_lima_metropolitana():
    assert len(REGIONS) == 26
    assert {"Callao", "Lima", "Lima Metropolitana", "Áncash", "San Martín"} <= set(REGIONS)


def test_any_casing_or_accents_find_the_region():
    assert canonical_region("ANCASH") == "Áncash"
    assert canonical_region("  san martin ") == "San Martín"
    assert canonical_region("La libertad") == "La Libertad"
    assert canonical_region("Lima Provincias") == "Lima"
    assert canonical_region("Cuzco") == "Cusco"
    assert canonical_region("Narnia") is None
    assert canonical_region("") is None


def test_roster_districts_map_to_regions():
    assert regions_for_district("LIMA") == ("Lima", "Lima Metropolitana")
    assert regions_for_district("Lima Capital") == ("Lima Metropolitana",)
    assert regions_for_district("Madre de dios") == ("Madre de Dios",)
    assert regions_for_district("Peruanos Residentes en el Extranjero") == ()
    assert regions_for_district(None) == ()
