"""Forms of the influencer list: the filters (a GET form, every value in the URL) and the
bulk actions. Invalid filter values are reported beside their field and then ignored."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from app.forms import CachedSelect, FastTextInput, TypedNumberField, parse_number
from app.i18n import current
from app.i18n.labels import choices
from app.influencers.forms import CountField, PercentField
from app.influencers.query import PER_PAGE, SORT_LABELS
from app.models.influencer import AGE_BANDS, KINDS, PLATFORMS, STATUSES

TEXT = FastTextInput()  # the filters' text inputs (app/forms.py: the same HTML, cheaper)
COUNTRY = Regexp(r"^[A-Za-z]{2}$", message=_l("Two letters, e.g. FR."))


@lru_cache(maxsize=8)
def _fixed_choices(locale: str) -> dict[str, list[tuple[str, str]]]:
    """The filters' fixed choices in one language (`locale`, the request's), translated
    once rather than on every page: plain strings, which CachedSelect renders from its
    cache. Shared between requests: never modified."""
    del locale  # the cache key: the labels below are read in the request's language
    any_ = str(_l("Any"))
    return {
        "age_band": [("", any_)] + [(band, band) for band in AGE_BANDS],
        "sort": [(key, str(text)) for key, text in SORT_LABELS.items()],
        "per_page": [(str(n), str(n)) for n in PER_PAGE],
        "platform": [("", any_)] + choices("platform", PLATFORMS),
        "kind": [("", any_)] + choices("kind", KINDS),
        "status": [("", any_)] + choices("status", STATUSES),
        "owner": [("", str(_l("Anyone"))), ("me", str(_l("Me"))), ("none", str(_l("Nobody")))],
        "any": [("", any_)],
    }


def _percent(label):
    """Typed as a percentage ("2,5", "2.5 %"); `data` is the share (0.025)."""
    return PercentField(label, validators=[Optional()], widget=TEXT)


def _followers(label):
    """Typed as people say it: "10000", "10 000", "10k"."""
    return CountField(label, validators=[Optional()], widget=TEXT)


class ScoreField(TypedNumberField):
    """An influence score (0–100) typed as "60" or "62,5"; `data` is a float or None."""

    def convert(self, raw: str) -> float:
        try:
            value = parse_number(raw, whole=False)
        except ValueError:
            raise ValueError(_l("Type a score between 0 and 100, e.g. 60.")) from None
        if not 0 <= value <= 100:
            raise ValueError(_l("A score is between 0 and 100."))
        return value

    def shown(self) -> str:
        return format_decimal(self.data, format="0.##")


NO_RUN = _l("No scoring run has finished yet.")
SEP = " · "


def distinct_communities(communities) -> list[tuple[str, str]]:
    """Each community once, and told apart: a label names a community's commonest tags, so
    two communities may read alike ("musée · running" twice, "mode · art" and "art · mode");
    those get their number. `communities`: (number, "label · N people") choices."""
    kept = dict(communities)  # one entry per number
    names = {number: text.rsplit(SEP, 1)[0] for number, text in kept.items()}
    tags = Counter(frozenset(name.split(SEP)) for name in names.values())
    distinct = []
    for number, text in kept.items():
        name = names[number]
        if tags[frozenset(name.split(SEP))] > 1:
            text = f"{name} ({_('Community %(number)s', number=number)})" + text[len(name):]
        distinct.append((number, text))
    return distinct


class FilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form: nothing to forge

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)], widget=TEXT,
                    render_kw={"type": "search", "placeholder": _l("Name, handle, email, tag")})
    platform = SelectField(_l("Platform"), default="", widget=CachedSelect())
    kind = SelectField(_l("Kind"), default="", widget=CachedSelect())
    status = SelectField(_l("Status"), default="", widget=CachedSelect())
    country = StringField(_l("Country"), validators=[Optional(), COUNTRY], widget=TEXT,
                          render_kw={"maxlength": 2, "placeholder": "FR"})
    owner = SelectField(_l("Owner"), default="", widget=CachedSelect())
    tag = StringField(_l("Tag"), validators=[Optional(), Length(max=60)], widget=TEXT,
                      render_kw={"list": "tag-names"})
    followers_min = _followers(_l("Followers from"))
    followers_max = _followers(_l("Followers up to"))
    engagement_min = _percent(_l("Engagement from (%)"))
    engagement_max = _percent(_l("Engagement up to (%)"))
    women_min = _percent(_l("Audience: at least % women"))
    top_country = StringField(_l("Audience: top country"), validators=[Optional(), COUNTRY],
                              widget=TEXT,
                              render_kw={"maxlength": 2, "placeholder": "FR"})
    age_band = SelectField(_l("Audience: age band"), default="", widget=CachedSelect())
    age_min = _percent(_l("Audience: age band at least (%)"))
    # The latest scoring run's; without a run they are shown disabled, with the reason.
    community = SelectField(_l("Community"), default="", validate_choice=False,
                            widget=CachedSelect())
    score_min = ScoreField(_l("Score from"), validators=[Optional()], widget=TEXT,
                           render_kw={"inputmode": "decimal", "placeholder": "0–100"})
    # Set by the import wizard's "see the imported people" link; kept while filtering.
    # (A label, even empty: without one WTForms loads its own catalogue to title the name.)
    import_id = IntegerField("", widget=HiddenInput(),
                             validators=[Optional(), NumberRange(1, 2_147_483_647)])
    sort = SelectField(_l("Sort by"), default="name", widget=CachedSelect())
    per_page = SelectField(_l("Per page"), default=str(PER_PAGE[0]), widget=CachedSelect())

    ADVANCED = ("followers_min", "followers_max", "engagement_min", "engagement_max",
                "women_min", "top_country", "age_band", "age_min")

    def __init__(self, *args, owners: list[tuple[int, str]] = (),
                 communities: list[tuple[str, str]] | None = None, **kwargs) -> None:
        """`communities`: the latest run's (number, name) choices, told apart
        (distinct_communities); None when no run yet."""
        super().__init__(*args, **kwargs)
        self.scored = communities is not None
        # Labels come from the user's language, so choices are filled per request (and
        # WTForms 3.3 wants tuple choices assigned, not declared).
        fixed = _fixed_choices(current.code())
        self.community.choices = fixed["any"] + list(communities or [])
        if not self.scored:
            for field in (self.community, self.score_min):
                field.render_kw = {**(field.render_kw or {}), "disabled": True}
        for name in ("age_band", "sort", "per_page", "platform", "kind", "status"):
            self[name].choices = fixed[name]
        self.owner.choices = fixed["owner"] + [(str(uid), name) for uid, name in owners]

    def validate_community(self, field) -> None:
        if field.data and not self.scored:
            raise ValidationError(NO_RUN)
        if field.data and field.data not in {value for value, _name in field.choices}:
            raise ValidationError(_l("This community is not in the latest scoring run."))

    def validate_score_min(self, field) -> None:
        if field.data is not None and not self.scored:
            raise ValidationError(NO_RUN)

    def validate_age_min(self, field) -> None:
        if field.data is not None and not self.age_band.data:
            raise ValidationError(_l("Choose the age band this share is for."))

    def clean(self) -> dict:
        """The valid, non-empty values: what the list filters on and what its links keep."""
        kept: dict = {}
        for name, field in self._fields.items():
            if field.errors or field.data in (None, ""):
                continue
            value = field.data
            if isinstance(value, str):  # NUL bytes are refused by PostgreSQL text
                value = value.replace("\x00", "").strip()
            if value != "":
                kept[name] = value
        for name in ("country", "top_country"):
            if name in kept:
                kept[name] = kept[name].upper()
        return kept

    @property
    def advanced_used(self) -> bool:
        return any(self[name].raw_data and self[name].raw_data[0] for name in self.ADVANCED)


class BulkForm(FlaskForm):
    """One submit button per action; only the value of the pressed action is required."""

    action = SelectField("", validators=[DataRequired()])
    tag = StringField(_l("Tag"), validators=[Optional(), Length(max=60)])
    owner = SelectField(_l("Owner"), default="", widget=CachedSelect())
    status = SelectField(_l("Status"), default="", widget=CachedSelect())

    def __init__(self, *args, owners: list[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner.choices = [("", "—"), ("none", str(_l("Nobody")))] + [
            (str(uid), name) for uid, name in owners]
        self.status.choices = [("", "—")] + _fixed_choices(current.code())["status"][1:]
        self.action.choices = [("tag", "tag"), ("owner", "owner"), ("status", "status")]

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        field = self[self.action.data]
        if not (field.data or "").strip():
            field.errors.append(_l("Choose a value for this action."))
            return False
        return True
