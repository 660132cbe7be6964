"""gunicorn settings for Cabildeo: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be changed through the environment, so one file serves every host:
  GUNICORN_BIND      address to listen on (default 127.0.0.1:8000; the reverse proxy talks to it)
  GUNICORN_WORKERS   worker processes (default: 2 x CPU cores + 1, at most 8)
  GUNICORN_THREADS   threads per worker (default 1: plain sync workers)
  GUNICORN_TIMEOUT   seconds a request may take before its worker is restarted (default 60)
  GUNICORN_MAX_REQUESTS  recycle a worker after this many requests (default 2000, 0 = never)
  GUNICORN_CONTROL_SOCKET  path of gunicorn's control socket for `gunicornc` (default: none)

The application writes its own access log (JSON lines on stderr with CRM_ENV=production, one per
request, with the request id and user id and with secret path segments redacted), so gunicorn's
access log stays off; gunicorn's own messages are JSON lines too.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10 if max_requests else 0

# Each worker imports the app itself: no database connection is ever shared across a fork.
preload_app = False
# Trust X-Forwarded-* only through the app's ProxyFix (CRM_PROXY_HOPS), never gunicorn's own guess.
forwarded_allow_ips = ""
proxy_allow_ips = ""

# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), which two
# instances on one host would fight over; systemd signals (HUP, TERM) do the same job. Opt in with a path.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
capture_output = False
proc_name = "cabildeo-web"

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "crm.core.logging.JsonFormatter"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}

