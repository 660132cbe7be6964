"""Screenshots of Cabildeo from the demo data, in two modes.

A look by eye: phone-sized screenshots of the main pages, in Spanish and English.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:5000 test-artifacts/screens

The README's pictures: the director's home page and the whip page on a 1366 px desktop, and the quick log on a
375 px phone, in Spanish, written to docs/screenshots/.

    .venv/bin/python scripts/screenshots.py --docs [URL]

Without a URL it starts its own demo: `flask crm setup` in a temporary instance folder and a server on a free
port, both removed afterwards. Needs the system Chromium; a given URL must serve the demo data (`make run`).
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "screenshots"
PASSWORD = "cabildeo-demo-2026"  # noqa: S105 - the demo's published password (crm/demo.py)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
PAGES = [("home", "/"), ("preferences", "/account"), ("users", "/admin/users"), ("invite", "/admin/users/invite"),
         ("audit", "/admin/audit"), ("password", "/account/password"), ("notfound", "/no-such-page"),
         ("tasks", "/tasks"), ("interaction-new", "/interactions/new"), ("campaigns", "/campaigns")]
# Pages whose first <details> (filters, more tasks) is opened before the screenshot.
OPENED = [("directory", "/legislators?district=Lima"), ("whip", "/campaigns/1/whip")]
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def _search_mavila(page) -> None:
    # Rosa Mavila sat in the 2011-2016 Congress, outside the picker's default scope (the current legislature).
    page.select_option("#picker-legislature", "all")
    page.fill("#legislator-search", "mavila")
    page.wait_for_selector("#legislator-results a, #legislator-results button")


# The README's pictures: (file, who signs in, page, screen, what to do before the shot). Only what fits on one
# screen, to keep the files small.
README_SHOTS = [
    ("inicio.png", "directora@cabildeo.demo", "/", DESKTOP, None),
    ("recuento.png", "directora@cabildeo.demo", "/campaigns/1/whip", DESKTOP, None),
    ("registro-rapido.png", "oficial@cabildeo.demo", "/log", PHONE, _search_mavila),
]


def _log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def look(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for language in ("es_PE", "en"):
            context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
            page = context.new_page()
            page.goto(f"{base}/login")
            if language == "en":
                page.get_by_role("button", name="English").click()
            page.screenshot(path=out / f"login-{language}.png", full_page=True)
            page.fill("input[name=email]", "admin@cabildeo.demo")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            if language == "en":
                page.get_by_role("button", name="English").click()
                page.wait_for_load_state()
            for name, path in PAGES:
                page.goto(base + path)
                page.screenshot(path=out / f"{name}-{language}.png", full_page=True)
            for name, path in OPENED:
                page.goto(base + path)
                page.eval_on_selector("details", "element => element.open = true")
                page.screenshot(path=out / f"{name}-{language}.png", full_page=True)
            page.goto(base + "/")
            page.get_by_role("button", name="Abrir menú" if language == "es_PE" else "Open menu").click()
            page.wait_for_timeout(400)
            page.screenshot(path=out / f"menu-{language}.png", full_page=True)
            if language == "en":  # leave the demo admin in Spanish
                page.goto(base + "/")
                page.get_by_role("button", name="Español").click()
            context.close()
        browser.close()


def readme(base: str, out: Path = DOCS) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, email, path, screen, prepare in README_SHOTS:
            context = browser.new_context(locale="es-PE", timezone_id="America/Lima", **screen)
            page = context.new_page()
            _log_in(page, base, email)
            page.goto(base + path)
            if prepare:
                prepare(page)
            page.wait_for_load_state("networkidle")  # charts and fragments the page loads after it opens
            page.wait_for_timeout(600)  # let the charts finish their opening animation
            target = out / name
            target.write_bytes(_smaller_png(page.screenshot(full_page=False, animations="disabled")))
            print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")
            context.close()
        browser.close()


def _smaller_png(data: bytes) -> bytes:
    """The same pixels, recompressed at zlib's best level; text chunks dropped."""
    signature, chunks, at = data[:8], [], 8
    while at < len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        chunks.append((kind, body))
        at += 12 + length
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    kept = [(kind, body) for kind, body in chunks if kind in (b"IHDR", b"PLTE", b"tRNS")]
    kept += [(b"IDAT", zlib.compress(pixels, 9)), (b"IEND", b"")]
    return signature + b"".join(
        len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big") for kind, body in kept
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def demo_server():
    """A throwaway demo: its own instance folder, database and port, all gone afterwards."""
    flask = Path(sys.executable).with_name("flask")
    with tempfile.TemporaryDirectory(prefix="cabildeo-shots-") as instance:
        env = {**os.environ, "CRM_INSTANCE_DIR": instance, "FLASK_APP": "wsgi:app", "CRM_ENV": "development"}
        env.pop("DATABASE_URL", None)
        subprocess.run([flask, "crm", "setup"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(  # noqa: S603
            [flask, "run", "--port", str(port), "--no-reload", "--no-debugger"], cwd=ROOT,
            env={**env, "CRM_BASE_URL": base}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(base, server)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_for(base: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the demo server stopped at start-up (exit code {server.returncode})")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 - our own loopback server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the demo server did not answer on {base} within {seconds:.0f} s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", action="store_true", help="regenerate the README's screenshots in docs/screenshots/")
    parser.add_argument("url", nargs="?", help="a server with the demo data; without it a demo server is started")
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "test-artifacts" / "screens",
                        help="folder for the phone screenshots (not with --docs)")
    args = parser.parse_args(argv)
    shoot = readme if args.docs else (lambda base: look(base, args.out))
    if args.url:
        shoot(args.url.rstrip("/"))
    else:
        with demo_server() as base:
            shoot(base)


if __name__ == "__main__":
    main()
