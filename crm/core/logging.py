"""Text logs on a laptop, JSON lines in production; never secrets or note contents."""

import json
import logging
import sys
from datetime import UTC, datetime

from flask import g, has_request_context, request


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id", "-")
            record.path = request.path
            record.method = request.method
        else:
            record.request_id = getattr(record, "request_id", "-")
        return True


class JsonFormatter(logging.Formatter):
    FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
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


def configure(app) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestContextFilter())
    if app.config.get("LOG_FORMAT") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    root = logging.getLogger("crm")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False
