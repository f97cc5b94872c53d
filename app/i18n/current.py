"""The request's locale, read where a page reads it a few hundred times (gettext, the
number formatters, the labels): Flask-Babel's `get_locale()` makes four or five context
lookups through Werkzeug's proxies per call (`g`, then its namespace), about a tenth of a
list page's CPU. Here: one lookup, then Flask-Babel's own cached value, read from the same
place it keeps it, so `force_locale` and `refresh` are followed as they are by Flask-Babel.
Where that value is not there yet (or a later Flask-Babel keeps it elsewhere), Flask-Babel
is asked, as before."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask import g
from flask_babel import get_locale

BABEL_NAMESPACE = "_flask_babel"  # where Flask-Babel keeps a context's locale (on `g`)


def context() -> tuple[Any, Locale | None]:
    """(the context's own `g` object, or None outside an application context; the locale,
    as `flask_babel.get_locale()` returns it)."""
    try:
        real = g._get_current_object()
    except RuntimeError:
        return None, None
    found = getattr(vars(real).get(BABEL_NAMESPACE), "babel_locale", None)
    return real, found if found is not None else get_locale()


def code() -> str:
    """`str(get_locale())`, the locale's code ("fr", "en"), kept for the context."""
    real, locale = context()
    if real is None:
        return str(locale)
    kept = vars(real).get("relais_locale_code")
    if kept is not None and kept[0] is locale:
        return kept[1]
    text = str(locale)
    real.relais_locale_code = (locale, text)
    return text
