"""French and English: locale selection and the formatters templates use.

The user's own setting wins, then the browser's Accept-Language, then French.
Numbers, percentages and dates always go through Babel so that French screens read
`12 400 abonnés` and `3,2 %`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency, get_decimal_symbol, get_group_symbol
from babel.numbers import format_percent as babel_percent
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale, gettext
from flask_login import current_user

from app.extensions import babel
from app.i18n import current


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:  # a visitor's choice (app/main/language.py)
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


# A list page formats about a hundred numbers; Babel's general formatter costs ~50 µs a
# number, most of it parsing the pattern and looking the locale's symbols up again. The
# three formatters below write the same text (a hypothesis test compares them with Babel,
# tests/core/test_formats.py) from the locale's symbols read once: Python's own grouping,
# Babel's rounding (the value's shortest decimal form, half to even), Babel itself for
# negative or non-finite values.

@lru_cache(maxsize=16)
def _symbols(locale: str) -> tuple[dict[int, int], str, str]:
    """(str.translate table from Python's "," and "." to the locale's group and decimal
    symbols, the percent pattern's prefix and suffix) for `locale`."""
    table = str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale)})
    prefix, _fifty, suffix = babel_percent(0.5, locale=locale,
                                           decimal_quantization=False).partition("50")
    return table, prefix, suffix


def _plain(value) -> bool:
    """Non-negative and finite: what the fast formatters write themselves."""
    return (isinstance(value, int) and value >= 0) or (
        isinstance(value, float) and 0 <= value < 1e15)


def _grouped(value: float | int, digits: int, optional: bool = False) -> str:
    """`value` with digit groups and `digits` decimals (`optional`: trailing zeros of the
    decimals dropped, Babel's "#,##0.#"), with Python's symbols."""
    if isinstance(value, int):
        return f"{value:,}" if digits == 0 else f"{value:,}." + "0" * digits * (not optional)
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_EVEN)
    text = f"{rounded:,.{digits}f}"
    if optional and digits:
        text = text.rstrip("0").rstrip(".")
    return text


def number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    locale = current.code()
    if _plain(value):
        return _grouped(value, digits).translate(_symbols(locale)[0])
    fmt = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return format_decimal(value, format=fmt)


def percent(value: float | None, digits: int = 1) -> str:
    """A share (0.032) as a percentage in the locale's form: `3,2 %` / `3.2%`."""
    if value is None:
        return "—"
    # The locale's own pattern (French puts a no-break space before %), at most `digits`
    # decimals and no trailing zeros.
    locale = current.code()
    if not _plain(value):
        return babel_percent(round(value, digits + 2), locale=locale,
                             decimal_quantization=False)
    shown = Decimal(str(round(value, digits + 2))) * 100
    places = max(0, -shown.normalize().as_tuple().exponent)
    table, prefix, suffix = _symbols(locale)
    return prefix + f"{shown:,.{places}f}".translate(table) + suffix


def compact(value: float | int | None) -> str:
    """Follower counts the way community managers say them: 12,4 k / 1,2 M."""
    if value is None:
        return "—"
    locale = current.code()
    for threshold, suffix in ((1_000_000_000, "Md" if locale == "fr" else "B"),
                              (1_000_000, "M"), (1_000, "k")):
        if abs(value) >= threshold:
            if _plain(value):
                text = _grouped(value / threshold, 1, optional=True)
                return text.translate(_symbols(locale)[0]) + "\u202f" + suffix
            return format_decimal(value / threshold, format="#,##0.#") + "\u202f" + suffix
    return number(value)


def money(cents: float | int | None, currency: str | None = "EUR") -> str:
    """The one money formatter: cents → `1 200,50 €` / `€1,200.50`."""
    if cents is None:
        return "—"
    return format_currency(cents / 100, currency or "EUR", locale=get_locale())


def day(value: date | datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value, fmt)
    return format_date(value, fmt)


def stored_message(text: str | None) -> str:
    """A message stored in English (an import's rejection reason): translated when the
    catalog knows it as is, shown as stored otherwise. Never %-formatted."""
    return gettext(text) if text else ""


def country(code: str | None) -> str:
    """A country code as its name in the reader's language: FR → France / France."""
    if not code:
        return "—"
    return Locale.parse(str(get_locale() or "en")).territories.get(code.upper(), code)


def colon() -> str:
    """The colon after a label: French puts a no-break space before it (« Mode : … »)."""
    locale = get_locale()
    return "\u00a0:" if locale is not None and locale.language == "fr" else ":"


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    from app.i18n.french import install

    install(app, babel)
    app.jinja_env.filters.update(number=number, percent=percent, compact=compact, day=day,
                                 money=money, message=stored_message)
    from app.i18n.labels import label, role_label
    from app.security import safe_http_url

    app.jinja_env.globals.update(
        current_locale=current.code, label=label, role_label=role_label,
        safe_url=safe_http_url, colon=colon,
    )
