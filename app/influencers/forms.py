"""Influencer forms. Numbers are read the way a French team types them ("12 400",
"3,2 %", "12,4 k"); every text is cleaned of control characters and bounded in length."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    DateField,
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp
from wtforms.validators import ValidationError as FieldError

from app.extensions import db
from app.forms import (  # noqa: F401 - re-exported for the influencer views
    COUNT_MAX,
    SEARCHABLE,
    CountField,
    LanguagesField,
    PercentField,
    VersionedForm,
    clean,
    country_choices,
    language_choices,
    parse_number,
)
from app.i18n.labels import choices, label
from app.imports.parsing.handles import HandleError, normalise_handle
from app.influencers.interactions import OUTREACH_KINDS, SNOOZE_DAYS, follow_up_problem
from app.models import User
from app.models.influencer import (
    DATA_SOURCES,
    INTERACTION_KINDS,
    KINDS,
    LAWFUL_BASES,
    PLATFORMS,
    STATUSES,
)


def not_future(form, field):
    if field.data and field.data > date.today():
        raise FieldError(_l("This date cannot be in the future."))


def not_before(year: int):
    def check(form, field):
        if field.data and field.data.year < year:
            raise FieldError(_l("This date is too far in the past."))
    return check


def within_years(years: int):
    def check(form, field):
        if field.data and field.data > date.today() + timedelta(days=366 * years):
            raise FieldError(_l("This date is too far in the future."))
    return check


def _text(label, max_length, *validators, required=False):
    first = [DataRequired()] if required else [Optional()]
    return StringField(label, validators=[*first, Length(max=max_length), *validators],
                       filters=[clean])


def _date(label, *validators, required=False):
    first = InputRequired() if required else Optional()
    return DateField(label, validators=[first, not_before(1900), *validators])


class InfluencerForm(VersionedForm):
    display_name = _text(_l("Display name"), 200, required=True)
    legal_name = _text(_l("Full legal name"), 200)
    kind = SelectField(_l("Kind"), default="other")
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254), Email()],
                       filters=[clean])
    phone = _text(_l("Phone"), 40, Regexp(r"^[0-9+().\s/-]*$",
                                         message=_l("Digits, spaces and + ( ) . - / only.")))
    address = TextAreaField(_l("Postal address"), validators=[Optional(), Length(max=1000)],
                            filters=[clean])
    city = _text(_l("City"), 120)
    country = SelectField(_l("Country"), default="", render_kw=SEARCHABLE)
    tax_country = SelectField(_l("Tax-residence country"), default="", render_kw=SEARCHABLE)
    languages = LanguagesField(_l("Languages"))
    date_of_birth = _date(_l("Date of birth"), not_future)
    agent_name = _text(_l("Agent or agency"), 200)
    agent_email = EmailField(_l("Agent's email"),
                             validators=[Optional(), Length(max=254), Email()], filters=[clean])
    owner_id = SelectField(_l("Owner"), default="")
    status = SelectField(_l("Status"), default="prospect")
    tags = _text(_l("Tags"), 1000)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)],
                          filters=[clean])
    data_source = SelectField(_l("Data source"), default="manual")
    data_source_detail = _text(_l("Source detail"), 255)
    lawful_basis = SelectField(_l("Lawful basis"), default="legitimate_interest")
    informed_on = _date(_l("Informed on"), not_future)
    consent_on = _date(_l("Consent given on"), not_future)

    def __init__(self, *args, owner: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices("kind", KINDS)
        self.status.choices = choices("status", STATUSES)
        self.data_source.choices = choices("data_source", DATA_SOURCES)
        self.lawful_basis.choices = choices("lawful_basis", LAWFUL_BASES)
        self.country.choices = country_choices()
        self.tax_country.choices = country_choices()
        self.languages.choices = language_choices(self.languages.data or ())
        self.owner_id.choices = owner_choices(owner)

    def validate_tags(self, field):
        names = [n.strip() for n in (field.data or "").split(",") if n.strip()]
        if any(len(n) > 60 for n in names):
            raise FieldError(_l("A tag has at most 60 characters."))
        if len(names) > 30:
            raise FieldError(_l("At most 30 tags."))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        # Cross-field rule: Optional() would stop a field validator on the empty date.
        if self.lawful_basis.data == "consent" and not self.consent_on.data \
                and not self.consent_on.errors:
            self.consent_on.errors.append(
                _l("The lawful basis is consent: give the date it was given."))
            ok = False
        return ok

    def identity(self) -> dict:
        """The validated values, as the service's column names."""
        data = {name: self[name].data for name in (
            "display_name", "legal_name", "kind", "email", "phone", "address", "city",
            "country", "tax_country", "date_of_birth", "agent_name", "agent_email", "status",
            "notes", "data_source", "data_source_detail", "lawful_basis", "informed_on",
            "consent_on",
        )}
        for key, value in data.items():
            if value == "":
                data[key] = None
        data["email"] = data["email"].lower() if data["email"] else None
        data["languages"] = ",".join(self.languages.data or []) or None
        data["owner_id"] = int(self.owner_id.data) if self.owner_id.data else None
        return data


