"""Phone-sized screenshots of the main pages, in Spanish and English, for a look by eye.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:5000 test-artifacts/screens

Needs a running server with the demo data (`make run`) and the system Chromium.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
PAGES = [("home", "/"), ("preferences", "/account"), ("users", "/admin/users"), ("invite", "/admin/users/invite"),
         ("audit", "/admin/audit"), ("password", "/account/password"), ("notfound", "/no-such-page"),
         ("tasks", "/tasks"), ("interaction-new", "/interactions/new"), ("campaigns", "/campaigns")]
# Pages whose first <details> (filters, more tasks) is opened before the screenshot.
OPENED = [("directory", "/legislators?district=Lima"), ("whip", "/campaigns/1/whip")]


def main(base: str, out: Path) -> None:
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
            page.fill("input[name=password]", "cabildeo-demo-2026")
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


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
