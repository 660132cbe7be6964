"""Front-end libraries: pinned in package.json, fetched by npm ci into a git-ignored static/vendor/, no CDN."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIBRARIES = {
    "bootstrap": ["vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap/bootstrap.bundle.min.js"],
    "htmx.org": ["vendor/htmx/htmx.min.js"],
    "chart.js": ["vendor/chartjs/chart.umd.min.js"],
}


def test_libraries_are_pinned_and_locked():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name in LIBRARIES:
        version = package["dependencies"][name]
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} must be pinned to an exact version, not {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-")


def test_vendor_folder_is_ignored_by_git():
    assert "static/vendor/" in (ROOT / ".gitignore").read_text().split()


@pytest.mark.parametrize("name", list(LIBRARIES))
def test_libraries_are_served_from_static(client, name):
    assert (ROOT / "static/vendor/.installed").exists(), "run `make assets` (npm ci) first"
    for path in LIBRARIES[name]:
        response = client.get(f"/static/{path}")
        assert response.status_code == 200, path
        assert len(response.get_data()) > 10_000
        response.close()


def test_pages_load_nothing_from_other_hosts(client):
    page = client.get("/login").get_data(as_text=True)
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert url.startswith(("/", "#")), url
    templates = "\n".join(p.read_text() for p in (ROOT / "templates").rglob("*.html") if "/email/" not in p.as_posix())
    assert not re.search(r'(?:src|href)="(?:https?:)?//', templates)


def test_axe_core_for_the_browser_tests_is_a_pinned_dev_package():
    # A development package: `npm ci` (make assets) installs it for the tests; it is never served.
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    version = package["devDependencies"]["axe-core"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    entry = lock["packages"]["node_modules/axe-core"]
    assert entry["version"] == version and entry["dev"] is True and entry["integrity"].startswith("sha512-")
