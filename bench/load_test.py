"""Load test: gunicorn on PostgreSQL with the 7,386-legislator data set, driven by logged-in sessions.

    .venv/bin/python bench/load_test.py                      # the PostgreSQL server on 127.0.0.1:5433
    .venv/bin/python bench/load_test.py --own-postgres       # start a throwaway server (scripts/postgres.sh)
    .venv/bin/python bench/load_test.py --database-url postgresql+psycopg://postgres@127.0.0.1:5433/cabildeo_bench

What it does, all on 127.0.0.1:
1. Creates (or reuses) the database `cabildeo_bench`: one legislature with 99 chambers holding 7,386
   legislators (shaped like all US state legislatures; the campaign's stages vote in a 400-seat and a
   40-seat chamber), parliamentary groups, seat and group memberships, a campaign with two vote stages and
   stances for every legislator, officers with a known password, and open tasks for each of them.
2. Starts gunicorn (`gunicorn -c gunicorn.conf.py wsgi:app`, CRM_ENV=production) with 1 worker, then
   with 2 workers; for each it logs N sessions in and drives them from this process (a client thread
   per session), mixing page reads with interaction logging (form GET for the CSRF token, then POST).
3. Each run is bounded by --duration seconds and --max-requests; the script always stops by itself.
   Meetings logged by earlier invocations are removed first, so every invocation starts from the same data.

It prints requests per second, p50/p95/p99 latency and errors per run (every status >= 400, every
connection failure, and every POST not answered by a redirect, grouped and printed), then the
throughput ratio of 2 workers to 1 worker (target >= 1.6 on 2 cores) and p95 at 16 clients with the
most workers (target < 250 ms). The exit status is 0 only when there are no errors and both targets hold.

The domain pages are configured below; change them here if their URLs move.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from gunicorn_process import GunicornProcess, clean_environment, free_port

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# --- What the sessions do: edit here when page URLs change ------------------------------------------
# Reads: (weight, path). {campaign_id} is the bench campaign, {legislator_id} a random legislator.
READS = [
    (30, "/campaigns/{campaign_id}/whip"),
    (30, "/legislators"),
    (25, "/tasks"),
]
# Writes: (weight, form page to GET for the CSRF token, path to POST). Success is a redirect (302/303).
WRITES = [
    (15, "/interactions/new", "/interactions/new"),
]


# Marks the meetings the load test logs, so the next run can remove them and start from the same data.
LOAD_TEST_NOTE = "Reunión de seguimiento (prueba de carga)."


def write_fields(ids: dict, user_id: int, rng: random.Random) -> list[tuple[str, str]]:
    """The fields an officer submits when logging a meeting with one legislator."""
    when = datetime.now(UTC) - timedelta(hours=rng.randint(1, 72)) - timedelta(hours=5)  # America/Lima
    return [
        ("kind", "meeting"),
        ("starts_at", when.strftime("%Y-%m-%dT%H:%M")),
        ("duration_minutes", "30"),
        ("place", "Oficina del congresista"),
        ("campaign_id", str(ids["campaign_id"])),
        ("legislator_ids", str(rng.choice(ids["legislator_ids"]))),
        ("staff_ids", str(user_id)),
        ("notes", LOAD_TEST_NOTE),
        ("outcome", "Pidió el informe técnico."),
    ]


# --- Data set ------------------------------------------------------------------------------------------
LEGISLATORS = 7386
# Shaped like all US state legislatures: 99 chambers, the largest with 400 seats (New Hampshire's House).
LARGEST_CHAMBER, CAMPAIGN_SENATE, OTHER_CHAMBERS = 400, 40, 97


def chamber_sizes() -> list[tuple[str, int]]:
    rest = LEGISLATORS - LARGEST_CHAMBER - CAMPAIGN_SENATE
    base, extra = divmod(rest, OTHER_CHAMBERS)
    sizes = [("Cámara de Representantes (sintética)", LARGEST_CHAMBER), ("Senado (sintético)", CAMPAIGN_SENATE)]
    sizes += [(f"Cámara estatal {n + 1} (sintética)", base + (1 if n < extra else 0)) for n in range(OTHER_CHAMBERS)]
    return sizes
GROUPS = ("Alianza Verde", "Bloque Popular", "Frente Andino", "Partido Liberal", "Unión Regional", "Independientes")
LEVELS = ("champion", "supporter", "leaning_yes", "undecided", "leaning_no", "opposed", "hard_opposed", "unknown")
OFFICERS = 24
PASSWORD = "bench-password-2026"
TASKS_PER_OFFICER = 25
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5433/cabildeo_bench"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def log(message: str) -> None:
    print(message, flush=True)


def _engine_app(url: str):
    from config import Config
    from crm import create_app

    return create_app(Config(SQLALCHEMY_DATABASE_URI=url, ACCESS_LOG=False, PASSWORD_HASH_METHOD="scrypt"))


def schema_is_current(url: str) -> bool:
    """True when every table and column of the current models exists (a data set built by an older
    release of the code is rebuilt rather than served with missing columns)."""
    from sqlalchemy import create_engine, inspect

    import crm.models  # noqa: F401
    from crm.extensions import db

    engine = create_engine(url)
    try:
        inspector = inspect(engine)
        tables = set(inspector.get_table_names())
        for table in db.metadata.sorted_tables:
            if table.name not in tables:
                return False
            columns = {column["name"] for column in inspector.get_columns(table.name)}
            if not {column.name for column in table.columns} <= columns:
                return False
        return True
    finally:
        engine.dispose()


def ensure_database(url: str, rebuild: bool) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not rebuild and parsed.database.startswith("cabildeo_bench"):
        try:
            rebuild = not schema_is_current(url)
        except Exception:  # noqa: BLE001 - the database does not exist yet: it is created below
            rebuild = False
        if rebuild:
            log("  the bench database was built for another version of the schema; rebuilding it")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).first()
        if exists and rebuild:
            if not parsed.database.startswith("cabildeo_bench"):
                raise SystemExit(f"--rebuild only drops databases named cabildeo_bench*, not {parsed.database}")
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                               {"n": parsed.database})
            connection.execute(text(f'DROP DATABASE "{parsed.database}"'))
            exists = None
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def _forget_earlier_runs() -> None:
    """Remove the meetings earlier runs logged: each run then starts from the same data and compares fairly."""
    from sqlalchemy import delete, text

    from crm.extensions import db
    from crm.outreach.models import Interaction

    removed = db.session.execute(delete(Interaction).where(Interaction.notes == LOAD_TEST_NOTE)).rowcount
    db.session.commit()
    if removed:
        # Vacuum now, so autovacuum does not clean up the deleted rows in the middle of a measured run.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE interactions, interaction_legislators, interaction_staff, audit_entries"))
        log(f"  removed {removed:,} meetings logged by earlier runs, so this run starts from the built data set")


def build_data_set(url: str) -> dict:
    """Create the data set once; later runs find it and reuse it."""
    from sqlalchemy import func, select, text

    from crm.accounts.models import User
    from crm.campaigns.models import Campaign, StanceAssessment
    from crm.extensions import db
    from crm.legislature.models import Legislator

    app = _engine_app(url)
    with app.app_context():
        db.create_all()
        campaign = db.session.execute(select(Campaign).where(Campaign.name == "Bench: Ley de prueba")).scalar_one_or_none()
        count = db.session.execute(select(func.count(Legislator.id))).scalar_one()
        if campaign is None or count != LEGISLATORS:
            if count:
                raise SystemExit("The bench database holds other data; run again with --rebuild.")
            started = time.perf_counter()
            _generate()
            # Fresh tables have no planner statistics until autovacuum gets to them; measure with them.
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            log(f"  data set built in {time.perf_counter() - started:.1f} s")
            campaign = db.session.execute(select(Campaign).where(Campaign.name == "Bench: Ley de prueba")).scalar_one()
        _forget_earlier_runs()
        users = db.session.execute(
            select(User.id, User.email).where(User.email.like("bench-officer-%")).order_by(User.id)).all()
        ids = {
            "campaign_id": campaign.id,
            "legislator_ids": db.session.execute(select(Legislator.id)).scalars().all(),
            "users": [(row.id, row.email) for row in users],
            "stances": db.session.execute(select(func.count(StanceAssessment.id))).scalar_one(),
        }
        db.session.remove()
        db.engine.dispose()
    return ids


def _generate() -> None:
    from sqlalchemy import insert, select

    from crm.accounts import operations as accounts
    from crm.campaigns.models import Campaign, StanceAssessment, VoteStage
    from crm.extensions import db
    from crm.legislature.models import Chamber, Group, GroupMembership, Legislator, Legislature, SeatMembership
    from crm.outreach.models import Task

    rng = random.Random(7386)
    now = datetime.now(UTC)
    legislature = Legislature(name="Legislaturas estatales (sintético)", country="US", period_label="2025-2027",
                              start_date=date(2025, 1, 1))
    db.session.add(legislature)
    db.session.flush()
    chambers = []
    for name, seats in chamber_sizes():
        chamber = Chamber(legislature_id=legislature.id, name=name, seats=seats)
        db.session.add(chamber)
        chambers.append(chamber)
    groups = [Group(legislature_id=legislature.id, kind="bancada", name=name, abbreviation=name[:3].upper())
              for name in GROUPS]
    db.session.add_all(groups)
    db.session.flush()
    officers = []
    for n in range(OFFICERS):
        officers.append(accounts.create_user(email=f"bench-officer-{n:02d}@cabildeo.bench", name=f"Oficial {n:02d}",
                                             role="officer", password=PASSWORD))
    director = accounts.create_user(email="bench-director@cabildeo.bench", name="Directora", role="director",
                                    password=PASSWORD)
    db.session.flush()
    given = ("Ana", "Luis", "María", "José", "Rosa", "Jorge", "Lucía", "Carlos", "Elena", "Raúl", "Sofía", "Tomás")
    family = ("García", "Rodríguez", "Quispe", "Mamani", "Flores", "Sánchez", "Núñez", "Torres", "Ramírez", "Vargas")
    rows = []
    for n in range(LEGISLATORS):
        first, last = rng.choice(given), f"{rng.choice(family)} {rng.choice(family)}"
        rows.append({
            "full_name": f"{first} {last} {n}", "given_name": first, "family_name": last,
            "sort_name": f"{last}, {first} {n:04d}", "search_name": f"{last} {first} {n}".lower(),
            "gender": rng.choice(("female", "male")), "district": f"Distrito {n % 400 + 1}",
            "email": f"legislador{n}@example.org", "is_demo": True, "created_at": now,
        })
    db.session.execute(insert(Legislator), rows)
    legislator_ids = db.session.execute(select(Legislator.id).order_by(Legislator.id)).scalars().all()
    seats, members, stances = [], [], []
    chamber_of = [chamber for chamber, (_name, size) in zip(chambers, chamber_sizes(), strict=True) for _ in range(size)]
    campaign = Campaign(name="Bench: Ley de prueba", bill_number="PL 7386/2026", legislature_id=legislature.id,
                        status="active", created_at=now, is_demo=True)
    db.session.add(campaign)
    db.session.flush()
    db.session.add_all([
        VoteStage(campaign_id=campaign.id, position=1, name="Pleno de la Cámara", chamber_id=chambers[0].id,
                  rule_kind="absolute_majority"),
        VoteStage(campaign_id=campaign.id, position=2, name="Pleno del Senado", chamber_id=chambers[1].id,
                  rule_kind="simple_majority", expected_attendance_pct=90),
    ])
    for index, legislator_id in enumerate(legislator_ids):
        chamber = chamber_of[index]
        seats.append({"legislator_id": legislator_id, "chamber_id": chamber.id, "district": f"Distrito {index % 400 + 1}",
                      "start_date": date(2025, 1, 1)})
        members.append({"legislator_id": legislator_id, "group_id": rng.choice(groups).id, "start_date": date(2025, 1, 1)})
        for step in range(rng.choice((1, 2, 2, 3))):
            stances.append({
                "campaign_id": campaign.id, "legislator_id": legislator_id, "level": rng.choice(LEVELS),
                "commitment": rng.choice(("public", "written", "private", "inferred")), "confidence": 60,
                "assessed_by_id": rng.choice(officers).id, "is_demo": True,
                "assessed_at": now - timedelta(days=90 - 30 * step, minutes=rng.randint(0, 1440)),
            })
    db.session.execute(insert(SeatMembership), seats)
    db.session.execute(insert(GroupMembership), members)
    for start in range(0, len(stances), 5000):
        db.session.execute(insert(StanceAssessment), stances[start:start + 5000])
    tasks = []
    for officer in officers:
        for n in range(TASKS_PER_OFFICER):
            tasks.append({
                "title": f"Enviar informe al despacho {n}", "due_at": now + timedelta(days=rng.randint(-5, 20)),
                "priority": rng.choice(("low", "normal", "high")), "status": "open", "assignee_id": officer.id,
                "legislator_id": rng.choice(legislator_ids), "campaign_id": campaign.id,
                "created_by_id": director.id, "created_at": now, "is_demo": True,
            })
    db.session.execute(insert(Task), tasks)
    db.session.commit()


# --- gunicorn --------------------------------------------------------------------------------------------


class Server(GunicornProcess):
    """gunicorn with the repository's configuration, in production mode, on a loopback port."""

    def __init__(self, url: str, workers: int, log_dir: Path):
        self.port = free_port()
        self.workers = workers
        env = clean_environment(
            CRM_ENV="production", SECRET_KEY=secrets.token_hex(32), TRUSTED_HOSTS="127.0.0.1",
            DATABASE_URL=url, CRM_PROXY_HOPS="1", CRM_INSTANCE_DIR=str(log_dir / "instance"),
            GUNICORN_BIND=f"127.0.0.1:{self.port}", GUNICORN_WORKERS=str(workers), GUNICORN_MAX_REQUESTS="0",
        )
        super().__init__([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                         cwd=ROOT, env=env, log_path=log_dir / f"gunicorn-{workers}w.log")

    def wait_ready(self, timeout: float = 60) -> None:
        self.wait_until(lambda: request("GET", self.port, "/healthz", {}, timeout=2)[0] == 200, timeout)


# --- HTTP client with cookies (no third-party packages) -------------------------------------------------

# The reverse proxy's headers: the app is told it is reached over HTTPS (CRM_PROXY_HOPS=1).
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1", "X-Forwarded-Host": "127.0.0.1"}


def request(method: str, port: int, path: str, cookies: dict, body: str | None = None, timeout: float = 30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Host": "127.0.0.1", **PROXY_HEADERS}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Over HTTPS, Flask-WTF also checks that a form was posted from this same site, as browsers tell.
            headers["Referer"] = f"https://127.0.0.1{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "expires=thu, 01 jan 1970" in value.lower() or cookie_value == "":
                    cookies.pop(name.strip(), None)
                else:
                    cookies[name.strip()] = cookie_value
        return response.status, response.getheaders(), data
    finally:
        connection.close()


CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: bytes) -> str | None:
    match = CSRF.search(html)
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode()


class Session:
    def __init__(self, port: int, email: str, user_id: int):
        self.port, self.email, self.user_id = port, email, user_id
        self.cookies: dict = {}

    def login(self) -> None:
        status, _h, page = request("GET", self.port, "/login", self.cookies)
        token = csrf_token(page)
        if status != 200 or not token:
            raise SystemExit(f"GET /login answered {status} without a CSRF token")
        body = urlencode({"email": self.email, "password": PASSWORD, "csrf_token": token})
        status, _h, _page = request("POST", self.port, "/login", self.cookies, body)
        if status not in (302, 303):
            raise SystemExit(f"Logging in as {self.email} failed with status {status}")


# --- Driver --------------------------------------------------------------------------------------------


class Run:
    def __init__(self):
        self.latencies: list[float] = []
        self.by_label: dict[str, list[float]] = {}
        self.errors: Counter = Counter()
        self.lock = threading.Lock()
        self.count = 0

    def record(self, label: str, started: float, ok: bool, detail: str) -> None:
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies.append(elapsed)
            self.by_label.setdefault(label, []).append(elapsed)
            self.count += 1
            if not ok:
                self.errors[f"{label} -> {detail}"] += 1


def _pick(rng: random.Random):
    choices = [("read", weight, path) for weight, path in READS] + [("write", w, (form, post)) for w, form, post in WRITES]
    total = sum(weight for _k, weight, _p in choices)
    point = rng.uniform(0, total)
    for kind, weight, target in choices:
        point -= weight
        if point <= 0:
            return kind, target
    return choices[-1][0], choices[-1][2]


def client_loop(session: Session, ids: dict, run: Run, stop: threading.Event, budget: list, seed: int) -> None:
    rng = random.Random(seed)

    def timed(method, path, label, body=None, expect=(200,)):
        started = time.perf_counter()
        try:
            status, _h, data = request(method, session.port, path, session.cookies, body)
        except OSError as error:
            run.record(label, started, False, type(error).__name__)
            return None
        run.record(label, started, status in expect, str(status))
        return data if status in expect else None

    while not stop.is_set():
        with run.lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        kind, target = _pick(rng)
        values = {"campaign_id": ids["campaign_id"], "legislator_id": rng.choice(ids["legislator_ids"])}
        if kind == "read":
            timed("GET", target.format(**values), f"GET {target}")
            continue
        form_path, post_path = (t.format(**values) for t in target)
        page = timed("GET", form_path, f"GET {target[0]}")
        token = csrf_token(page) if page else None
        if token is None:
            continue
        body = urlencode([("csrf_token", token), *write_fields(ids, session.user_id, rng)])
        timed("POST", post_path, f"POST {target[1]}", body, expect=(302, 303))


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def drive(port: int, ids: dict, clients: int, duration: float, max_requests: int, warmup: int) -> dict:
    users = ids["users"]
    if len(users) < clients:
        raise SystemExit(f"Only {len(users)} bench users exist; use --clients {len(users)} or fewer.")
    sessions = [Session(port, email, user_id) for user_id, email in users[:clients]]
    for session in sessions:
        session.login()

    def phase(requests_allowed: int, seconds: float) -> tuple[Run, float]:
        run, stop, budget = Run(), threading.Event(), [requests_allowed]
        threads = [threading.Thread(target=client_loop, args=(s, ids, run, stop, budget, n), daemon=True)
                   for n, s in enumerate(sessions)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        deadline = started + seconds
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.perf_counter()))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        return run, time.perf_counter() - started

    phase(warmup, max(5.0, duration / 4))  # fill caches and connection pools; not measured
    run, elapsed = phase(max_requests, duration)
    return {
        "requests": run.count, "seconds": elapsed, "rps": run.count / elapsed if elapsed else 0.0,
        "p50": percentile(run.latencies, 0.50) * 1000, "p95": percentile(run.latencies, 0.95) * 1000,
        "p99": percentile(run.latencies, 0.99) * 1000,
        "mean": statistics.fmean(run.latencies) * 1000 if run.latencies else float("nan"),
        "errors": sum(run.errors.values()), "error_detail": run.errors,
        "by_label": {label: (len(values), percentile(values, 0.50) * 1000, percentile(values, 0.95) * 1000)
                     for label, values in sorted(run.by_label.items())},
    }


