"""Only local paths are accepted as the place to go after login."""

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str = "/") -> str:
    if not target or len(target) > 2000:
        return default
    if any(ord(c) < 32 or c == "\\" for c in target):
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
