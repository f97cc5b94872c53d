"""Forms of the participants page: finding influencers to add (a search, or the address of
a filtered influencer list), moving a card, a participant's fees and notes."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.auth import users
from app.campaigns.participants.service import NOTES_MAX
from app.forms import MoneyField, VersionedForm, clean
from app.i18n.labels import choices
from app.influencers.list_forms import FilterForm
from app.models.campaign import STAGES
from app.models.influencer import PLATFORMS

ADDRESS_MAX = 4000
NOT_FILTERS = {"sort", "per_page"}


class SearchForm(FlaskForm):
    """Find influencers to add: the influencer list's own search and platform filter."""

    class Meta:
        csrf = False  # a GET search form: nothing to forge

    q = StringField(_l("Find influencers to add"), validators=[Optional(), Length(max=200)],
                    render_kw={"type": "search", "placeholder": _l("Name, handle, email, tag")})
    platform = SelectField(_l("Platform"), default="")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.platform.choices = [("", _l("Any"))] + choices("platform", PLATFORMS)

    def filters(self) -> dict:
        kept = {}
        query = clean(self.q.data or "") if not self.q.errors else ""
        if query:
            kept["q"] = query
        if self.platform.data and not self.platform.errors:
            kept["platform"] = self.platform.data
        return kept


class ListFilterForm(FlaskForm):
    """The address of a filtered influencer list, pasted from the browser's address bar."""

    address = StringField(
        _l("Address of a filtered influencer list"),
        validators=[DataRequired(_l("Paste the address of the influencer list.")),
                    Length(max=ADDRESS_MAX)],
        render_kw={"placeholder": _l("e.g. https://…/influencers/?platform=instagram&country=FR"),
                   "autocomplete": "off"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters: dict = {}

    def validate_address(self, field) -> None:
        self.filters = list_filters(field.data or "")


def list_filters(address: str) -> dict:
    """The filters of an influencer-list address (what the list itself would apply).
    Raises ValidationError when it is not such an address or holds invalid filters: adding
    in bulk from a filter silently ignored would add the wrong people."""
    text = clean(address)
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. "https://[::1": a broken host
        raise ValidationError(_l("This is not the address of the influencer list.")) from None
    if parts.scheme and parts.scheme.lower() not in {"http", "https"}:
        raise ValidationError(_l("This is not the address of the influencer list."))
    query = parts.query
    if not parts.scheme and not parts.netloc and "?" not in text and "=" in text:
        query = text  # only the part after "?" was pasted
    elif parts.path.rstrip("/") and not parts.path.rstrip("/").endswith(
            url_for("influencers.index").rstrip("/")):
        raise ValidationError(_l("This is not the address of the influencer list."))
    form = FilterForm(formdata=MultiDict(parse_qsl(query, keep_blank_values=True)),
                      owners=users.team())
    if not form.validate():
        problems = [f"{form[name].label.text}: {errors[0]}" for name, errors in
                    form.errors.items() if name in form._fields]
        raise ValidationError(_l("Some filters of this address are not valid: %(problems)s",
                                 problems="; ".join(problems)))
    filters = {k: v for k, v in form.clean().items() if k not in NOT_FILTERS}
    if not filters:
        raise ValidationError(_l("This address has no filter: filter the influencer list "
                                 "first, then copy its address."))
    return filters


class MoveForm(FlaskForm):
    """A card's move: the stage chosen (select, ← / → buttons or a drop) and the stage the
    mover saw, so that a card moved by someone else meanwhile is not moved twice."""

    stage = SelectField(_l("Stage"), validators=[DataRequired()])
    seen = HiddenField(validators=[Optional()])
    # "1" once the mover answered yes to the question a move may ask (the confirmation page
    # re-posts it; board.js adds it after the browser's own confirm dialog).
    confirm = HiddenField(validators=[Optional()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stage.choices = choices("stage", STAGES)

    def expected(self) -> str | None:
        return self.seen.data if self.seen.data in STAGES else None

    def confirmed(self) -> bool:
        return self.confirm.data == "1"


class TermsForm(VersionedForm):
    """A participant's fees and notes, edited in the table (optimistic locking)."""

    proposed_fee_cents = MoneyField(_l("Proposed fee"), validators=[Optional()])
    agreed_fee_cents = MoneyField(_l("Agreed fee"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=NOTES_MAX)])

    def values(self) -> dict:
        return {"proposed_fee_cents": self.proposed_fee_cents.data,
                "agreed_fee_cents": self.agreed_fee_cents.data, "notes": self.notes.data}
