"""Light pages: text answers are compressed, downloads are not, static files live a year under hashed URLs."""

import gzip
import re

import brotli
from flask import url_for

from crm.core import assets

ALL = {"Accept-Encoding": "gzip, deflate, br, zstd"}
BOOTSTRAP = "vendor/bootstrap/bootstrap.min.css"


def _same_page(html: bytes) -> bytes:
    """The page without its CSRF tokens, whose signature carries the second it was made."""
    return re.sub(rb'"[\w-]+\.[\w-]+\.[\w-]+"', b'"csrf"', html)


def _static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_are_sent_with_brotli_or_gzip_as_the_browser_accepts(client, login_as, make_user):
    login_as(make_user("officer"))
    plain = client.get("/tasks")
    assert "Content-Encoding" not in plain.headers
    html = _same_page(plain.get_data())

    as_brotli = client.get("/tasks", headers=ALL)
    assert as_brotli.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in as_brotli.headers["Vary"]
    assert _same_page(brotli.decompress(as_brotli.get_data())) == html
    assert len(as_brotli.get_data()) * 3 < len(html)

    as_gzip = client.get("/tasks", headers={"Accept-Encoding": "gzip"})
    assert as_gzip.headers["Content-Encoding"] == "gzip"
    assert _same_page(gzip.decompress(as_gzip.get_data())) == html


def test_tiny_answers_and_downloads_are_sent_as_they_are(client, login_as, make_user):
    assert "Content-Encoding" not in client.get("/healthz", headers=ALL).headers
    login_as(make_user("officer"))
    export = client.get("/legislators/export.csv", headers=ALL)
    assert export.status_code == 200
    assert "Content-Encoding" not in export.headers
    assert export.get_data(as_text=True).startswith("\ufeffid,nombre")


def test_pages_showing_a_lasting_secret_are_not_compressed(client, login_as, make_user):
    login_as(make_user("officer"))
    for path in ("/calendar", "/account/tokens"):
        response = client.get(path, headers=ALL)
        assert response.status_code == 200, path
        assert "Content-Encoding" not in response.headers, path
    login_as(make_user("admin"))
    webhooks = client.get("/admin/webhooks", headers=ALL)  # shows each subscription's signing secret
    assert webhooks.status_code == 200 and "Content-Encoding" not in webhooks.headers


def test_pages_link_static_files_by_content_hash(app, client):
    urls = _static_urls(client.get("/login").get_data(as_text=True))
    assert any(BOOTSTRAP in url for url in urls)
    for url in urls:
        path, _, version = url.partition("?v=")
        assert re.fullmatch(r"[0-9a-f]{12}", version), url
        response = client.get(url)
        assert response.status_code == 200
        assert assets.asset_hash(path.removeprefix("/static/")) == version
        response.close()


def test_hashed_static_files_are_immutable_for_a_year_others_briefly(app, client, login_as, make_user,
                                                                    count_queries):
    login_as(make_user("officer"))  # a signed-in browser fetches them too: no "no-store", no user lookup
    with app.test_request_context():
        hashed = url_for("static", filename=BOOTSTRAP)
    with count_queries() as sql:
        fresh = client.get(hashed, headers=ALL)
    assert sql == []
    assert fresh.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert fresh.headers["Content-Encoding"] == "br"
    assert b"Bootstrap" in brotli.decompress(fresh.get_data())
    fresh.close()
    for url in (f"/static/{BOOTSTRAP}", f"/static/{BOOTSTRAP}?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=300"
        response.close()
    revalidated = client.get(hashed, headers={**ALL, "If-None-Match": fresh.headers["ETag"]})
    assert revalidated.status_code == 304
    revalidated.close()


def test_an_edited_file_gets_a_new_hash(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    monkeypatch.setattr(app, "debug", True)  # debug mode notices edits; production hashes once per process
    style = tmp_path / "app.css"
    style.write_text("body { color: black; }")
    with app.test_request_context():
        before = url_for("static", filename="app.css")
        style.write_text("body { color: navy; }")
        after = url_for("static", filename="app.css")
        missing = url_for("static", filename="nothing.css")
    assert before != after
    assert missing == "/static/nothing.css"
