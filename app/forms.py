"""Form fields and helpers every feature's forms share: text cleaning, numbers, counts,
percentages and money typed the way a French team types them ("12 400", "3,2 %",
"12,4 k", "1 200,50 €"), country choices named in the user's language, and the version
field of forms that edit a record under optimistic locking."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from babel import Locale
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import HiddenField, SelectMultipleField, StringField, ValidationError
from wtforms.widgets import Select, TextInput
from wtforms.widgets.core import clean_key

from app.collation import sort_key

COUNT_MAX = 2_000_000_000  # fits the 32-bit integer columns of PostgreSQL
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}


def clean(value):
    """Strip, and drop control characters (PostgreSQL refuses NUL; none belong in a form)."""
    if not isinstance(value, str):
        return value
    kept = "".join(
        c for c in value
        if c in "\n\t" or unicodedata.category(c) not in {"Cc", "Cs", "Co", "Cn"}
    )
    return kept.strip()


# A long list of choices made searchable by app/static/js/multiselect.js (the template
# loads it with tom-select); the widget's words, translated when the field is rendered.
SEARCHABLE = {"data-searchable": True, "data-no-results": _l("No results"),
              "data-remove-title": _l("Remove")}
_CODE_SEPARATORS = re.compile(r"[\s,;]+")


def language_choices(keep=()) -> list[tuple[str, str]]:
    """ISO 639-1 codes named in the user's language, in French order; codes in `keep` that
    the list lacks (a record's older three-letter code) are offered as they are."""
    names = Locale.parse(str(get_locale() or "en")).languages
    items = [(c, names[c]) for c in names if len(c) == 2 and c.isalpha()]
    items.sort(key=lambda kv: sort_key(kv[1]))
    known = {code for code, _name in items}
    return items + [(code, code) for code in keep if code not in known]


class LanguagesField(SelectMultipleField):
    """Languages picked in a searchable multi-select, given back as a list of codes. A posted
    "fr, en" reads as two codes too: what scripts and the earlier text field send."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"size": 6, **SEARCHABLE, "data-hide-help": True})
        super().__init__(label, validators, **kwargs)

    @staticmethod
    def _codes(values) -> list[str]:
        codes = (code.lower() for value in values for code in _CODE_SEPARATORS.split(value or ""))
        return list(dict.fromkeys(code for code in codes if code))

    def process_data(self, value):
        self.data = self._codes([value] if isinstance(value, str) or value is None else value)

    def process_formdata(self, valuelist):
        self.data = self._codes(valuelist)

    def pre_validate(self, form):
        for code in self.data or []:
            if not re.fullmatch(r"[a-z]{2,3}", code):
                raise ValidationError(_l(
                    "Choose the languages from the list (two-letter language codes, e.g. fr, en)."))


def country_choices(blank=None) -> list[tuple[str, str]]:
    """ISO 3166 alpha-2 codes named in the user's language (Babel's CLDR territories)."""
    names = Locale.parse(str(get_locale() or "en")).territories
    codes = [c for c in names if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES]
    items = sorted(((c, names[c]) for c in codes), key=lambda kv: sort_key(kv[1]))
    return [("", str(blank or "—"))] + items


def parse_number(text: str, whole: bool) -> float:
    """"12 400", "12.400", "12,4 k", "1,2 M", "3,2 %", "3.2" → a number (ValueError if not)."""
    t = re.sub(r"[\s\u00a0\u202f'’]", "", text).rstrip("%")
    factor = 1
    if whole and t[-1:].lower() in {"k", "m"}:
        factor = 1_000 if t[-1].lower() == "k" else 1_000_000
        t = t[:-1]
    elif whole and factor == 1 and re.fullmatch(r"\d{1,3}([.,]\d{3})+", t):
        t = re.sub(r"[.,]", "", t)  # thousands separators, French or English
    t = t.replace(",", ".")
    if not re.fullmatch(r"\d{1,12}(\.\d{1,6})?", t, re.ASCII):
        raise ValueError(t)
    return float(t) * factor


class TypedNumberField(StringField):
    """A number typed as people write it; what they typed is shown back on errors."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = clean(valuelist[0]) if valuelist else ""
        if raw:
            self.data = self.convert(raw)

    def convert(self, raw: str):
        raise NotImplementedError

    def shown(self) -> str:
        return str(self.data)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.shown()


class CountField(TypedNumberField):
    """A whole number of followers, posts…; `data` is an int or None."""

    def convert(self, raw: str) -> int:
        try:
            number = parse_number(raw, whole=True)
        except ValueError:
            raise ValueError(_l("Type a whole number, e.g. 12 400 or 12,4 k.")) from None
        if number != int(number) or not 0 <= number <= COUNT_MAX:
            raise ValueError(_l("Type a whole number between 0 and 2 billion."))
        return int(number)


class PercentField(TypedNumberField):
    """A percentage typed as "3,2" or "3.2 %"; `data` is the share (0.032) or None."""

    def convert(self, raw: str) -> float:
        try:
            value = parse_number(raw, whole=False)
        except ValueError:
            raise ValueError(_l("Type a percentage, e.g. 3,2.")) from None
        if not 0 <= value <= 100:
            raise ValueError(_l("A percentage is between 0 and 100."))
        return round(value / 100, 6)

    def shown(self) -> str:
        return format_decimal(round(self.data * 100, 4), format="0.##")


