"""Forms of the list's saved views: save the current filters under a name, rename."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length

from app.influencers.saved_views import NAME_MAX


class SaveViewForm(FlaskForm):
    name = StringField(_l("Name of the view"),
                       validators=[DataRequired(_l("Give the view a name.")),
                                   Length(max=NAME_MAX)],
                       render_kw={"maxlength": NAME_MAX, "autocomplete": "off"})
    shared = BooleanField(_l("Share with the team"))
    query = HiddenField()


class RenameViewForm(FlaskForm):
    name = StringField(_l("New name"), validators=[DataRequired(_l("Give the view a name.")),
                                                   Length(max=NAME_MAX)],
                       render_kw={"maxlength": NAME_MAX, "autocomplete": "off"})
