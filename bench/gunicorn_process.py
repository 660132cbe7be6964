"""gunicorn started, awaited and stopped by a benchmark, and wrk driving it (load_test, board, request_floor)."""

import os
import re
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment(**settings: str) -> dict:
    """This process's environment without the app's or gunicorn's own settings, plus the ones given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "GUNICORN_"))}
    env.update(settings)
    return env


class GunicornProcess:
    def __init__(self, argv: list[str], *, cwd: Path, env: dict, log_path: Path):
        self.log_path = log_path
        self.log_file = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=self.log_file, stderr=subprocess.STDOUT)

    def wait_until(self, answers: Callable[[], bool], timeout: float = 60) -> None:
        """Poll until `answers()` is true; a connection refused while gunicorn boots counts as not yet."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited early; see {self.log_path}")
            try:
                if answers():
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not become ready in {timeout} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def wrk(port: int, path: str, headers: dict, seconds: float, threads: int = 2, connections: int = 16) -> tuple[float, int, str]:
    """Requests per second, the count of non-2xx/3xx answers, and wrk's whole report."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                            check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rate, int(bad.group(1)) if bad else 0, output
