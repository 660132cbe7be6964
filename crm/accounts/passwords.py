"""Password policy: long enough, not too long to hash, and not a well-known password."""

import re
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 256
# Digits and symbols people put around a common word: "Password2026!" is still "password".
_DECORATION = re.compile(r"^[\d\W_]+|[\d\W_]+$")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, email: str | None = None):
    """The reason a password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _l("La contraseña debe tener al menos %(n)s caracteres.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("La contraseña no puede tener más de %(n)s caracteres.", n=MAX_LENGTH)
    folded = password.casefold()
    common = common_passwords()
    core = _DECORATION.sub("", folded)
    if folded in common or core in common or len(set(folded)) < 4:
        return _l("Esa contraseña es demasiado común. Elija otra.")
    if email and folded == email.casefold():
        return _l("La contraseña no puede ser su correo.")
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    cache = current_app.extensions.setdefault("crm_dummy_password_hash", {})
    if method not in cache:
        cache[method] = generate_password_hash("not a real password", method=method)
    return cache[method]


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check, so answers do not reveal which emails have accounts.
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)
