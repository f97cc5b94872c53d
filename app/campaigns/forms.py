"""Campaign forms: the campaign itself (brand, dates, budget, target audience, KPI targets,
hashtags) and the list's filters (a GET form: every value in the URL)."""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.brands.service import brand_choices
from app.campaigns import service
from app.campaigns.query import SORTS
from app.codes import SECTORS
from app.core.errors import ServiceError
from app.forms import (
    SEARCHABLE,
    CountField,
    LanguagesField,
    MoneyField,
    PercentField,
    VersionedForm,
    clean,
    country_choices,
    language_choices,
    parse_number,
)
from app.i18n.labels import LABELS, choices
from app.influencers.forms import owner_choices
from app.models import Campaign, User
from app.models.campaign import CAMPAIGN_STATUSES, CURRENCIES, KPI_TARGETS, KPI_UNITS, OBJECTIVES
from app.models.influencer import AGE_BANDS, PLATFORMS


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (rendered inside a fieldset by the template)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RatioField(PercentField):
    """A percentage that may exceed 100 (a return on investment of 250 %)."""

    def convert(self, raw: str) -> float:
        try:
            value = parse_number(raw, whole=False)
        except ValueError:
            raise ValueError(_l("Type a percentage, e.g. 150.")) from None
        if value > 100_000:
            raise ValueError(_l("A percentage of at most 100 000."))
        return round(value / 100, 6)


def _text(label, max_length, required=False, **kwargs):
    first = InputRequired() if required else Optional()
    return StringField(label, validators=[first, Length(max=max_length)], filters=[clean],
                       **kwargs)


def _date_field(label):
    return DateField(label, validators=[Optional()],
                     render_kw={"min": f"{service.FIRST_YEAR}-01-01",
                                "max": f"{service.LAST_YEAR}-12-31"})


UNIT_HELP = {
    "count": _l("A whole number, e.g. 250 000 or 250 k."),
    "rate": _l("In %, e.g. 4,5."),
    "money": _l("In the campaign's currency, e.g. 0,25."),
    "roi": _l("In %, e.g. 150 (revenue 2,5 times the cost)."),
}
KPI_FIELD = {"count": CountField, "rate": PercentField, "money": MoneyField}


def kpi_field_name(code: str) -> str:
    return "kpi_" + code


