"""Password policy: at least 12 characters, long passphrases welcome, guessable passwords refused."""

from pathlib import Path

import pytest
from flask_babel import force_locale
from zxcvbn.frequency_lists import FREQUENCY_LISTS

import crm.accounts
from crm.accounts.passwords import MIN_LENGTH, password_problem


def test_minimum_is_twelve_characters(app):
    assert MIN_LENGTH == 12
    assert "al menos 12" in str(password_problem("frase corta"))  # 11 characters
    assert password_problem("frase largas") is None  # 12 characters


@pytest.mark.parametrize("length", [64, 100, 256])
def test_long_passphrases_are_accepted(app, length):
    phrase = ("el congreso vota el martes y tenemos los votos " * 10)[:length]
    assert len(phrase) == length
    assert password_problem(phrase) is None


def test_a_100_character_password_works_for_login(client, make_user):
    phrase = "la coalición reunió cien mil firmas y setenta mil verificadas ya; faltan pocas reuniones más hoy!!"[:100]
    phrase = phrase.ljust(100, "x")
    user = make_user("officer", password=phrase)
    assert client.post("/login", data={"email": user.email, "password": phrase}).status_code == 302


def test_absurdly_long_passwords_are_refused(app):
    assert "más de 256" in str(password_problem("x y z w " * 100))


def test_every_long_entry_of_the_estimators_password_list_is_refused(app):
    long_entries = [p for p in FREQUENCY_LISTS["passwords"] if len(p) >= MIN_LENGTH]
    assert len(long_entries) > 200
    for entry in long_entries:
        assert "demasiado común" in str(password_problem(entry)), entry
        assert "demasiado común" in str(password_problem(entry.upper())), entry


def test_no_password_list_is_pasted_into_the_repository():
    assert not list(Path(crm.accounts.__file__).parent.glob("*.txt"))


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("123412341234", "Repetir caracteres o grupos"),
        ("qazwsxedcrfv", "más usadas"),
        ("1qaz2wsx3edc4rfv", "más usadas"),
        ("abcdefghijklm", "secuencias"),
        ("congreso2026!!", "palabras como «contraseña» o «congreso»"),
    ],
)
def test_passwords_the_probe_got_accepted_are_refused_with_a_reason(app, password, reason):
    problem = str(password_problem(password))
    assert "demasiado común o fácil de adivinar" in problem and reason in problem
    assert "Pruebe una frase" in problem


def test_the_refusal_is_translated(app):
    with app.test_request_context(), force_locale("en"):
        problem = str(password_problem("qazwsxedcrfv"))
    assert "too common or too easy to guess" in problem and "most used" in problem and "contraseña" not in problem


def test_the_persons_own_name_and_email_do_not_make_a_password(app):
    problem = str(password_problem("rosamavila2026", "rosa.mavila@example.org", "Rosa Mavila"))
    assert "No use su correo, su nombre" in problem


@pytest.mark.parametrize("password", ["Password2026!!", "123contraseña456", "Qwerty!!!!2026", "cabildeo.2026.", "iloveyou12345"])
def test_common_words_dressed_up_with_digits_are_refused(app, password):
    assert "demasiado común" in str(password_problem(password))


def test_repeated_characters_are_refused(app):
    assert "demasiado común" in str(password_problem("abababababababab"))


def test_the_email_is_not_a_password(app):
    assert "su correo" in str(password_problem("ana.perez@example.org", "Ana.Perez@example.org"))


def test_the_change_password_page_applies_the_policy(client, make_user):
    user = make_user("officer")
    client.post("/login", data={"email": user.email, "password": "una frase bastante larga"})
    response = client.post(
        "/account/password",
        data={"current_password": "una frase bastante larga", "new_password": "password12345", "confirm": "password12345"},
    )
    assert "demasiado común" in response.get_data(as_text=True)
