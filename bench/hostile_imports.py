"""Each hostile input of tests/legislature/fixtures ends with one clear error, in bounded memory and time.

Run: .venv/bin/python bench/hostile_imports.py — each case runs in a fresh subprocess that reports its peak
memory (ru_maxrss) and wall time. The test suite runs the same check (tests/legislature/test_import_hostile.py).
"""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "legislature" / "fixtures"
CASES = {
    "deep JSON nesting": ("popolo", "hostile_deep.json", {}),
    "seats 10^30": ("popolo", "hostile_seats.json", {"country": "PE"}),
    "100,000-digit number": ("popolo", "hostile_number.json", {}),
    "CSV field of 200 KB": ("csv", "hostile_field.csv", {"country": "PE", "legislature": "X", "seats": 5}),
    "YAML billion laughs": ("congress-legislators", "hostile_laughs.yaml", {}),
}
CHILD = """
import json, resource, sys, time
start = time.monotonic()
from crm import create_app
from config import TestingConfig
from crm.extensions import db
from crm.legislature.importers import ImportFailed, jobs
fmt, path, options = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
app = create_app(TestingConfig)
with app.app_context():
    db.create_all()
    try:
        report = jobs.apply_all(fmt, {"main": open(path, encoding="utf-8").read()}, options)
        message = "; ".join(p["message"] for p in report["problems"] if p["severity"] == "error")
    except ImportFailed as error:
        message = str(error)
print(json.dumps({"message": message, "seconds": time.monotonic() - start, "peak_mb": peak_mb()}))
"""
# ru_maxrss survives fork and exec, so a child of a large process (pytest late in the suite) would report its
# parent's size; VmHWM belongs to the address space this interpreter got at exec.
PEAK = """
def peak_mb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""


def measure(fmt: str, name: str, options: dict) -> dict:
    # The address space is capped at 1 GB, so a runaway parse fails here instead of swapping the machine.
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (1024 ** 3, 1024 ** 3))

    began = time.monotonic()
    out = subprocess.run([sys.executable, "-c", PEAK + CHILD, fmt, str(FIXTURES / name), json.dumps(options)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, preexec_fn=cap, check=False)
    if out.returncode:
        return {"message": out.stderr.strip().splitlines()[-1:], "seconds": time.monotonic() - began, "peak_mb": None}
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    for label, (fmt, name, options) in CASES.items():
        result = measure(fmt, name, options)
        print(f"{label:24} {result['peak_mb']:7.1f} MB {result['seconds']:6.2f} s  {result['message']}")
