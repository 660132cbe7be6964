"""What every API endpoint shares: token authentication, JSON errors, ETags, cursors, idempotency keys.

Cookies never authenticate the API: the signed-in user of a request is the owner of its bearer token, or nobody.
The token's use is counted (rate limit, last use) in its own commit before the work, so refused and failed
requests count too; everything else follows the one-commit-per-request rule.
"""

import base64
import binascii
import hashlib
import json
from urllib.parse import urlencode

from flask import current_app, g, jsonify, make_response, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from crm.accounts.api_tokens import count_use, find_token
from crm.accounts.models import User
from crm.api.models import IdempotencyKey
from crm.core.database import writing
from crm.core.time import utcnow
from crm.core.views import MAX_ID
from crm.extensions import csrf, db

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Ids in requests: any larger number could never name a row (the columns are INTEGER).
ID_RANGE = validate.Range(1, MAX_ID)
API_BLUEPRINTS: set[str] = set()


class ApiError(Exception):
    """An error answered as JSON: a stable code, a message in the token owner's language and the field."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None, headers=None, errors=None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.headers = headers or {}
        self.errors = errors


class ErrorSchema(Schema):
    code = fields.String(required=True, metadata={"description": "stable, machine-readable"})
    message = fields.String(required=True, metadata={"description": "in the token owner's language"})
    field = fields.String(allow_none=True)
    errors = fields.Dict(allow_none=True)


CODES = {
    400: ("bad_request", lambda: _("No pudimos entender la solicitud.")),
    401: ("unauthenticated", lambda: _("Falta un token válido (Authorization: Bearer …).")),
    403: ("forbidden", lambda: _("No tiene permiso para hacer esta acción.")),
    404: ("not_found", lambda: _("No existe o no tiene acceso.")),
    405: ("method_not_allowed", lambda: _("Esta dirección no acepta ese método.")),
    406: ("not_acceptable", lambda: _("Solo respondemos JSON.")),
    409: ("conflict", lambda: _("La solicitud choca con el estado actual.")),
    412: ("precondition_failed", lambda: _("El recurso cambió desde que lo leyó (If-Match).")),
    413: ("too_large", lambda: _("Lo que envió es demasiado grande.")),
    415: ("unsupported_media_type", lambda: _("Envíe JSON (Content-Type: application/json).")),
    422: ("invalid", lambda: _("Datos no válidos.")),
    429: ("rate_limited", lambda: _("Demasiadas solicitudes. Espere antes de volver a intentarlo.")),
}


def error_response(status: int, code: str, message: str, field=None, headers=None, errors=None):
    response = jsonify({"code": code, "message": message, "field": field, "errors": errors})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def http_error_response(error: HTTPException):
    """A werkzeug/webargs HTTP error on an API path, as JSON with a stable code."""
    status = error.code or 500
    code, message = CODES.get(status, ("server_error", lambda: _("Algo salió mal de nuestro lado.")))
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    field = None
    if isinstance(errors, dict):
        # webargs: {"json": {"field": [...]}} — name the first field.
        for location in errors.values():
            if isinstance(location, dict) and location:
                field = str(next(iter(location)))
                break
    headers = dict(data.get("headers") or {})
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(status, code, message(), field, headers, errors if isinstance(errors, dict) else None)


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def acting_user() -> User:
    return g._login_user


# --- authentication, rate limit and idempotency ------------------------------------------------------------


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def refuse_unstorable() -> None:
    """NUL characters cannot be stored (422). (Ids past the integer range never match a route: IdConverter.)"""
    if any(_has_nul(k) or _has_nul(v) for k, v in request.args.items(multi=True)):
        raise ApiError(422, "invalid", _("El texto no puede contener caracteres nulos."))
    if request.is_json and _has_nul(request.get_json(silent=True)):
        raise ApiError(422, "invalid", _("El texto no puede contener caracteres nulos."))


def authenticate():
    g._login_user = AnonymousUserMixin()
    header = request.headers.get("Authorization", "")
    scheme, _sep, raw = header.partition(" ")
    # Counting the use writes, even for a GET: that first transaction takes the write lock; the rest may read only.
    with writing():
        token = find_token(raw.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            raise ApiError(401, "unauthenticated", CODES[401][1](), headers={"WWW-Authenticate": 'Bearer realm="api"'})
        config = current_app.config
        wait = count_use(token, limit=config.get("API_RATE_LIMIT", 600), window_seconds=config.get("API_RATE_WINDOW", 60))
        token_id, can_write, user_id = token.id, token.can_write, token.user_id
        g.api_token_name = token.name  # names the token in the audit rows this request writes
        db.session.commit()
    g._login_user = db.session.get(User, user_id)
    if wait:
        raise ApiError(429, "rate_limited", CODES[429][1](), headers={"Retry-After": str(wait)})
    if request.method not in SAFE_METHODS and not can_write:
        raise ApiError(403, "read_only_token", _("Este token solo permite leer."))
    refuse_unstorable()
    if request.method == "POST" and request.headers.get("Idempotency-Key"):
        return _replay_or_remember(token_id, request.headers["Idempotency-Key"][:200])
    return None


def _request_hash() -> str:
    return hashlib.sha256(f"{request.method} {request.path}\n".encode() + request.get_data()).hexdigest()


def _replay_or_remember(token_id: int, key: str):
    digest = _request_hash()
    stored = db.session.execute(
        select(IdempotencyKey).where(IdempotencyKey.token_id == token_id, IdempotencyKey.key == key)
    ).scalar_one_or_none()
    if stored is None:
        g.idempotency = (token_id, key, digest)
        return None
    if stored.request_hash != digest:
        raise ApiError(422, "idempotency_key_reused",
                       _("Esta Idempotency-Key ya se usó con otra solicitud."), field="Idempotency-Key")
    response = current_app.response_class(stored.response_body, status=stored.status_code, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    if stored.location:
        response.headers["Location"] = stored.location
    return response


def remember_answer(response):
    """After a successful POST with an Idempotency-Key, keep its answer in the same transaction."""
    remembered = g.pop("idempotency", None)
    if remembered and 200 <= response.status_code < 300:
        token_id, key, digest = remembered
        try:
            with db.session.begin_nested():
                db.session.add(IdempotencyKey(
                    token_id=token_id, key=key, request_hash=digest, status_code=response.status_code,
                    response_body=response.get_data(as_text=True), location=response.headers.get("Location"),
                    created_at=utcnow(),
                ))
        except IntegrityError:
            # The same key is being answered by a concurrent request: this one's work rolls back.
            return error_response(409, "idempotency_key_in_use",
                                  _("Otra solicitud con esta Idempotency-Key está en curso; vuelva a intentarlo."),
                                  field="Idempotency-Key")
    response.headers.setdefault("Cache-Control", "private, no-cache")
    return response


def make_blueprint(name: str, url_prefix: str, description: str) -> Blueprint:
    """A resource blueprint under /api/v1 with token auth, JSON errors and idempotency keys."""
    blueprint = Blueprint(name, __name__, url_prefix="/api/v1" + url_prefix, description=description)
    blueprint.before_request(authenticate)
    blueprint.after_request(remember_answer)
    csrf.exempt(blueprint)
    API_BLUEPRINTS.add(name)
    return blueprint


# --- ETags and conditional requests ------------------------------------------------------------------------


def etag_of(data) -> str:
    return '"' + hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    candidates = [part.strip().removeprefix("W/") for part in header.split(",")]
    return "*" in candidates or etag in candidates


def json_response(data, status: int = 200, headers=None):
    """A JSON answer with a strong ETag of its content; 304 when If-None-Match already has it."""
    etag = etag_of(data)
    if request.method in SAFE_METHODS and _matches(request.headers.get("If-None-Match", ""), etag):
        response = make_response("", 304)
    else:
        response = jsonify(data)
        response.status_code = status
    response.headers["ETag"] = etag
    response.headers.update(headers or {})
    return response


def check_if_match(current_data) -> None:
    """An update names the version it read; a lost update is refused with 412."""
    header = request.headers.get("If-Match")
    if header and not _matches(header, etag_of(current_data)):
        raise ApiError(412, "precondition_failed", CODES[412][1](), field="If-Match")


# --- cursor pagination ---------------------------------------------------------------------------------------


class PageArgs(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=100))
    updated_since = fields.AwareDateTime(
        load_default=None, metadata={"description": "only what changed at or after this instant (ISO 8601 with offset)"}
    )


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"=" * (-len(cursor) % 4)))
        after = int(value["after"])
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ApiError(400, "invalid_cursor", _("Cursor no válido."), field="cursor") from None
    if after < 0:
        raise ApiError(400, "invalid_cursor", _("Cursor no válido."), field="cursor")
    return after


def encode_cursor(after: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode().rstrip("=")


def page_of(statement, id_column, args: dict, *, since=None, scalars: bool = True):
    """Rows after the cursor by ascending id, at most `limit`, and the next cursor (None at the end).

    `since`: the column (or expression) that must be at or after `updated_since` when the request gives one.
    """
    limit = args["limit"]
    after = decode_cursor(args.get("cursor"))
    if since is not None and args.get("updated_since"):
        statement = statement.where(since >= args["updated_since"])
    statement = statement.where(id_column > after).order_by(id_column).limit(limit + 1)
    result = db.session.execute(statement)
    rows = list(result.scalars() if scalars else result.all())
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(_row_id(rows[-1])) if more and rows else None
    return rows, next_cursor


def _row_id(row):
    return row.id if hasattr(row, "id") else row[0]


def list_response(items: list, next_cursor: str | None):
    headers = {}
    if next_cursor:
        query = {k: v for k, v in request.args.items() if k != "cursor"}
        query["cursor"] = next_cursor
        headers["Link"] = f'<{request.base_url}?{urlencode(query)}>; rel="next"'
    return json_response({"items": items, "next_cursor": next_cursor}, headers=headers)


def list_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    return Schema.from_dict(
        {"items": fields.List(fields.Nested(item_schema), required=True),
         "next_cursor": fields.String(allow_none=True, required=True)},
        name=name,
    )


def require_staff() -> User:
    user = acting_user()
    if not user.is_staff:
        raise forbidden()
    return user


def require_roles(*roles) -> User:
    user = acting_user()
    if user.role not in roles:
        raise forbidden()
    return user


def forbidden():
    return ApiError(403, "forbidden", CODES[403][1]())


def not_found():
    return ApiError(404, "not_found", CODES[404][1]())


def get_or_404(model, object_id: int):
    """The row with this id, or the API's 404."""
    found = db.session.get(model, object_id)
    if found is None:
        raise not_found()
    return found


def invalid(error: Exception):
    """A domain refusal (already translated) as 422, naming its field when the domain did."""
    return ApiError(422, "invalid", str(error), field=getattr(error, "field", None))
