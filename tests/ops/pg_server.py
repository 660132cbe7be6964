"""A throwaway PostgreSQL server of our own, which a test (or bench/faults.py) may restart at will.

The suite's shared server must not be restarted under other tests, so fault tests start their own with
scripts/postgres.sh (as the `postgres` user when run as root, since PostgreSQL refuses to run as root).
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    return found[-1] if found else None


def available() -> bool:
    return _bin() is not None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="cabildeo-faults-pg."))
        self.port = _free_port()
        self.url = ""

    def _as_owner(self, *command) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)

    def start(self) -> str:
        done = subprocess.run(["bash", str(ROOT / "scripts" / "postgres.sh"), "start", str(self.dir), str(self.port)],
                              capture_output=True, text=True, timeout=120, check=True)
        self.url = done.stdout.strip().splitlines()[-1]
        return self.url

    def _pg_ctl(self, *args) -> None:
        subprocess.run(self._as_owner(f"{_bin()}/pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "server.log"),
                                      "-w", "-t", "60", *args), capture_output=True, text=True, timeout=120, check=True)

    def restart(self, down_seconds: float = 0) -> None:
        """A fast restart: every connection is cut, as on a failover or a package upgrade. With `down_seconds`
        the server stays down that long (clients meet refused connections, not just broken ones)."""
        if not down_seconds:
            self._pg_ctl("-m", "fast", "restart")
            return
        self._pg_ctl("-m", "fast", "stop")
        time.sleep(down_seconds)
        self._pg_ctl("-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                     "start")

    def stop(self) -> None:
        subprocess.run(["bash", str(ROOT / "scripts" / "postgres.sh"), "stop", str(self.dir)],
                       capture_output=True, text=True, timeout=120, check=False)
        shutil.rmtree(self.dir, ignore_errors=True)
