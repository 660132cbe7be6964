"""The import's YAML reader builds what PyYAML's safe loader builds, from a single parse of the file."""

import pytest
import yaml

from crm.legislature.importers import jobs, safe
from tests.legislature.conftest import US, read

SAMPLES = [
    "a: 1\nb: [1, 2.5, true, null, 2020-01-01, '3', \"x\", ~, yes, 0x1F, 1_000, .inf]\n",
    "",
    "- 2001-12-14t21:59:43.10-05:00\n- {a: {b: [1, {c: d}]}}\n- []\n- {}\n",
    "a: 1\na: 2\n",  # the last value wins, as in the safe loader
    "'1': a\n1: b\n",
    "x: !!str 12\ny: !!float 1\n",
    "<<: {a: 1}\nb: 2\n",  # merge keys and the rest go to the safe loader itself
    "!!binary aGVsbG8=\n",
    "!!set {a, b}\n",
    "- &anchor 1\n- 2\n",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_same_values_as_the_safe_loader(app, text):
    assert safe.load_yaml(text, "x") == yaml.load(text, Loader=safe._LOADER)  # noqa: S506


@pytest.mark.parametrize("name", ["legislators-current.yaml", "committee-membership-current.yaml",
                                  "committees-current.yaml"])
def test_real_files_read_the_same(app, name):
    text = read(US / name)
    assert safe.load_yaml(text, name) == yaml.load(text, Loader=safe._LOADER)  # noqa: S506


def test_the_dry_run_parses_each_yaml_file_once(app, monkeypatch):
    """The old reader parsed every file twice (a safety pass, then yaml.load): most of a 4–6 s dry run."""
    parses = []
    real_parse = yaml.parse
    monkeypatch.setattr(yaml, "parse", lambda *a, **k: parses.append(1) or real_parse(*a, **k))
    monkeypatch.setattr(yaml, "load", lambda *a, **k: pytest.fail("the document was loaded a second time"))
    files = {"main": read(US / "legislators-current.yaml"), "committees": read(US / "committees-current.yaml"),
             "memberships": read(US / "committee-membership-current.yaml")}
    _options, report, _roster = jobs.checked("congress-legislators", files, {})
    assert report["errors"] == 0 and report["total"] == 537 and len(parses) == 3


def test_documents_that_break_yaml_still_get_one_clear_line(app):
    with pytest.raises(safe.ImportFailed, match="no es YAML válido"):
        safe.load_yaml("--- 1\n--- 2\n", "x")
    with pytest.raises(safe.ImportFailed, match="no es YAML válido"):
        safe.load_yaml("a: b: c\n", "x")
