"""Password policy: long enough, not too long to hash, and hard to guess.

Strength comes from zxcvbn (pinned in requirements.txt): it knows the 30,000 most used passwords, common
words and names, keyboard walks (`qazwsxedcrfv`), repeats (`123412341234`), sequences and dates, and it
scores a password by how many guesses it would take. Its own feedback is English only, so the reason
shown to the user is ours, chosen from the pattern that made the password weak, in both languages.
"""

import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn scores 0 (too guessable) to 4 (very unguessable); 3 resists an offline attack on a slow hash.
MIN_SCORE = 3
# zxcvbn refuses longer input; the first 72 characters of a long passphrase say enough about it.
ESTIMATED_LENGTH = 72
# Words anyone attacking this organisation would try first, besides the person's own email and name.
SITE_WORDS = ("contraseña", "contrasena", "clave", "congreso", "congresista", "peru", "perú", "lima")
# Digits and symbols people put around a common word: "Password2026!" is still "password".
_DECORATION = re.compile(r"^[\d\W_]+|[\d\W_]+$")

_REASONS = {
    "spatial": _l("Las filas y dibujos del teclado (como «qazwsx» o «asdfgh») son de lo primero que se prueba."),
    "repeat": _l("Repetir caracteres o grupos (como «aaaa» o «1234 1234») apenas la hace más difícil."),
    "sequence": _l("Las secuencias como «abcd» o «6543» se adivinan enseguida."),
    "date": _l("Las fechas y los años se adivinan con facilidad."),
    "regex": _l("Las fechas y los años se adivinan con facilidad."),
    "user_inputs": _l("No use su correo, su nombre ni palabras como «contraseña» o «congreso»."),
    "dictionary": _l("Está entre las contraseñas o palabras más usadas."),
    "short": _l("Es una palabra con números o signos alrededor, lo primero que prueba un programa que adivina."),
}


def _estimate(password: str, hints: list[str]) -> dict:
    return zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=hints, max_length=ESTIMATED_LENGTH)


def _hints(email: str | None, name: str | None) -> list[str]:
    """Words a guesser would try for this person. The email's domain is left out: everyone shares it."""
    hints = list(SITE_WORDS)
    for value in ((email or "").partition("@")[0], name):
        if value:
            hints.append(value.casefold())
            hints.extend(part for part in re.split(r"[\W_]+", value.casefold()) if len(part) >= 3)
    return hints


def _reason(result: dict):
    """Our translated explanation of the weakest pattern zxcvbn found."""
    matches = sorted(result["sequence"], key=lambda m: len(m["token"]), reverse=True)
    if any(m.get("dictionary_name") == "user_inputs" for m in matches):
        return _REASONS["user_inputs"]
    for match in matches:
        if match["pattern"] in _REASONS:
            return _REASONS[match["pattern"]]
    return _REASONS["short"]


def password_problem(password: str, email: str | None = None, name: str | None = None):
    """The reason a password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _l("La contraseña debe tener al menos %(n)s caracteres.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("La contraseña no puede tener más de %(n)s caracteres.", n=MAX_LENGTH)
    folded = password.casefold()
    if email and folded == email.casefold():
        return _l("La contraseña no puede ser su correo.")
    hints = _hints(email, name)
    result = _estimate(password, hints)
    core = _DECORATION.sub("", folded)
    if core and core != folded and result["score"] >= MIN_SCORE:
        # A listed word dressed up with digits or symbols is judged by the word.
        dressed = _estimate(core, hints)
        if dressed["score"] < MIN_SCORE:
            result = dressed
    if result["score"] < MIN_SCORE or len(set(folded)) < 4:
        reason = _REASONS["repeat"] if len(set(folded)) < 4 else _reason(result)
        return _l(
            "Esa contraseña es demasiado común o fácil de adivinar. %(reason)s Pruebe una frase de tres o cuatro "
            "palabras que no vayan juntas, por ejemplo «tortuga lámpara marzo verde».",
            reason=reason,
        )
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
