"""French and English: locale selection and the formatters templates use.

The user's own setting wins, then the browser's Accept-Language, then French.
Numbers, percentages and dates always go through Babel so that French screens read
`12 400 abonnés` and `3,2 %`.
"""

from __future__ import annotations

from datetime import date, datetime

from babel import Locale
from babel.numbers import format_currency
from babel.numbers import format_percent as babel_percent
from flask import Flask, current_app, has_request_context, request
from flask_babel import format_date, format_datetime, format_decimal, get_locale, gettext
from flask_login import current_user

from app.extensions import babel


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    fmt = "#,##0" if digits == 0 else "#,##0." + "0" * digits
    return format_decimal(value, format=fmt)


def percent(value: float | None, digits: int = 1) -> str:
    """A share (0.032) as a percentage in the locale's form: `3,2 %` / `3.2%`."""
    if value is None:
        return "—"
    # The locale's own pattern (French puts a no-break space before %), at most `digits`
    # decimals and no trailing zeros.
    return babel_percent(round(value, digits + 2), locale=get_locale(), decimal_quantization=False)


def compact(value: float | int | None) -> str:
    """Follower counts the way community managers say them: 12,4 k / 1,2 M."""
    if value is None:
        return "—"
    for threshold, suffix in ((1_000_000_000, "Md" if str(get_locale()) == "fr" else "B"),
                              (1_000_000, "M"), (1_000, "k")):
        if abs(value) >= threshold:
            return format_decimal(value / threshold, format="#,##0.#") + "\u202f" + suffix
    return format_decimal(value, format="#,##0")


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
        current_locale=lambda: str(get_locale()), label=label, role_label=role_label,
        safe_url=safe_http_url, colon=colon,
    )
