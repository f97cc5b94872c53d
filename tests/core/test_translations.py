"""The French catalog: complete, faithful to its placeholders, and actually served.

The app reads the compiled app/i18n/fr/LC_MESSAGES/messages.mo (built by `make translations`),
so the last tests check what a French or English user really sees.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests import factories

PO_FILE = Path(__file__).parents[2] / "app" / "i18n" / "fr" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def _messages():
    with PO_FILE.open("rb") as f:
        catalog = read_po(f, locale="fr")
    return [message for message in catalog if message.id]  # the header has an empty id


def _pairs():
    """(msgid, msgstr) for every form: plural entries give one pair per French form."""
    for message in _messages():
        if isinstance(message.id, tuple):
            singular, plural = message.id
            strings = message.string
            yield singular, strings[0]
            for string in strings[1:]:
                yield plural, string
        else:
            yield message.id, message.string


MESSAGES = _messages()
PAIRS = list(_pairs())


def test_catalog_is_not_empty():
    assert len(MESSAGES) > 300


def test_header_is_not_fuzzy():
    with PO_FILE.open("rb") as f:
        assert not read_po(f, locale="fr").fuzzy


def test_every_message_is_translated():
    untranslated = [msgid for msgid, msgstr in PAIRS if not (msgstr and msgstr.strip())]
    assert untranslated == []


def test_placeholders_are_kept():
    changed = [msgid for msgid, msgstr in PAIRS
               if set(PLACEHOLDER.findall(msgstr)) != set(PLACEHOLDER.findall(msgid))]
    assert changed == []


def _formats_like_the_english(msgid: str, msgstr: str) -> bool:
    values = {name: "x" for name in re.findall(r"%\(([a-z_]+)\)", msgid)}
    try:
        msgid % values
    except (ValueError, TypeError, KeyError):
        return True  # never %-formatted (Python text without variables, e.g. "Share (%)")
    try:
        msgstr % values
    except (ValueError, TypeError, KeyError):
        return False
    return True


def test_formatting_works_like_the_english():
    """Templates always apply `%` to a translation (Jinja's new-style gettext), so a stray `%`
    in French would break the page where the English works; `%%` must stay `%%`."""
    broken = [msgid for msgid, msgstr in PAIRS if not _formats_like_the_english(msgid, msgstr)]
    assert broken == []


def test_checks_catch_mistakes():
    assert not _formats_like_the_english("Page %(n)s", "Page %(n)s à 100 %")
    assert set(PLACEHOLDER.findall("%(name)s {count}")) == {"%(name)s", "{count}"}


def test_french_user_sees_french(client, db):
    user = factories.make_user("member", locale="fr")
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Tableau de bord" in page  # the user's own setting wins over the browser
    assert "Dashboard" not in page


def test_english_user_sees_english(client, db):
    user = factories.make_user("member", locale="en")
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    page = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Dashboard" in page
    assert "Tableau de bord" not in page


@pytest.mark.parametrize(
    ("accept_language", "expected", "absent"),
    [("fr", "Se connecter", "Log in"), ("fr-FR,fr;q=0.9,en;q=0.5", "Se connecter", "Log in"),
     ("en", "Log in", "Se connecter"), ("en-GB,en;q=0.8", "Log in", "Se connecter")],
)
def test_login_page_follows_the_browser(client, accept_language, expected, absent):
    page = client.get("/login", headers={"Accept-Language": accept_language}).get_data(
        as_text=True
    )
    assert expected in page
    assert absent not in page


def test_french_form_error_is_translated(client):
    response = client.post(
        "/login", data={"email": "nobody@example.com", "password": "wrong password"},
        headers={"Accept-Language": "fr"},
    )
    assert "E-mail ou mot de passe incorrect" in response.get_data(as_text=True)


def test_french_form_validation_messages(client):
    """WTForms' own messages ("This field is required.") come from its French catalog."""
    response = client.post("/login", data={"email": "", "password": ""},
                           headers={"Accept-Language": "fr"})
    page = response.get_data(as_text=True)
    assert "Veuillez corriger les champs signalés ci-dessous." in page
    assert "This field is required" not in page
