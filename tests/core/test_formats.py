"""The list pages' fast number formatters write exactly what Babel writes.

app/i18n/formats.py formats non-negative numbers itself (Python's grouping, the locale's
symbols read once, Babel's rounding) and leaves the rest to Babel: here both are compared
over arbitrary values in French and English, and the select widget that renders options
from a cache is compared with WTForms' own."""

from __future__ import annotations

import pytest
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from wtforms import Form, SelectField
from wtforms.widgets import Select

from app.forms import CachedSelect
from app.i18n import formats

LOCALES = ("fr", "en")
values = st.one_of(st.integers(min_value=-10**12, max_value=10**13),
                   st.floats(min_value=-1e6, max_value=1e14, allow_nan=False),
                   st.floats(min_value=0, max_value=2, allow_nan=False))
quick = settings(max_examples=300, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture])


def _babel_compact(value, locale):
    for threshold, suffix in ((1_000_000_000, "Md" if locale == "fr" else "B"),
                              (1_000_000, "M"), (1_000, "k")):
        if abs(value) >= threshold:
            return format_decimal(value / threshold, format="#,##0.#",
                                  locale=locale) + "\u202f" + suffix
    return format_decimal(value, format="#,##0", locale=locale)


@pytest.mark.parametrize("locale", LOCALES)
@quick
@given(value=values, digits=st.integers(min_value=0, max_value=2))
def test_numbers_and_percentages_read_as_babel_writes_them(app, locale, value, digits):
    with app.test_request_context(), force_locale(locale):
        fmt = "#,##0" if digits == 0 else "#,##0." + "0" * digits
        assert formats.number(value, digits) == format_decimal(value, format=fmt,
                                                               locale=locale)
        assert formats.percent(value, digits) == babel_percent(
            round(value, digits + 2), locale=locale, decimal_quantization=False)
        assert formats.compact(value) == _babel_compact(value, locale)


def test_known_values(app):
    with app.test_request_context(), force_locale("fr"):
        assert formats.number(1234567) == "1\u202f234\u202f567"
        assert formats.number(2.675, 2) == "2,68"  # Babel rounds the decimal text, half even
        assert formats.percent(0.032) == "3,2\u00a0%" and formats.percent(0.03) == "3\u00a0%"
        assert formats.compact(12_450) == "12,4\u202fk"
    with app.test_request_context(), force_locale("en"):
        assert formats.percent(0.5) == "50%" and formats.compact(1_250_000) == "1.2\u202fM"


class _Choices(Form):
    plain = SelectField()
    cached = SelectField(widget=CachedSelect())

    def __init__(self):
        super().__init__()
        self.plain.choices = [("", "Any"), ("a", "Été & <b>"), ("b", "B")]
        self.cached.choices = list(self.plain.choices)


@given(data=st.one_of(st.none(), st.sampled_from(["", "a", "b", "zz"])),
       disabled=st.booleans())
def test_cached_select_renders_as_wtforms(data, disabled):
    form = _Choices()
    form.plain.data = form.cached.data = data
    extra = {"disabled": True} if disabled else {}
    assert str(form.cached(**extra)) == str(Select()(form.cached, **extra))
    assert str(form.cached(**extra)).replace('name="cached"', "").replace(
        'id="cached"', "") == str(form.plain(**extra)).replace('name="plain"', "").replace(
        'id="plain"', "")


attribute_values = st.one_of(st.booleans(), st.text(max_size=20), st.integers(),
                             st.sampled_from(['"quoted"', "a&b", "<x>", "l'été"]),
                             st.text(max_size=10).map(Markup))


@given(attributes=st.dictionaries(
    st.sampled_from(["class_", "id", "name", "data_select_all", "aria_label", "value",
                     "placeholder", "disabled", "type", "for_"]), attribute_values))
def test_html_params_writes_what_wtforms_writes(attributes):
    from wtforms.widgets import html_params as wtforms_params

    from app.forms import html_params

    assert str(html_params(**attributes)) == str(wtforms_params(**attributes))
