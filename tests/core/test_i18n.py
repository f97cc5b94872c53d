"""Numbers, percentages and dates in the locale's format."""

from datetime import date

import pytest
from flask import render_template_string
from flask_babel import force_locale

from app.i18n.formats import colon, compact, day, number, percent

NNBSP = "\u202f"  # French thousands separator
NBSP = "\xa0"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("fr", f"12{NNBSP}400"), ("en", "12,400")],
)
def test_numbers(app, locale, expected):
    with app.test_request_context(), force_locale(locale):
        assert number(12400) == expected


@pytest.mark.parametrize(
    ("locale", "value", "expected"),
    [("fr", 0.032, f"3,2{NBSP}%"), ("en", 0.032, "3.2%"), ("fr", 0.4, f"40{NBSP}%"),
     ("fr", 0.03249, f"3,2{NBSP}%"), ("en", None, "—")],
)
def test_percentages(app, locale, value, expected):
    with app.test_request_context(), force_locale(locale):
        assert percent(value) == expected


def test_compact_follower_counts(app):
    with app.test_request_context(), force_locale("fr"):
        assert compact(9_500_000) == f"9,5{NNBSP}M"
        assert compact(12_400) == f"12,4{NNBSP}k"
        assert compact(950) == "950"


def test_dates(app):
    with app.test_request_context(), force_locale("fr"):
        assert day(date(2026, 3, 5)) == "5 mars 2026"
    with app.test_request_context(), force_locale("en"):
        assert day(date(2026, 3, 5)) == "Mar 5, 2026"


def test_stored_english_messages_are_translated_when_known(app):
    from app.i18n.formats import stored_message

    with app.test_request_context(), force_locale("fr"):
        assert stored_message("not a number") == "n'est pas un nombre"
        assert stored_message("more than 100 %") == "plus de 100 %"
        assert stored_message("line 12 of something unknown") == "line 12 of something unknown"
        assert stored_message(None) == ""


def test_a_label_colon_follows_french_typography(app):
    with app.test_request_context(), force_locale("fr"):
        assert colon() == "\u00a0:"
        assert render_template_string("{{ _('Mode') }}{{ colon() }} x") == "Mode\u00a0: x"
    with app.test_request_context(), force_locale("en"):
        assert colon() == ":"


def test_the_quick_locale_is_flask_babels_through_force_locale_and_refresh(app):
    """app/i18n/current.py reads the locale Flask-Babel keeps for the context with one
    lookup: it must be Flask-Babel's at every moment, the gettext catalogue and the
    formatters with it."""
    from flask_babel import get_locale, gettext, refresh

    from app.i18n import current

    assert current.context() == (None, None)  # outside any context, as Flask-Babel
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert current.context()[1] is get_locale() and current.code() == "en"
        assert gettext("Search") == "Search" and number(12400) == "12,400"
        with force_locale("fr"):
            assert current.context()[1] is get_locale() and current.code() == "fr"
            assert gettext("Search") == "Rechercher" and number(12400) == f"12{NNBSP}400"
        assert current.code() == "en" and gettext("Search") == "Search"
        refresh()
        assert current.code() == "en" and current.context()[1] is get_locale()
    with app.app_context():  # a job or a CLI command: the default locale
        assert current.code() == str(get_locale())
