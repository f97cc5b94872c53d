"""Forms of the candidates and "propose ambassadors" pages: both are GET forms (reading
and computing change nothing), so they carry no CSRF token; adding people is a separate
POST, checked by the app-wide CSRF protection."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from app.campaigns.candidates.ambassadors import MAX_COUNT
from app.campaigns.service import split_codes
from app.forms import CountField, MoneyField
from app.i18n.labels import choices
from app.models.influencer import PLATFORMS

DEFAULT_COUNT = 10


class CandidateFilterForm(FlaskForm):
    class Meta:
        csrf = False

    max_fee = MoneyField(_l("Maximum fee"), validators=[Optional()],
                         render_kw={"inputmode": "decimal", "placeholder": _l("e.g. 1 500")})
    platform = SelectField(_l("Platform"), default="")
    community = SelectField(_l("Community"), default="")

    def __init__(self, *args, campaign, communities: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        wanted = [p for p in split_codes(campaign.target_platforms) if p in PLATFORMS]
        any_label = _l("The campaign's platforms") if wanted else _l("Any")
        self.platform.choices = [("", any_label)] + choices("platform", wanted or PLATFORMS)
        self.community.choices = [("", _l("Any"))] + [(str(n), name) for n, name in communities]

    def filters(self) -> dict:
        """The valid filters only (invalid ones are shown with their error, not applied)."""
        kept: dict = {}
        if self.max_fee.data is not None and not self.max_fee.errors:
            kept["max_fee_cents"] = self.max_fee.data
        if self.platform.data and not self.platform.errors:
            kept["platform"] = self.platform.data
        if self.community.data and not self.community.errors:
            kept["community"] = int(self.community.data)
        return kept

    def link_args(self) -> dict[str, str]:
        """The query of the valid filters, for the pager and the add form's return."""
        args = {}
        if "max_fee_cents" in self.filters():
            args["max_fee"] = self.max_fee.raw_data[0] if self.max_fee.raw_data else ""
        for name in ("platform", "community"):
            if self[name].data and not self[name].errors:
                args[name] = self[name].data
        return args


class AmbassadorForm(FlaskForm):
    class Meta:
        csrf = False

    budget = MoneyField(_l("Budget"), validators=[InputRequired(_l("Give a budget."))],
                        render_kw={"inputmode": "decimal"})
    max_count = CountField(
        _l("Maximum number of ambassadors"),
        validators=[InputRequired(_l("Give a number between 1 and %(max)d.", max=MAX_COUNT)),
                    NumberRange(1, MAX_COUNT, _l("Give a number between 1 and %(max)d.",
                                                 max=MAX_COUNT))],
        render_kw={"inputmode": "numeric"})
