"""Static files under content-hashed URLs, cached for a year by browsers.

`url_for('static', filename=...)` adds `?v=<hash of the file's content>`, computed once per process (and
again when the file changes, in debug mode). A request whose `v` is the file's current hash may be kept
for a year without asking again; any other request for a static file (no `v`, or an old one after an
upgrade) gets a short cache, so a stale URL never pins old content.
"""

import hashlib
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, url_for

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
_hashes: dict[tuple[str, str], tuple[int | None, str | None]] = {}
_urls: dict[tuple[str, str, str], str] = {}


def asset_hash(filename: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256, or None when there is no such file."""
    key = (current_app.static_folder, filename)
    known = _hashes.get(key)
    # Production hashes each file once (pages link several per request: no file system calls then); debug mode
    # notices an edited file by its modification time.
    if known is not None and not current_app.debug:
        return known[1]
    folder = Path(current_app.static_folder).resolve()
    path = (folder / filename).resolve()
    if not path.is_relative_to(folder):
        return None
    mtime = _mtime(path)
    if known is None or known[0] != mtime:
        known = _hashes[key] = (mtime, hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else None)
    return known[1]


def static_url(filename: str) -> str:
    """`url_for('static', filename=...)`, remembered per process: pages link a dozen files on every request."""
    if current_app.debug:
        return url_for("static", filename=filename)
    key = (current_app.static_folder, request.script_root if has_request_context() else "", filename)
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = url_for("static", filename=filename)
    return url


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def add_version(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = asset_hash(values["filename"])
        if version:
            values["v"] = version


def cache_static(response):
    if request.endpoint == "static" and response.status_code in (200, 304):
        filename = (request.view_args or {}).get("filename", "")
        fresh = request.args.get("v") and request.args.get("v") == asset_hash(filename)
        response.headers["Cache-Control"] = IMMUTABLE if fresh else SHORT
    return response


def register(app: Flask) -> None:
    app.url_defaults(add_version)
    app.jinja_env.globals["static_url"] = static_url
    app.after_request(cache_static)
