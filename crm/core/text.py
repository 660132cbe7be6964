"""Text helpers: accent-insensitive keys and safe rendering of user notes."""

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from markupsafe import Markup, escape

_URL = re.compile(r"(https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]])")


@lru_cache(maxsize=4096)
def _plain(char: str) -> str:
    """A Latin letter's plain form from the anyascii tables (ø -> o, ł -> l, þ -> th); other scripts stay."""
    if unicodedata.combining(char):
        return ""
    if unicodedata.name(char, "").startswith("LATIN"):
        return anyascii(char)
    return char


def fold(value: str | None) -> str:
    """Lowercase, strip accents, plain Latin letters, collapse spaces: "Verónika  MENDOZA" -> "veronika mendoza",
    "Bjørnø" -> "bjorno". Stored search keys and typed queries both go through here, so they always agree."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value)
    if not decomposed.isascii():
        decomposed = "".join(c if c.isascii() else _plain(c) for c in decomposed)
    return " ".join(decomposed.casefold().split())


def linkify_plain(text: str | None) -> Markup:
    """Escape everything a user typed, then turn URLs into links and newlines into <br>."""
    if not text:
        return Markup("")
    parts = []
    for i, piece in enumerate(_URL.split(text)):
        if i % 2:
            href = escape(piece)
            parts.append(Markup('<a href="{0}" rel="noopener noreferrer nofollow" target="_blank">{0}</a>').format(href))
        else:
            parts.append(escape(piece))
    return Markup("".join(parts)).replace("\n", Markup("<br>\n"))


def neutralise_cell(value):
    """Stop spreadsheet formula injection in exported cells."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
