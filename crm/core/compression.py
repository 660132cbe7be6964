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

from collections import OrderedDict

from flask import Flask, current_app, request
from flask_compress import Compress

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
# Compressed static files kept per process: each file once per encoding a browser asks for.
STATIC_CACHE_SIZE = 256


def not_compressed(view):
    """Send this view's responses uncompressed: the page shows a secret that outlives the session."""
    view.not_compressed = True
    return view


class TextCompress(Compress):
    """Flask-Compress, with the ETag kept (weak) and static files compressed once per process."""

    def __init__(self, app=None):
        self.static_bodies: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
        super().__init__(app)

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
        """A file is read whole and compressed once (per encoding asked for), not streamed through brotli."""
        if response.status_code != 200 or response.mimetype not in self.compress_mimetypes_set:
            return response
        key = (request.path, etag, request.headers.get("Accept-Encoding", ""))
        response.direct_passthrough = False
        response.make_sequence()  # reads the file; it is closed with the response
        if key in self.static_bodies:
            body, encoding = self.static_bodies[key]
            self.static_bodies.move_to_end(key)
            response.set_data(body)
            response.headers["Content-Encoding"] = encoding
            response.vary.add("Accept-Encoding")
            return response
        response = super().after_request(response)
        if "Content-Encoding" in response.headers:
            self.static_bodies[key] = (response.get_data(), response.headers["Content-Encoding"])
            if len(self.static_bodies) > STATIC_CACHE_SIZE:
                self.static_bodies.popitem(last=False)
        return response


def register(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", TEXT_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    app.config.setdefault("COMPRESS_EVALUATE_CONDITIONAL_REQUEST", False)
    TextCompress(app)