MONEY_MAX_CENTS = 100_000_000_000  # a billion in any currency: a typo, not a budget


def parse_money(text: str) -> int:
    """"1 200,50 €", "1200.5", "1.200,50", "15 k€" → cents (ValueError if not money)."""
    t = re.sub(r"[\s\u00a0\u202f'’€$£]|EUR|USD|GBP|CHF|CAD|HT", "", text, flags=re.I)
    factor = 1
    if t[-1:].lower() == "k":
        factor, t = 1_000, t[:-1]
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+([.,]\d{1,2})?", t):
        # Thousands separators: the last separator followed by 1-2 digits is the decimal one.
        whole, _sep, rest = re.match(r"(.*?)(?:([.,])(\d{1,2}))?$", t).group(1, 2, 3)
        t = re.sub(r"[.,]", "", whole) + ("." + rest if rest else "")
    t = t.replace(",", ".")
    if not re.fullmatch(r"\d{1,12}(\.\d{1,2})?", t, re.ASCII):
        raise ValueError(t)
    whole_part, _dot, cents_part = t.partition(".")
    return (int(whole_part) * 100 + int((cents_part + "00")[:2])) * factor


class MoneyField(TypedNumberField):
    """An amount typed as "1 200,50 €" or "15 k"; `data` is in cents (int) or None."""

    def convert(self, raw: str) -> int:
        try:
            cents = parse_money(raw)
        except ValueError:
            raise ValueError(_l("Type an amount, e.g. 1 200,50.")) from None
        if cents > MONEY_MAX_CENTS:
            raise ValueError(_l("This amount is too large."))
        return cents

    def shown(self) -> str:
        return format_decimal(self.data / 100, format="#,##0.00")


INCOMPLETE = _l("The form is incomplete: reload the page and try again.")


class VersionedForm(FlaskForm):
    """A form editing a record under optimistic locking: the version it was opened at.

    The one mechanism of every edit form: a save without a readable version is refused
    here (a form error, nothing saved), and the service compares the version with
    app.core.errors.check_version (a stale one is a Conflict). Workflow steps whose
    version is only an extra check set `version_required = False`."""

    version = HiddenField()
    version_required = True

    def __init__(self, *args, new: bool = False, **kwargs):
        """`new=True`: the same form creating a record, which has no version yet."""
        super().__init__(*args, **kwargs)
        if new:
            self.version_required = False

    def expected_version(self) -> int | None:
        try:
            version = int(self.version.data)
        except (TypeError, ValueError, OverflowError):
            return None
        return version if 0 < version <= 2**31 - 1 else None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Not sent at all, WTForms would keep the version of the record (obj=): refused too.
        sent = getattr(self.version, "raw_data", None)
        if self.version_required and (not sent or self.expected_version() is None):
            self.form_errors.append(INCOMPLETE)
            return False
        return valid


def html_params(**kwargs) -> Markup:
    """WTForms' `html_params`, the same text (a test compares them), without building a
    Markup object and a string.Formatter pass per attribute: a list page's filter form
    spends a millisecond there."""
    params = []
    for key, value in sorted(kwargs.items()):
        if value is True:
            params.append(clean_key(key))
        elif value is not False:
            # (A Markup value, e.g. a lazy label, keeps its quotes: WTForms escapes them.)
            text = str(escape(value)).replace('"', "&quot;")
            params.append(f'{escape(clean_key(key))}="{text}"')
    return Markup(" ".join(params))  # noqa: S704 - every name and value escaped above


class FastTextInput(TextInput):
    """WTForms' text input, its attributes written by the `html_params` above."""

    html_params = staticmethod(html_params)


class CachedSelect(Select):
    """WTForms' <select>, with its <option> tags built once per set of choices rather than
    once per option per request (a list page's filters carry about 150 options). Plain
    choices only: (value, label) pairs of a field coercing to str; anything else (groups,
    render_kw per option, multiple) is rendered by WTForms itself."""

    def __call__(self, field, **kwargs):
        choices = field.choices
        if (self.multiple or field.coerce is not str or not isinstance(choices, list)
                or not all(type(choice) is tuple and len(choice) == 2 for choice in choices)):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        for flag in self.validation_attrs:
            if flag not in kwargs and getattr(field.flags, flag, False):
                kwargs[flag] = getattr(field.flags, flag)
        values, plain, chosen = _option_tags(tuple((value, str(text)) for value, text
                                                   in choices))
        data = field.data
        options = [chosen[i] if value == data else plain[i] for i, value in enumerate(values)]
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>"  # noqa: S704
                      + "".join(options) + "</select>")


@lru_cache(maxsize=512)
def _option_tags(choices: tuple[tuple[str, str], ...]):
    """(values, <option> tags, the same tags selected) for a tuple of (value, label)."""
    values = tuple(value if isinstance(value, str) else str(value) for value, _text in choices)
    plain, chosen = [], []
    for value, text in choices:
        label = escape(text or value)  # as WTForms writes them, `selected` first
        plain.append(f"<option {html_params(value=value)}>{label}</option>")
        chosen.append(f"<option {html_params(value=value, selected=True)}>{label}</option>")
    return values, tuple(plain), tuple(chosen)
