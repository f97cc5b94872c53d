"""The brand form: the legal identity a contract needs, validated as it is typed."""

from __future__ import annotations

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    EmailField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.brands.logo import LOGO_MAX, Logo, read_logo
from app.brands.service import registration_problem
from app.codes import SECTORS
from app.core.errors import ServiceError
from app.forms import VersionedForm, country_choices
from app.i18n.labels import choices
from app.security import safe_http_url


def country_name(code: str | None) -> str | None:
    """A country's name in the user's language (the code when Babel has no name for it)."""
    if not code:
        return None
    return Locale.parse(str(get_locale() or "fr")).territories.get(code, code)


def _http_only(form, field) -> None:
    if field.data and not safe_http_url(field.data):
        raise ValidationError(_l("Only http:// or https:// addresses are accepted."))


class BrandForm(VersionedForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    legal_name = StringField(_l("Legal name"), validators=[Optional(), Length(max=200)])
    legal_form = StringField(_l("Legal form"), validators=[Optional(), Length(max=80)],
                             description=_l("e.g. SAS, SARL, SA, association"))
    tax_country = SelectField(_l("Tax-residence country"), validators=[Optional()])
    registration_number = StringField(
        _l("Registration number"), validators=[Optional(), Length(max=40)],
        description=_l("SIREN (9 digits) or SIRET (14 digits) for a French company; "
                       "the foreign equivalent otherwise."),
    )
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=1000)])
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    signatory_name = StringField(_l("Signatory name"), validators=[Optional(), Length(max=200)])
    signatory_title = StringField(_l("Signatory title"),
                                  validators=[Optional(), Length(max=200)])
    sector = SelectField(_l("Sector"), validators=[Optional()])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=500), _http_only])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])
    logo_file = FileField(_l("Logo"), description=_l(
        "PNG, JPEG or SVG, 2 MB at most. Shown on the campaign reports and the contracts."))
    submit = SubmitField(_l("Save"))
    # The checked logo of a valid upload (validate_logo_file), None when no file was chosen.
    new_logo: Logo | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tax_country.choices = country_choices()
        self.sector.choices = [("", "—"), *choices("sector", SECTORS)]

    def validate_registration_number(self, field) -> None:
        problem = registration_problem(field.data, self.tax_country.data or None)
        if problem:
            raise ValidationError(problem)

    def validate_logo_file(self, field) -> None:
        self.new_logo = None
        if field.data:
            try:
                self.new_logo = read_logo(field.data.read(LOGO_MAX + 1))
            except ServiceError as error:
                raise ValidationError(str(error)) from None

    def values(self) -> dict:
        return {
            name: field.data for name, field in self._fields.items()
            if name not in {"version", "submit", "csrf_token", "logo_file"}
        }