class CampaignForm(VersionedForm):
    brand_id = SelectField(_l("Brand"), validate_choice=False, validators=[
        InputRequired(message=_l("Choose a brand from the list."))])
    name = _text(_l("Name"), 200, required=True)
    objective = SelectField(_l("Objective"), default="awareness")
    status = SelectField(_l("Status"), default="draft", validate_choice=False)
    owner_id = SelectField(_l("Owner"), default="")
    sector = SelectField(_l("Sector"), default="")
    starts_on = _date_field(_l("Start"))
    ends_on = _date_field(_l("End"))
    budget_cents = MoneyField(_l("Budget"), render_kw={"inputmode": "decimal"})
    currency = SelectField(_l("Currency"), default="EUR")
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)],
                                filters=[clean])
    target_platforms = MultiCheckboxField(_l("Platforms"))
    target_countries = SelectMultipleField(_l("Countries"), render_kw={
        "size": 8, **SEARCHABLE, "data-hide-help": True})
    target_gender = SelectField(_l("Gender"), default="")
    target_gender_share = PercentField(_l("Minimum share of this gender (%)"))
    target_age_bands = MultiCheckboxField(_l("Age bands"))
    target_languages = LanguagesField(_l("Languages"))
    # A text field that tom-select turns into a searchable multi-choice (known interests
    # offered, others typed); without JavaScript, interests separated by commas.
    target_interests = StringField(_l("Interests"), validators=[Optional(), Length(max=2000)],
                                   filters=[clean], render_kw={
                                       **SEARCHABLE, "data-create": True, "maxlength": 2000})
    hashtags = _text(_l("Hashtags"), 3000, render_kw={"placeholder": "#Été2026, #MaisonX"})
    mentions = _text(_l("Mentions"), 3000, render_kw={"placeholder": "@maisonx"})

    def __init__(self, *args, campaign: Campaign | None = None, owner: User | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.brand_id.choices = [("", "—")] + [
            (str(i), name) for i, name in brand_choices(campaign.brand_id if campaign else None)]
        self.objective.choices = choices("objective", OBJECTIVES)
        current = campaign.status if campaign else None
        self.status.choices = choices("campaign_status", [
            s for s in CAMPAIGN_STATUSES
            if current is None or service.transition_problem(current, s) is None])
        self.owner_id.choices = owner_choices(owner)
        self.sector.choices = [("", _l("— the brand's sector —"))] + choices("sector", SECTORS)
        self.currency.choices = [(c, c) for c in CURRENCIES]
        self.target_platforms.choices = choices("platform", PLATFORMS)
        self.target_countries.choices = country_choices()[1:]
        self.target_languages.choices = language_choices(self.target_languages.data or ())
        self.target_interests.render_kw = {**self.target_interests.render_kw,
                                           "data-options": json.dumps(service.known_interests())}
        self.target_gender.choices = [("", _l("Any")), ("female", LABELS["gender"]["female"]),
                                      ("male", LABELS["gender"]["male"])]
        self.target_age_bands.choices = [(band, band) for band in AGE_BANDS]

    # KPI target fields (kpi_reach, kpi_cpe…) are added below the class.

    def validate_brand_id(self, field) -> None:
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError(_l("Choose a brand from the list."))

    def validate_status(self, field) -> None:
        if field.data not in CAMPAIGN_STATUSES:
            raise ValidationError(_l("Choose a status from the list."))
        if self.campaign is not None:
            problem = service.transition_problem(self.campaign.status, field.data)
            if problem:
                raise ValidationError(problem)

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The campaign cannot end before it starts."))

    def validate_starts_on(self, field) -> None:
        for day in (field.data, self.ends_on.data):
            if day and not service.FIRST_YEAR <= day.year <= service.LAST_YEAR:
                raise ValidationError(_l("Dates must be between %(first)d and %(last)d.",
                                         first=service.FIRST_YEAR, last=service.LAST_YEAR))

    def validate_target_gender_share(self, field) -> None:
        if field.data is not None and not self.target_gender.data:
            raise ValidationError(_l("Choose the gender this share is for."))

    def _parsed(self, field, parse) -> None:
        try:
            parse(field.data)
        except ServiceError as error:
            raise ValidationError(str(error)) from None

    def validate_target_languages(self, field) -> None:
        self._parsed(field, service.parse_languages)

    def validate_hashtags(self, field) -> None:
        self._parsed(field, lambda text: service.parse_tags(text, "#"))

    def validate_mentions(self, field) -> None:
        self._parsed(field, lambda text: service.parse_tags(text, "@"))

    def chosen_countries(self) -> list[str]:
        """Names of the countries chosen (a long multiple select hides them)."""
        names = dict(self.target_countries.choices)
        return [names[code] for code in self.target_countries.data or [] if code in names]

    def kpi_fields(self):
        return [(code, self[kpi_field_name(code)]) for code in KPI_TARGETS]

    def values(self) -> dict:
        """The validated values, as the service's column names."""
        data = {name: self[name].data for name in service.FIELDS if name in self._fields}
        for key, value in data.items():
            if value == "":
                data[key] = None
        data["brand_id"] = int(self.brand_id.data) if self.brand_id.data else None
        data["owner_id"] = int(self.owner_id.data) if self.owner_id.data else None
        targets = {}
        for code, field in self.kpi_fields():
            if field.data is not None:
                unit = KPI_UNITS[code]
                targets[code] = field.data / 100 if unit == "money" else field.data
        data["kpi_targets"] = targets
        return data

    @classmethod
    def data_of(cls, campaign: Campaign) -> dict:
        """What the form shows for a saved campaign (data=, not formdata)."""
        data = {name: getattr(campaign, name) for name in service.FIELDS}
        for name in ("target_platforms", "target_countries", "target_age_bands"):
            data[name] = service.split_codes(data[name])
        data["target_languages"] = service.split_codes(data["target_languages"])
        for name in ("hashtags", "mentions"):
            data[name] = ", ".join((data[name] or "").split())
        data["target_interests"] = service.interests_text(data["target_interests"])
        for name in ("brand_id", "owner_id"):
            data[name] = str(data[name]) if data[name] is not None else ""
        for code, value in (campaign.kpi_targets or {}).items():
            if code in KPI_UNITS and isinstance(value, int | float):
                unit = KPI_UNITS[code]
                data[kpi_field_name(code)] = round(value * 100) if unit == "money" else value
        data["version"] = campaign.version
        return data


for _code in KPI_TARGETS:
    _unit = KPI_UNITS[_code]
    _kind = RatioField if _code == "roi" else KPI_FIELD[_unit]
    setattr(CampaignForm, kpi_field_name(_code), _kind(
        LABELS["kpi"][_code], description=UNIT_HELP["roi" if _code == "roi" else _unit],
        render_kw={"inputmode": "numeric" if _unit == "count" else "decimal"}))


class FilterForm(FlaskForm):
    """The list's filters: invalid values are shown beside their field and ignored."""

    class Meta:
        csrf = False  # a GET search form: nothing to forge

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)],
                    render_kw={"type": "search",
                               "placeholder": _l("Campaign, brand, hashtag")})
    status = SelectField(_l("Status"), default="")
    objective = SelectField(_l("Objective"), default="")
    brand = SelectField(_l("Brand"), default="")
    owner = SelectField(_l("Owner"), default="")
    date_from = DateField(_l("Running from"), validators=[Optional()])
    date_to = DateField(_l("Running until"), validators=[Optional()])
    flagged = BooleanField(_l("Compliance warnings only"))
    sort = SelectField(default="name", validate_choice=False)

    def __init__(self, *args, owners=(), brands=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _l("Any"))]
        self.status.choices = anything + choices("campaign_status", CAMPAIGN_STATUSES)
        self.objective.choices = anything + choices("objective", OBJECTIVES)
        self.brand.choices = anything + [(str(i), name) for i, name in brands]
        self.owner.choices = [("", _l("Anyone")), ("me", _l("Me")), ("none", _l("Nobody"))] + [
            (str(uid), name) for uid, name in owners]

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end of the period is before its start."))

    def clean(self) -> dict:
        """The valid, non-empty values: what the list filters on and what its links keep."""
        kept: dict = {}
        for name, field in self._fields.items():
            if field.errors or field.data in (None, "", False):
                continue
            kept[name] = field.data.strip() if isinstance(field.data, str) else field.data
        if kept.get("sort", "").lstrip("-") not in SORTS:
            kept.pop("sort", None)
        if "brand" in kept:
            kept["brand"] = int(kept["brand"])
        return {k: v for k, v in kept.items() if v != ""}
