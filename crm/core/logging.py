"""Text logs on a laptop, JSON lines in production; never secrets or note contents.

Every request gets one access line on the `crm.access` logger: request id, method, path, status,
duration and user id. The path is logged without its query string, and path segments that carry
secrets (calendar feed tokens, invitation and password-reset links) are replaced by `[redacted]`.
Form data, note contents, passwords and cookies are never logged.
"""

import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime

from flask import g, has_request_context, request
from sqlalchemy import inspect

REDACTED = "[redacted]"
# Route arguments whose names contain one of these words carry a secret and never reach a log line.
SECRET_ARGUMENT_WORDS = ("token", "secret", "key", "password", "signature")
# The same secrets recognised in raw paths, for requests that matched no route (404s, probes).
SECRET_PATH_PATTERNS = (
    re.compile(r"^(/calendar/)[^/]+?(\.ics)?$"),
    re.compile(r"^(/invite/)[^/]+()$"),
    re.compile(r"^(/password/reset/)[^/]+()$"),
    re.compile(r"^(/unsubscribe/)[^/]+()$"),
)
# Paths too chatty to log on every hit (load balancers poll the health check every few seconds).
QUIET_PATHS = ("/healthz", "/static/")
access = logging.getLogger("crm.access")


def safe_path() -> str:
    """The request path with secret segments replaced, and never its query string."""
    path = request.path
    rule = request.url_rule
    args = request.view_args or {}
    secret_values = [
        str(value)
        for name, value in args.items()
        if any(word in name.lower() for word in SECRET_ARGUMENT_WORDS) and str(value)
    ]
    if rule is not None and secret_values:
        for value in secret_values:
            path = path.replace(value, REDACTED)
        return path
    for pattern in SECRET_PATH_PATTERNS:
        match = pattern.match(path)
        if match:
            return f"{match.group(1)}{REDACTED}{match.group(2) or ''}"
    return path


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id", "-")
            safe = safe_path()
            if safe != request.path:
                # Error messages name the raw path ("Exception on /invite/<token> [GET]"): redact it there too.
                message = record.getMessage()
                if request.path in message:
                    record.msg, record.args = message.replace(request.path, safe), None
            if not hasattr(record, "path"):
                record.path = safe
            if not hasattr(record, "method"):
                record.method = request.method
        else:
            record.request_id = getattr(record, "request_id", "-")
        return True


class JsonFormatter(logging.Formatter):
    FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id", "remote_addr", "size")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        return super().format(record)


def incoming_request_id(headers=None) -> str:
    """The proxy's X-Request-ID when it looks like one, else a fresh id (headers: this request's by default)."""
    incoming = (headers if headers is not None else request.headers).get("X-Request-ID", "")
    return incoming if 8 <= len(incoming) <= 40 and incoming.isalnum() else secrets.token_hex(8)


def log_access_line(method: str, path: str, status: int, duration_ms: float | None, user_id: int | None,
                    remote_addr: str | None, size: int | None, **extra) -> None:
    """One access line (the path already made safe); `extra` carries request_id outside a request context."""
    access.info(
        "%s %s %s %sms user=%s", method, path, status, duration_ms, user_id if user_id is not None else "-",
        extra={"method": method, "path": path, "status": status, "duration_ms": duration_ms, "user_id": user_id,
               "remote_addr": remote_addr, "size": size, **extra},
    )


def _user_id():
    # Read the user Flask-Login already loaded; never query the database just to log.
    user = g.get("_login_user")
    if user is None or getattr(user, "is_anonymous", True):
        return None
    # The identity key survives the commit's expiry; reading user.id would reload the row.
    state = inspect(user, raiseerr=False)
    if state is not None and state.identity:
        return state.identity[0]
    return getattr(user, "id", None)


def _register_access_log(app) -> None:
    # Registered before any extension, so it runs first (even when CSRF or login checks abort the
    # request) and its after_request hook runs last, after the commit: the duration includes it.
    @app.before_request
    def start_clock():
        g.request_started = time.perf_counter()
        if "request_id" not in g:
            g.request_id = incoming_request_id()

    @app.after_request
    def log_access(response):
        path = safe_path()
        if response.status_code < 400 and path.startswith(QUIET_PATHS):
            return response
        started = g.get("request_started")
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        log_access_line(request.method, path, response.status_code, duration, _user_id(), request.remote_addr,
                        response.calculate_content_length())
        return response


def configure(app) -> None:
    json_lines = app.config.get("LOG_FORMAT") == "json"
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    crm = logging.getLogger("crm")
    crm.handlers[:] = [handler]
    crm.setLevel(logging.INFO)
    crm.propagate = False
    if json_lines:
        _configure_root(handler)
    if app.config.get("ACCESS_LOG", True):
        _register_access_log(app)


def _configure_root(handler: logging.Handler) -> None:
    """Other libraries' warnings (APScheduler, SQLAlchemy, Alembic, config) as JSON lines too.

    Only when nobody configured the root logger already (gunicorn does, with the same JSON formatter), so no
    line is written twice; a handler added by an earlier create_app() in the same process is replaced.
    """
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "crm_root", False):
            root.removeHandler(existing)
    if root.handlers:
        return
    handler.crm_root = True
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)


def error_reason(error: BaseException) -> str:
    """The first line of what went wrong, for a log line: the driver's own message when SQLAlchemy wraps one."""
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def process_echo(echo):
    """How a long-running command (scheduler, sender) reports: log lines in JSON mode, else `echo` as given."""
    from flask import current_app

    if current_app.config.get("LOG_FORMAT") != "json":
        return echo
    logger = logging.getLogger("crm.process")
    return lambda text: logger.info("%s", text)
