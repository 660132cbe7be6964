"""Search folds every Latin letter to its plain form, in stored names and typed queries alike."""

import pytest

from crm.core.text import fold
from crm.core.time import local_today
from crm.extensions import db
from crm.legislature.models import Legislator
from crm.legislature.operations import search_key
from crm.legislature.queries import search_legislators


@pytest.mark.parametrize(("name", "query"), [
    ("Bjørnø", "bjorno"), ("Đukić", "dukic"), ("Guðrún", "gudrun"), ("Ægir", "aegir"), ("Işık", "isik"),
    ("Þórdís", "thordis"), ("Łukasz", "lukasz"), ("Verónika", "veronika"), ("Straße", "strasse"),
])
def test_fold_plain_latin(name, query):
    assert fold(name) == query


def test_search_finds_folded_names():
    leg = Legislator(full_name="Mette Bjørnø Łukasiewicz", sort_name="Bjørnø, Mette", search_name="")
    leg.search_name = search_key(leg)
    db.session.add(leg)
    db.session.flush()
    assert [r.id for r in search_legislators("bjorno lukasiewicz", local_today(None), "all")] == [leg.id]
    assert [r.id for r in search_legislators("BJØRNØ", local_today(None), "all")] == [leg.id]