def owner_choices(current: User | None) -> list[tuple[str, str]]:
    users = list(db.session.scalars(
        select(User).where(User.active.is_(True), User.role != "viewer")
        .order_by(User.sort_name, User.id)
    ))
    if current is not None and current not in users:
        users.append(current)
    return [("", str(_l("Nobody")))] + [(str(u.id), u.name) for u in users]


class AccountFields:
    """Platform + "handle or profile URL", normalised on validation into `normalised`."""

    normalised: tuple[str, str, str | None] | None = None

    def check_handle(self, platform_field, handle_field, required: bool) -> bool:
        self.normalised = None
        if not handle_field.data:
            if required:
                handle_field.errors.append(_l("Type a handle or a profile address."))
                return False
            return True
        try:
            self.normalised = normalise_handle(handle_field.data, platform_field.data or None)
        except HandleError as error:
            params = {key: label("platform", value) if key in {"found", "chosen"} else value
                      for key, value in error.params.items()}
            handle_field.errors.append(_l(error.template, **params))
            return False
        return True


def platform_choices():
    return [("", str(_l("— recognised from the address —")))] + choices("platform", PLATFORMS)


class NewInfluencerForm(InfluencerForm, AccountFields):
    """The create form also takes a first social account."""

    version_required = False

    account_platform = SelectField(_l("Platform"), default="")
    account_handle = _text(_l("Handle or profile address"), 500)
    account_followers = CountField(_l("Followers"), filters=[clean])
    account_engagement = PercentField(_l("Engagement rate (%)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_platform.choices = platform_choices()

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return self.check_handle(self.account_platform, self.account_handle, False) and ok

    def first_account(self) -> dict | None:
        if self.normalised is None:
            return None
        platform, handle, url = self.normalised
        return {"platform": platform, "handle": handle, "profile_url": url,
                "followers": self.account_followers.data,
                "engagement_rate": self.account_engagement.data}


class AccountForm(VersionedForm, AccountFields):
    platform = SelectField(_l("Platform"), default="")
    handle = _text(_l("Handle or profile address"), 500, required=True)
    followers = CountField(_l("Followers"))
    following = CountField(_l("Following"))
    posts = CountField(_l("Posts"))
    avg_likes = CountField(_l("Average likes"))
    avg_comments = CountField(_l("Average comments"))
    avg_views = CountField(_l("Average views"))
    engagement_rate = PercentField(_l("Engagement rate (%)"))
    credibility = PercentField(_l("Audience credibility (% real followers)"))
    figures_on = _date(_l("Figures as of"), not_future)

    FIGURES = ("followers", "following", "posts", "avg_likes", "avg_comments", "avg_views",
               "engagement_rate", "credibility", "figures_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform.choices = platform_choices()

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        return self.check_handle(self.platform, self.handle, True) and ok

    def spec(self) -> dict:
        platform, handle, url = self.normalised
        spec = {"platform": platform, "handle": handle, "profile_url": url}
        spec.update({name: self[name].data for name in self.FIGURES})
        return spec


AGE_FIELDS = {
    "13-17": "age_13_17", "18-24": "age_18_24", "25-34": "age_25_34", "35-44": "age_35_44",
    "45-54": "age_45_54", "55-64": "age_55_64", "65+": "age_65_plus",
}
TOP_ROWS = 5
LANGUAGE_ROWS = 3


class SnapshotForm(FlaskForm):
    """A dated audience snapshot: shares typed as percentages, per dimension."""

    taken_on = _date(_l("Date of the figures"), not_future, not_before(2000), required=True)
    followers = CountField(_l("Followers"))
    credibility = PercentField(_l("Audience credibility (% real followers)"))
    source = _text(_l("Source"), 120)
    gender_female = PercentField(_l("Women (%)"))
    gender_male = PercentField(_l("Men (%)"))
    gender_other = PercentField(_l("Other (%)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = country_choices()
        for n in range(1, TOP_ROWS + 1):
            self[f"country_{n}"].choices = codes

    def rows(self, prefix: str, count: int) -> list[tuple]:
        return [(self[f"{prefix}_{n}"], self[f"{prefix}_share_{n}"]) for n in range(1, count + 1)]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for prefix, count in (("country", TOP_ROWS), ("interest", TOP_ROWS),
                              ("language", LANGUAGE_ROWS)):
            for key_field, share_field in self.rows(prefix, count):
                if key_field.data and share_field.data is None:
                    share_field.errors.append(_l("Give the share of this line."))
                    ok = False
                elif share_field.data is not None and not key_field.data:
                    key_field.errors.append(_l("Say what this share is of."))
                    ok = False
        for dimension, values in self.shares().items():
            if sum(values.values()) > 1.011:
                self.form_errors.append(_l(
                    "The shares of “%(dimension)s” add up to more than 100 %%.",
                    dimension=dimension))
                ok = False
        return ok

    def shares(self) -> dict[str, dict[str, float]]:
        shares: dict[str, dict[str, float]] = {"gender": {}, "age": {}}
        for gender in ("female", "male", "other"):
            if self[f"gender_{gender}"].data is not None:
                shares["gender"][gender] = self[f"gender_{gender}"].data
        for band, name in AGE_FIELDS.items():
            if self[name].data is not None:
                shares["age"][band] = self[name].data
        for dimension, prefix, count in (("country", "country", TOP_ROWS),
                                         ("interest", "interest", TOP_ROWS),
                                         ("language", "language", LANGUAGE_ROWS)):
            values: dict[str, float] = {}
            for key_field, share_field in self.rows(prefix, count):
                if key_field.data and share_field.data is not None:
                    key = key_field.data.strip()
                    key = key.upper() if dimension == "country" else key.lower()
                    values[key] = values.get(key, 0.0) + share_field.data
            shares[dimension] = values
        return {d: v for d, v in shares.items() if v}


for _band, _name in AGE_FIELDS.items():
    setattr(SnapshotForm, _name, PercentField(_l("%(band)s years (%%)", band=_band)))
for _n in range(1, TOP_ROWS + 1):
    setattr(SnapshotForm, f"country_{_n}", SelectField(_l("Country %(n)d", n=_n), default=""))
    setattr(SnapshotForm, f"country_share_{_n}", PercentField(_l("Share (%)")))
    setattr(SnapshotForm, f"interest_{_n}", _text(_l("Interest %(n)d", n=_n), 60))
    setattr(SnapshotForm, f"interest_share_{_n}", PercentField(_l("Share (%)")))
for _n in range(1, LANGUAGE_ROWS + 1):
    setattr(SnapshotForm, f"language_{_n}", _text(
        _l("Language %(n)d", n=_n), 3,
        Regexp(r"^[A-Za-z]{2,3}$", message=_l("A two-letter language code, e.g. fr."))))
    setattr(SnapshotForm, f"language_share_{_n}", PercentField(_l("Share (%)")))


class InteractionForm(FlaskForm):
    kind = SelectField(_l("Kind"), default="note")
    occurred_on = _date(_l("Date"), within_years(1), required=True)
    summary = TextAreaField(_l("Summary"), validators=[DataRequired(), Length(max=5000)],
                            filters=[clean])
    follow_up_on = _date(_l("Follow up on"), within_years(5))

    def __init__(self, *args, do_not_contact: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [k for k in INTERACTION_KINDS if not (do_not_contact and k in OUTREACH_KINDS)]
        self.kind.choices = choices("interaction", kinds)
        if self.occurred_on.data is None and not self.is_submitted():
            self.occurred_on.data = date.today()

    def validate_follow_up_on(self, field) -> None:
        problem = follow_up_problem(self.occurred_on.data, field.data)
        if problem:
            raise FieldError(problem)


class SnoozeForm(FlaskForm):
    """Move a follow-up: by a number of days (the "1 day" and "1 week" buttons) or to a day."""

    days = SelectField(_l("Snooze"), default="")
    until = DateField(_l("Snooze until"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.days.choices = [("", "")] + [(str(n), str(n)) for n in SNOOZE_DAYS]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.until.errors:
            self.until.errors[:] = [_l("Type a date, e.g. %(example)s.",
                                       example=date.today().isoformat())]
        elif ok and not self.days.data and self.until.data is None:
            self.until.errors.append(_l("Choose the day to snooze this follow-up to."))
            ok = False
        return ok

    def problem(self) -> str:
        """The first refusal, as one message (the dashboard shows one line)."""
        for errors in self.errors.values():
            return str(errors[0])
        return ""


ERASE_REASON_LABELS = {
    "request": _l("The person asked for it"),
    "objection": _l("The person objected to the processing"),
    "no_longer_needed": _l("The data is no longer needed"),
    "unlawful": _l("The data was processed unlawfully"),
    "other": _l("Other legal ground"),
}


class EraseForm(FlaskForm):
    reason = SelectField(_l("Reason"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set after construction: WTForms 3.3 deprecates tuple choices in the constructor.
        self.reason.choices = [(code, str(text)) for code, text in ERASE_REASON_LABELS.items()]
