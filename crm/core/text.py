"""Text helpers: accent-insensitive keys and safe rendering of user notes."""

import re
import unicodedata

from markupsafe import Markup, escape

_URL = re.compile(r"(https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]])")


def fold(value: str | None) -> str:
    """Lowercase, strip accents and collapse spaces: "Verónika  MENDOZA" -> "veronika mendoza"."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


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
