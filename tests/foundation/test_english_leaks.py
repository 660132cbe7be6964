"""Every main page, read in English, shows no Spanish catalogue string: a missed translation or a label
written outside gettext shows up here by name."""

import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

from crm.demo import load_demo
from crm.extensions import db
from tests.conftest import login
from tests.foundation.test_counts_pages import PAGES, _ids

ROOT = Path(__file__).resolve().parents[2]
# Words the language switch shows in their own language on purpose, and data the demo writes in Spanish.
ALLOWED = {"Español"}
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


def _spanish_strings() -> set[str]:
    """Spanish msgids whose English text differs: seeing one of them on an English page is a leak."""
    with (ROOT / "translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    found = set()
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if "%" not in msgid and len(msgid) >= 4 and msgid not in strings and re.search(r"[a-záéíóúñ]", msgid):
                found.add(msgid)
    return found - ALLOWED


class _Shown(HTMLParser):
    """The text a reader sees: text nodes (outside script and style) and the attributes read aloud."""

    def __init__(self):
        super().__init__()
        self.pieces, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.pieces += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip:
            self.pieces.append(data)


def _shown(html: str) -> set[str]:
    parser = _Shown()
    parser.feed(html)
    return {" ".join(piece.split()).strip(" ·:") for piece in parser.pieces} - {""}


def test_no_spanish_catalogue_string_leaks_into_an_english_page(client):
    context = load_demo(progress=lambda *_: None)
    users = context["users"]
    for user in users.values():
        user.language = "en"
    db.session.commit()
    ids = _ids(context)
    spanish = _spanish_strings()
    leaks = {}
    for who, template, _expected in PAGES:
        if template.endswith((".json", ".csv")):
            continue
        login(client, users[who])
        path = template.format(**ids)
        response = client.get(path)
        assert response.status_code == 200, (who, path)
        leaked = sorted(_shown(response.get_data(as_text=True)) & spanish)
        if leaked:
            leaks[path] = leaked
    assert not leaks, f"Spanish strings on English pages: {leaks}"
