"""Forms of the operations: plan/edit, the workflow buttons, publication, metrics typed in
by hand, and the GET filters of the operations tab and the calendar."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.campaigns.operations.service import (
    COMMENT_MAX,
    FIRST_DAY,
    LAST_DAY,
    TEXT_MAX,
    URL_MAX,
    published_on_problem,
    published_url_problem,
)
from app.codes import COUNT_METRICS
from app.forms import CountField, MoneyField, VersionedForm, clean
from app.i18n.labels import choices, label
from app.models.campaign import OPERATION_KINDS, OPERATION_STATUSES
from app.models.influencer import PLATFORMS

_STRIP = [clean]


def _in_range(form, field) -> None:
    if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Type a date between 1970 and 2100."))


def _any(group: str, codes) -> list[tuple[str, str]]:
    return [("", str(_l("Any")))] + choices(group, codes)


class OperationForm(VersionedForm):
    participant_id = SelectField(_l("Participant"), validators=[DataRequired()])
    kind = SelectField(_l("Kind"), default="post")
    # Checked by the service, which says which platforms the campaign has.
    platform = SelectField(_l("Platform"), validators=[Optional()], validate_choice=False)
    planned_on = DateField(_l("Planned for"), validators=[Optional(), _in_range])
    brief = TextAreaField(_l("Brief"), filters=_STRIP,
                          validators=[Optional(), Length(max=TEXT_MAX["brief"])],
                          description=_l("What the influencer is asked to do: key messages, "
                                         "do's and don'ts, mandatory mentions."))
    caption = TextAreaField(_l("Draft caption"), filters=_STRIP,
                            validators=[Optional(), Length(max=TEXT_MAX["caption"])],
                            description=_l("Including the disclosure (#publicité, "
                                           "#collaborationcommerciale) and the hashtags."))

    FIELDS = ("participant_id", "kind", "platform", "planned_on", "brief", "caption")

    def __init__(self, *args, participants=(), platforms=PLATFORMS, **kwargs) -> None:
        """`platforms`: the campaign's (service.platform_choices), checked here and again
        by the service."""
        super().__init__(*args, **kwargs)
        self.participant_id.choices = [("", "—")] + [
            (str(p.id), p.name + (f" ({label('platform', p.main_platform)})"
                                  if p.main_platform else "")) for p in participants]
        self.kind.choices = choices("operation_kind", OPERATION_KINDS)
        self.platform.choices = [("", str(_l("The participant's main platform")))] + choices(
            "platform", platforms)

    def values(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}


class StepForm(VersionedForm):
    """Submit and approve: a CSRF token and the version the user saw (checked when sent)."""

    version_required = False


class ReviewForm(VersionedForm):
    version_required = False
    comment = TextAreaField(_l("What should change"), filters=_STRIP,
                            validators=[DataRequired(message=_l("Say what should change: the "
                                                                "comment is required.")),
                                        Length(max=COMMENT_MAX)])


class MetricsForm(VersionedForm):
    """Every metric is optional: empty means "not known" (None), 0 means zero."""

    version_required = False

    impressions = CountField(_l("Impressions"), validators=[Optional()])
    reach = CountField(_l("Reach"), validators=[Optional()])
    views = CountField(_l("Views"), validators=[Optional()])
    likes = CountField(_l("Likes"), validators=[Optional()])
    comments = CountField(_l("Comments"), validators=[Optional()])
    shares = CountField(_l("Shares"), validators=[Optional()])
    saves = CountField(_l("Saves"), validators=[Optional()])
    clicks = CountField(_l("Clicks"), validators=[Optional()])
    conversions = CountField(_l("Conversions"), validators=[Optional()])
    revenue = MoneyField(_l("Revenue"), validators=[Optional()])
    cost = MoneyField(_l("Cost"), validators=[Optional()],
                      description=_l("Leave empty to count the operation's share of the "
                                     "agreed fee."))

    METRICS = (*COUNT_METRICS, "revenue", "cost")

    def metric_fields(self):
        return [self[name] for name in self.METRICS]

    def metrics(self) -> dict[str, int | None]:
        values = {name: self[name].data for name in COUNT_METRICS}
        values["revenue_cents"] = self.revenue.data
        values["cost_cents"] = self.cost.data
        return values

    def fill(self, operation) -> None:
        for name in COUNT_METRICS:
            self[name].data = getattr(operation, name)
        self.revenue.data = operation.revenue_cents
        self.cost.data = operation.cost_cents


class PublishForm(MetricsForm):
    published_url = StringField(_l("Published address"), filters=_STRIP,
                                validators=[DataRequired(message=_l("Give the address of the "
                                                                    "publication.")),
                                            Length(max=URL_MAX)],
                                render_kw={"type": "url", "inputmode": "url",
                                           "placeholder": "https://"})
    published_on = DateField(_l("Published on"),
                             validators=[DataRequired(message=_l("Give the date of the "
                                                                 "publication."))])

    def validate_published_url(self, field) -> None:
        problem = published_url_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_published_on(self, field) -> None:
        problem = published_on_problem(field.data)
        if problem:
            raise ValidationError(problem)


class OperationFilterForm(FlaskForm):
    class Meta:
        csrf = False  # GET filters: nothing to forge

    status = SelectField(_l("Status"), default="")
    platform = SelectField(_l("Platform"), default="")
    kind = SelectField(_l("Kind"), default="")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = _any("operation_status", OPERATION_STATUSES)
        self.platform.choices = _any("platform", PLATFORMS)
        self.kind.choices = _any("operation_kind", OPERATION_KINDS)

    def clean(self) -> dict[str, str]:
        """The valid filters only (a hand-edited URL is ignored, not an error)."""
        return {name: self[name].data for name in ("status", "platform", "kind")
                if self[name].data and not self[name].errors}


class CalendarFilterForm(FlaskForm):
    class Meta:
        csrf = False

    campaign = SelectField(_l("Campaign"), default="")
    brand = SelectField(_l("Brand"), default="")
    platform = SelectField(_l("Platform"), default="")
    status = SelectField(_l("Status"), default="")
    owner = SelectField(_l("Influencer owner"), default="")
    influencer = StringField(_l("Influencer"), filters=_STRIP,
                             validators=[Optional(), Length(max=200)],
                             render_kw={"type": "search"})

    IDS = ("campaign", "brand", "owner")

    def __init__(self, *args, campaigns=(), brands=(), team=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        anyone = [("", str(_l("Any")))]
        self.campaign.choices = anyone + [(str(i), name) for i, name in campaigns]
        self.brand.choices = anyone + [(str(i), name) for i, name in brands]
        self.owner.choices = anyone + [(str(i), name) for i, name in team]
        self.platform.choices = _any("platform", PLATFORMS)
        self.status.choices = _any("operation_status", OPERATION_STATUSES)

    def clean(self) -> dict:
        values: dict = {}
        for name in ("campaign", "brand", "platform", "status", "owner", "influencer"):
            if self[name].data and not self[name].errors:
                values[name] = int(self[name].data) if name in self.IDS else self[name].data
        return values
