"""Contract forms: the terms (with rows of operations, in-kind benefits and legal
representatives as WTForms FieldLists: the saved rows plus blank ones, no JS), the first
step that picks the parties of a standing contract, the list's filters, and the comment a
workflow step requires."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.contracts import terms as service
from app.forms import MoneyField, VersionedForm, clean
from app.i18n.labels import choices
from app.models.campaign import CURRENCIES, OBJECTIVES, OPERATION_KINDS
from app.models.contract import (
    BASES,
    CONTRACT_STATUSES,
    DISCLOSURES,
    FOREIGN_DISCLOSURES,
    LANGUAGES,
    PAY_KINDS,
    USAGE_MEDIA,
)
from app.models.influencer import PLATFORMS

BLANK_ROWS = 3
MAX_ROWS = service.LIST_MAX + BLANK_ROWS
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _text(label, max_length, **kwargs):
    return StringField(label, validators=[Optional(), Length(max=max_length)],
                       filters=[clean], **kwargs)


def _area(label, max_length=service.TEXT_MAX, **kwargs):
    return TextAreaField(label, validators=[Optional(), Length(max=max_length)],
                         filters=[clean], render_kw={"rows": 3}, **kwargs)


def _days(label, high=service.DAYS_MAX, **kwargs):
    return IntegerField(label, validators=[Optional(), NumberRange(0, high)],
                        render_kw={"inputmode": "numeric", "min": 0, "max": high}, **kwargs)


def _date(label):
    return DateField(label, validators=[Optional()],
                     render_kw={"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()})


def _in_range(field) -> None:
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Dates must be between %(first)d and %(last)d.",
                                 first=FIRST_DAY.year, last=LAST_DAY.year))


class OperationRow(Form):
    platform = SelectField(_l("Platform"), default="")
    kind = SelectField(_l("Format"), default="")
    count = IntegerField(_l("Number"), validators=[
        Optional(), NumberRange(1, service.COUNT_MAX)], render_kw={"inputmode": "numeric"})
    date = _date(_l("Date"))
    window = _text(_l("Window"), 120, render_kw={"placeholder": _l("e.g. first week of June")})
    mentions = _text(_l("Mandatory mentions"), 300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform.choices = [("", "—")] + choices("platform", PLATFORMS)
        self.kind.choices = [("", "—")] + choices("operation_kind", OPERATION_KINDS)

    def is_blank(self) -> bool:
        return not any((self.platform.data, self.kind.data, self.count.data, self.date.data,
                        self.window.data, self.mentions.data))

    def validate_date(self, field) -> None:
        _in_range(field)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_blank():
            return valid
        for field, message in ((self.platform, _l("Choose the platform.")),
                               (self.kind, _l("Choose the format.")),
                               (self.count, _l("Give the number of operations."))):
            if not field.data and not field.errors:
                field.errors = [*field.errors, message]
                valid = False
        return valid

    def value(self) -> dict:
        return {"platform": self.platform.data, "kind": self.kind.data,
                "count": self.count.data, "date": self.date.data,
                "window": self.window.data or "", "mentions": self.mentions.data or ""}


class BenefitRow(Form):
    description = _text(_l("In-kind benefit"), 300,
                        render_kw={"placeholder": _l("e.g. the spring collection")})
    value_cents = MoneyField(_l("Value"), render_kw={"inputmode": "decimal"})

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.description.data and self.value_cents.data is None \
                and not self.value_cents.errors:
            self.value_cents.errors = [_l("Give the value of this benefit (art. 8 of the law "
                                          "of 9 June 2023).")]
            valid = False
        if self.value_cents.data is not None and not self.description.data:
            self.description.errors = [*self.description.errors, _l("Describe this benefit.")]
            valid = False
        return valid

    def value(self) -> dict:
        return {"description": self.description.data or "", "value_cents": self.value_cents.data}


class RepresentativeRow(Form):
    name = _text(_l("Name"), 200)
    email = StringField(_l("Email"), validators=[Optional(), Length(max=254), Email(
        message=_l("Type a valid email address."))], filters=[clean])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.email.data and not self.name.data:
            self.name.errors = [*self.name.errors, _l("Give the representative's name.")]
            valid = False
        if self.name.data and not self.email.data:
            self.email.errors = [*self.email.errors, _l("Give the representative's email.")]
            valid = False
        return valid

    def value(self) -> dict:
        return {"name": self.name.data or "", "email": self.email.data or ""}


def _rows(form_class, label):
    return FieldList(FormField(form_class), label=label, max_entries=MAX_ROWS)


class ContractForm(VersionedForm):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)],
                        filters=[clean])
    language = SelectField(_l("Language of the contract"), default="fr")
    objective = SelectField(_l("Promotional objective"), default="awareness")
    products = _area(_l("Products or services promoted"))
    basis = SelectField(_l("Term"), default="duration")
    starts_on = _date(_l("Start"))
    ends_on = _date(_l("End"))
    deadline = _date(_l("Deadline of the operations"))
    operations = _rows(OperationRow, _l("Operations"))
    pay_kind = SelectField(_l("Pay"), default="fixed")
    currency = SelectField(_l("Currency"), default="EUR")
    fixed_fee_cents = MoneyField(_l("Fixed fee (excl. VAT)"), render_kw={"inputmode": "decimal"})
    fee_per_operation_cents = MoneyField(_l("Fee per operation (excl. VAT)"),
                                         render_kw={"inputmode": "decimal"})
    benefits = _rows(BenefitRow, _l("In-kind benefits"))
    payment_terms = _area(_l("Payment terms"))
    payment_days = _days(_l("Payment within (days)"), default=30)
    exclusivity = BooleanField(_l("Exclusivity"))
    exclusivity_competitors = _area(_l("Competitors excluded"))
    exclusivity_months = _days(_l("Exclusivity period (months)"), service.MONTHS_MAX)
    usage_media = MultiCheckboxField(_l("Media where the brand may use the content"))
    usage_territories = _text(_l("Territories"), 200,
                              render_kw={"placeholder": _l("e.g. France, Belgium")})
    usage_months = _days(_l("Usage period (months)"), service.MONTHS_MAX)
    paid_amplification = BooleanField(_l("Paid amplification allowed"))
    disclosure = SelectField(_l("Disclosure wording"), default="collaboration_commerciale")
    retouched_images = BooleanField(_l("Retouched images (« Images retouchées »)"))
    virtual_images = BooleanField(_l("Virtual images (« Images virtuelles »)"))
    foreign_disclosure = SelectField(_l("Foreign audience"), default="none")
    submission_days = _days(_l("Drafts submitted (days before)"), default=5)
    feedback_days = _days(_l("Brand feedback within (days)"), default=3)
    termination_notice_days = _days(_l("Termination notice (days)"), default=30)
    confidentiality = BooleanField(_l("Confidentiality clause"), default=True)
    jurisdiction = _text(_l("Jurisdiction"), 120,
                         render_kw={"placeholder": _l("e.g. the courts of Paris")})
    representatives = _rows(RepresentativeRow, _l("Legal representatives"))
    minor_authorisation = _text(_l("Administration's prior authorisation"), 200)
    eu_representative = _area(_l("Legal representative in the EU"))
    insurance = _text(_l("Civil-liability insurance"), 300)
    notes = _area(_l("Notes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = choices("contract_language", LANGUAGES)
        self.objective.choices = choices("objective", OBJECTIVES)
        self.basis.choices = choices("contract_basis", BASES)
        self.pay_kind.choices = choices("pay_kind", PAY_KINDS)
        self.currency.choices = [(c, c) for c in CURRENCIES]
        self.usage_media.choices = choices("usage_media", USAGE_MEDIA)
        self.disclosure.choices = choices("disclosure", DISCLOSURES)
        self.foreign_disclosure.choices = choices("foreign_disclosure", FOREIGN_DISCLOSURES)

    def validate_starts_on(self, field) -> None:
        _in_range(field)

    def validate_ends_on(self, field) -> None:
        _in_range(field)
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date must come after the start date."))

    def validate_deadline(self, field) -> None:
        _in_range(field)

    def values(self) -> dict:
        """The validated values, as the service's keys (blank rows left out)."""
        data = {name: self[name].data for name in service.FIELDS
                if name not in ("operations", "benefits", "representatives")}
        for name in ("operations", "benefits", "representatives"):
            data[name] = [row.form.value() for row in self[name] if not _blank(row.form)]
        return data

    @classmethod
    def data_of(cls, values: dict, version: int | None = None) -> dict:
        """What the form shows for saved (or default) values, with blank rows added."""
        data = {name: values.get(name) for name in service.FIELDS}
        data["operations"] = [{**op, "date": _iso_day(op.get("date"))}
                              for op in values.get("operations") or []]
        for name in ("operations", "benefits", "representatives"):
            data[name] = [*(data[name] or []), *({} for _ in range(BLANK_ROWS))]
        media = values.get("usage_media") or ""
        data["usage_media"] = media.split(",") if isinstance(media, str) else list(media)
        if data.get("confidentiality") is None:
            data["confidentiality"] = True
        data = {key: value for key, value in data.items() if value is not None}
        data["version"] = version
        return data


