"""The form of "Add to a campaign": the campaign (an open one) and the stage they join at;
the people are the posted `ids`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import InputRequired

from app.campaigns.participants.bulk_add import JOIN_STAGES
from app.i18n.labels import choices


class AddToCampaignForm(FlaskForm):
    campaign = SelectField(_l("Campaign"), coerce=int,
                           validators=[InputRequired(_l("Choose a campaign."))])
    stage = SelectField(_l("Stage they start at"), default=JOIN_STAGES[0],
                        validators=[InputRequired()])

    def __init__(self, *args, campaigns: list[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.campaign.choices = list(campaigns)
        self.stage.choices = choices("stage", JOIN_STAGES)
