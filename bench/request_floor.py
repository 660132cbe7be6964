"""The fixed cost of a request: Cabildeo beside a Flask "hello world", both under gunicorn, driven by wrk.

    .venv/bin/python bench/request_floor.py                       # 10 s per page, best of 2, 2 workers, SQLite demo
    .venv/bin/python bench/request_floor.py --duration 20 --app-dir /path/to/another/checkout

Needs wrk (Debian: `apt-get install wrk`). What it does, all on 127.0.0.1:
1. Builds the demo instance (`flask crm setup`) in a temporary folder, on SQLite.
2. Starts Cabildeo with the repository's gunicorn.conf.py in production mode (2 sync workers), and a
   one-route Flask app (bench/hello_world.py) with the same settings and worker count.
3. Logs in once as the demo officer; the session cookie is valid for 12 hours, so wrk sends it as it is.
4. Runs wrk (2 threads, 16 connections, like the issue's table) against: hello world, /healthz (one query,
   no login), a tiny signed-in page (/account/password: the user and a form) and My tasks, plain and with
   brotli asked for. Each page gets a short warm-up run first; the pages are measured in turn, --rounds times,
   and each keeps its best figure.

It prints requests per second and each page's share of hello world. Run it on an otherwise idle machine:
the figures are only comparable within one run.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import gunicorn_process
from gunicorn_process import GunicornProcess, clean_environment, free_port

ROOT = Path(__file__).resolve().parents[1]
EMAIL, PASSWORD = "oficial@cabildeo.demo", "cabildeo-demo-2026"
# The reverse proxy's headers: production cookies are Secure, so the app must be told it is behind HTTPS.
PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1", "X-Forwarded-Host": "127.0.0.1"}
PAGES = [
    ("hello world", "hello", "/", {}),
    ("/healthz (one query, no login)", "crm", "/healthz", {}),
    ("tiny signed-in page (/account/password)", "crm", "/account/password", {}),
    ("My tasks (/tasks)", "crm", "/tasks", {}),
    ("My tasks, brotli", "crm", "/tasks", {"Accept-Encoding": "br"}),
]


def get(port: int, path: str, headers: dict, body: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        sent = {"Host": "127.0.0.1", **PROXY, **headers}
        if body is not None:
            sent.update({"Content-Type": "application/x-www-form-urlencoded", "Referer": f"https://127.0.0.1{path}"})
        connection.request("POST" if body is not None else "GET", path, body=body, headers=sent)
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def build_demo(app_dir: Path, instance: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "GUNICORN_", "DATABASE_URL"))}
    env.update(CRM_INSTANCE_DIR=str(instance), FLASK_APP="wsgi:app")
    subprocess.run([sys.executable, "-m", "flask", "crm", "setup"], cwd=app_dir, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return f"sqlite:///{instance / 'cabildeo.sqlite3'}"


class Server(GunicornProcess):
    def __init__(self, app_dir: Path, target: str, workers: int, log_dir: Path, env_extra: dict):
        self.port = free_port()
        env = clean_environment(**env_extra, GUNICORN_BIND=f"127.0.0.1:{self.port}", GUNICORN_WORKERS=str(workers),
                                GUNICORN_MAX_REQUESTS="0", GUNICORN_LOGLEVEL="warning",
                                PYTHONPATH=os.pathsep.join([str(app_dir), str(ROOT / "bench")]))
        super().__init__([sys.executable, "-m", "gunicorn", "-c", str(app_dir / "gunicorn.conf.py"), target],
                         cwd=app_dir, env=env, log_path=log_dir / f"{target.split(':')[0]}.log")

    def wait_ready(self, path: str) -> None:
        self.wait_until(lambda: get(self.port, path, {})[0] == 200)


def login(port: int) -> str:
    status, headers, page = get(port, "/login", {})
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    cookies = _cookies(headers)
    if status != 200 or not token:
        raise SystemExit(f"GET /login answered {status} without a CSRF token")
    body = urlencode({"email": EMAIL, "password": PASSWORD, "csrf_token": token.group(1).decode()})
    status, headers, _page = get(port, "/login", {"Cookie": cookies}, body)
    if status not in (302, 303):
        raise SystemExit(f"Logging in as {EMAIL} failed with status {status}")
    return _cookies(headers)


def _cookies(headers) -> str:
    return "; ".join(value.split(";", 1)[0] for name, value in headers if name.lower() == "set-cookie")


def wrk(port: int, path: str, headers: dict, seconds: float, threads: int, connections: int) -> tuple[float, int]:
    rate, bad, _ = gunicorn_process.wrk(port, path, {**PROXY, **headers}, seconds, threads, connections)
    return rate, bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page (default 2)")
    parser.add_argument("--rounds", type=int, default=2, help="measure every page this many times; keep the best")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the Cabildeo checkout to measure")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    folder = Path(tempfile.mkdtemp(prefix="cabildeo-floor-"))
    servers = []
    try:
        print(f"Building the demo instance in {folder} …", flush=True)
        url = build_demo(args.app_dir, folder / "instance")
        crm = Server(args.app_dir, "wsgi:app", args.workers, folder,
                     dict(CRM_ENV="production", SECRET_KEY=secrets.token_hex(32), TRUSTED_HOSTS="127.0.0.1",
                          DATABASE_URL=url, CRM_PROXY_HOPS="1", CRM_INSTANCE_DIR=str(folder / "instance")))
        hello = Server(args.app_dir, "hello_world:app", args.workers, folder, {})
        servers = [crm, hello]
        crm.wait_ready("/healthz")
        hello.wait_ready("/")
        cookie = login(crm.port)
        ports = {"crm": crm.port, "hello": hello.port}

        load = os.getloadavg()[0]
        if load > (os.cpu_count() or 1):
            print(f"warning: the load average is {load:.1f} on {os.cpu_count()} cores; figures will be low and noisy")
        print(f"gunicorn {args.workers} sync workers, SQLite; wrk -t{args.threads} -c{args.connections} "
              f"-d{args.duration:g}s per page, best of {args.rounds} rounds\n")
        best: dict[str, tuple[float, int]] = {}
        for _round in range(args.rounds):
            # Rounds take the pages in turn, so a burst of load elsewhere does not fall on one page only.
            for label, server, path, headers in PAGES:
                sent = {**headers, "Cookie": cookie} if server == "crm" else headers
                wrk(ports[server], path, sent, args.warmup, args.threads, args.connections)
                rate, bad = wrk(ports[server], path, sent, args.duration, args.threads, args.connections)
                best[label] = max(best.get(label, (0, 0)), (rate, bad))
        print(f"{'page':<44} {'req/s':>9} {'share':>7}  non-2xx/3xx")
        base = best[PAGES[0][0]][0]
        for label, *_rest in PAGES:
            rate, bad = best[label]
            print(f"{label:<44} {rate:>9,.0f} {rate / base:>7.3f}  {bad}", flush=True)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