def _blank(row) -> bool:
    if isinstance(row, OperationRow):
        return row.is_blank()
    return not any(field.data not in (None, "") for field in row)


def _iso_day(value):
    if isinstance(value, date) or not value:
        return value or None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class PartiesForm(FlaskForm):
    """The first step of a standing contract: which brand, which influencer (a GET form)."""

    class Meta:
        csrf = False

    brand = SelectField(_l("Brand"), default="", validate_choice=False)
    q = StringField(_l("Find an influencer"), validators=[Optional(), Length(max=100)],
                    filters=[clean], render_kw={"type": "search",
                                                "placeholder": _l("Name, email or handle")})
    influencer = SelectField(_l("Influencer"), default="", validate_choice=False)

    def __init__(self, *args, brands=(), influencers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.brand.choices = [("", "—")] + [(str(i), name) for i, name in brands]
        self.influencer.choices = [("", "—")] + [(str(i), name) for i, name in influencers]


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)], filters=[clean],
                    render_kw={"type": "search",
                               "placeholder": _l("Number, title, brand, influencer")})
    status = SelectField(_l("Status"), default="", validate_choice=False)
    brand = SelectField(_l("Brand"), default="", validate_choice=False)

    def __init__(self, *args, brands=(), counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        counts = counts or {}
        self.status.choices = [("", _l("Any"))] + [
            (code, f"{label} ({counts.get(code, 0)})")
            for code, label in choices("contract_status", CONTRACT_STATUSES)]
        self.brand.choices = [("", _l("Any"))] + [(str(i), name) for i, name in brands]

    def validate_status(self, field) -> None:
        if field.data and field.data not in CONTRACT_STATUSES:
            raise ValidationError(_l("Choose a status from the list."))

    def validate_brand(self, field) -> None:
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose a brand from the list."))

    def filters(self) -> service.ListFilters:
        def ok(field):
            return field.data if field.data and not field.errors else None

        brand = ok(self.brand)
        return service.ListFilters(text=ok(self.q) or "", status=ok(self.status) or "",
                                   brand_id=int(brand) if brand else None)
