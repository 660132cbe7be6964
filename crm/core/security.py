"""Security headers on every response."""

from flask import current_app

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def apply_security_headers(response, authenticated: bool, config=None):
    """Add the headers every response carries (keeping any a view set itself); `config` defaults to the app's."""
    headers = response.headers
    present = {name.lower() for name in headers.keys()}
    hsts = (config if config is not None else current_app.config).get("HSTS")
    headers.extend([(name, value) for name, value in _STATIC_HEADERS[bool(hsts)] if name.lower() not in present])
    if authenticated:
        headers.update(_SIGNED_IN)
    return response


def security_header_list(authenticated: bool, config) -> list[tuple[str, str]]:
    """The same headers as a list, for a response built without Flask (the whip board's poll shortcut)."""
    return [*_STATIC_HEADERS[bool(config.get("HSTS"))], *(_SIGNED_IN if authenticated else ())]


_BASE_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
_SIGNED_IN = (("Cache-Control", "no-store"), ("Vary", "Cookie"))
_STATIC_HEADERS = {False: _BASE_HEADERS,
                   True: (*_BASE_HEADERS, ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))}