# --- Main ----------------------------------------------------------------------------------------------------


def measure(url: str, workers: int, ids: dict, args, log_dir: Path) -> dict:
    server = Server(url, workers, log_dir)
    try:
        server.wait_ready()
        log(f"\ngunicorn with {workers} worker(s) on 127.0.0.1:{server.port}, {args.clients} clients, "
            f"{args.duration:.0f} s or {args.max_requests} requests")
        return drive(server.port, ids, args.clients, args.duration, args.max_requests, args.warmup)
    finally:
        server.stop()


def report(workers: int, result: dict, round_number: int, rounds: int) -> None:
    if rounds > 1:
        log(f"  (round {round_number + 1} of {rounds})")
    log(f"  requests  {result['requests']:>7,} in {result['seconds']:.1f} s = {result['rps']:.1f} req/s")
    log(f"  latency   p50 {result['p50']:.1f} ms   p95 {result['p95']:.1f} ms   p99 {result['p99']:.1f} ms")
    for label, (count, p50, p95) in result["by_label"].items():
        log(f"            {label:<40} {count:>6} requests  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
    log(f"  errors    {result['errors']}")
    for detail, count in result["error_detail"].most_common():
        log(f"            {count:>6} x {detail}")


def own_postgres(port: int) -> tuple[str, callable]:
    directory = tempfile.mkdtemp(prefix="cabildeo-bench-pg.")
    url = subprocess.run(["bash", str(ROOT / "scripts/postgres.sh"), "start", directory, str(port)], check=True,
                         capture_output=True, text=True).stdout.strip()

    def stop():
        subprocess.run(["bash", str(ROOT / "scripts/postgres.sh"), "stop", directory], check=False)
        shutil.rmtree(directory, ignore_errors=True)

    return url.rsplit("/", 1)[0] + "/cabildeo_bench", stop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--own-postgres", action="store_true", help="start a throwaway PostgreSQL server")
    parser.add_argument("--own-postgres-port", type=int, default=55439)
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the bench database")
    parser.add_argument("--workers", default="1,2", help="gunicorn worker counts to compare (default 1,2)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent logged-in sessions (default 16)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per measured run (default 20)")
    parser.add_argument("--max-requests", type=int, default=4000, help="request cap per measured run")
    parser.add_argument("--warmup", type=int, default=200, help="requests before measuring (not counted)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds over the worker counts, alternating (default 1)")
    args = parser.parse_args()

    from sqlalchemy.engine import make_url

    stop_postgres = None
    url = args.database_url
    if args.own_postgres:
        url, stop_postgres = own_postgres(args.own_postgres_port)
    if make_url(url).get_backend_name() != "postgresql" or (make_url(url).host or "127.0.0.1") not in LOCAL_HOSTS:
        raise SystemExit("The load test only runs against PostgreSQL on 127.0.0.1.")
    log_dir = ROOT / "bench" / "results"
    log_dir.mkdir(parents=True, exist_ok=True)
    results = {}
    try:
        log(f"Database: {make_url(url).render_as_string(hide_password=True)}")
        ensure_database(url, args.rebuild)
        ids = build_data_set(url)
        log(f"Data set: {len(ids['legislator_ids']):,} legislators, {ids['stances']:,} stance assessments, "
            f"{len(ids['users'])} officers; campaign {ids['campaign_id']}")
        log(f"Mix: reads {READS}; writes {WRITES}")
        load = os.getloadavg()[0]
        if load > (os.cpu_count() or 1) * 0.5:
            log(f"WARNING: load average {load:.1f} on {os.cpu_count()} cores before starting: other processes "
                "are using the CPU, so throughput and latency figures will be low and noisy.")
        # Alternate the worker counts (1, 2, 1, 2, ...) so a change in background load hits both alike.
        for round_number in range(args.repeat):
            for workers in [int(w) for w in args.workers.split(",")]:
                result = measure(url, workers, ids, args, log_dir)
                results.setdefault(workers, []).append(result)
                report(workers, result, round_number, args.repeat)
    finally:
        if stop_postgres:
            stop_postgres()

    log("\nSummary")
    ok = True
    errors = sum(r["errors"] for runs in results.values() for r in runs)
    log(f"  error count: {errors} (must be 0) -> {'PASS' if errors == 0 else 'FAIL'}")
    ok &= errors == 0
    rps = {workers: statistics.fmean(r["rps"] for r in runs) for workers, runs in results.items()}
    for workers, runs in sorted(results.items()):
        log(f"  {workers} worker(s): {rps[workers]:.1f} req/s"
            + (f" (mean of {len(runs)} runs)" if len(runs) > 1 else ""))
    if 1 in rps and 2 in rps and rps[1]:
        ratio = rps[2] / rps[1]
        verdict = "PASS" if ratio >= 1.6 else "FAIL"
        log(f"  throughput 2 workers / 1 worker: {ratio:.2f} (target >= 1.6 on {os.cpu_count()} cores) -> {verdict}")
        ok &= ratio >= 1.6
    most = max(results)
    p95 = max(r["p95"] for r in results[most])
    log(f"  p95 at {args.clients} clients with {most} worker(s): {p95:.1f} ms (target < 250 ms) -> "
        f"{'PASS' if p95 < 250 else 'FAIL'}")
    ok &= p95 < 250
    log(f"  gunicorn logs: {log_dir}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
