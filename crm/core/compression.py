"""Compressed text responses: brotli where the browser accepts it, else gzip (Flask-Compress).

Only text types are compressed (HTML, CSS, JavaScript, JSON, SVG), and only from 500 bytes on; downloads
(XLSX, CSV, the calendar feed) are sent as they are, so they keep their length and stream unchanged.

A strong ETag stays the view's own, marked weak (W/), as nginx does: Flask-Compress would append the
encoding, and an If-Match or If-None-Match sent back would then never equal the ETag the view computes.
Conditional requests are answered by the views (and by send_file for static files), before compression.

BREACH: a compressed page that holds a secret next to text an attacker chose can leak the secret through
its length. That needs many cross-site requests that carry the session; the session and remember cookies
are SameSite=Lax, so a page on another site cannot send them with background requests. Flask-WTF's CSRF
token is not masked, but its signed form changes every second (it carries a timestamp) and is only valid
with the session's own secret. Pages that show a long-lived secret (a new API token, the calendar feed
address) are not compressed at all: `@not_compressed`.
"""

import gzip

import brotli
from flask import Flask, current_app, request
from flask_compress import Compress

from crm.core.caches import LRU

TEXT_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/manifest+json",
    "image/svg+xml",
]
# Compressed static files kept per process: each file once per encoding a browser asks for. The key holds
# the file's ETag (its time, size and name), so an edited file is compressed again.
STATIC_CACHE_SIZE = 256
_static_bodies = LRU(STATIC_CACHE_SIZE)


def not_compressed(view):
    """Send this view's responses uncompressed: the page shows a secret that outlives the session."""
    view.not_compressed = True
    return view


class TextCompress(Compress):
    """Flask-Compress, with the ETag kept (weak) and static files compressed once per process."""

    def after_request(self, response):
        view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
        if getattr(view, "not_compressed", False):
            return response
        etag, weak = response.get_etag()
        if request.endpoint == "static":
            response = self._static(response, etag)
        else:
            response = super().after_request(response)
        if etag and not weak and "Content-Encoding" in response.headers:
            response.set_etag(etag, weak=True)
        return response

    def _static(self, response, etag):
        """A static file is compressed once per process, as small as brotli or gzip can make it."""
        encoding = request.accept_encodings.best_match(["br", "gzip"])
        if response.status_code != 200 or response.mimetype not in self.compress_mimetypes_set or not encoding:
            return response
        response.vary.add("Accept-Encoding")
        key = (request.path, etag, encoding)
        response.direct_passthrough = False
        response.make_sequence()  # reads the file; it is closed with the response
        body = _static_bodies.get(key)
        if body is None:
            data = response.get_data()
            body = brotli.compress(data, quality=11) if encoding == "br" else gzip.compress(data, compresslevel=9)
            _static_bodies.put(key, body)
        response.set_data(body)
        response.headers["Content-Encoding"] = encoding
        return response


def register(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", TEXT_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    # Pages are compressed on every request: brotli's quality 4 takes about 0.1 ms of CPU for My tasks (11 KB
    # to 2 KB); quality 11, kept for the static files compressed once, would take a hundred times longer.
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_EVALUATE_CONDITIONAL_REQUEST", False)
    TextCompress(app)
