"""Forms of the administration screens and of the profile page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from app.i18n.labels import LABELS, choices, label
from app.models.user import ROLES
from app.security import PASSWORD_MAX, password_problem


def language_choices() -> list[tuple[str, str]]:
    return [("", _l("Browser default")), ("fr", "Français"), ("en", "English")]


class CreateUserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), default="member")
    locale = SelectField(_l("Language"), default="")
    password = PasswordField(
        _l("Initial password"), validators=[Optional(), Length(max=PASSWORD_MAX)],
        description=_l("At least 8 characters. Leave empty and tick the box below to "
                       "generate one."),
    )
    generate = BooleanField(_l("Generate a random password (shown once)"))
    submit = SubmitField(_l("Create the user"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = choices("role", ROLES)
        self.locale.choices = language_choices()

    def validate_password(self, field) -> None:
        if self.generate.data:
            return
        if not field.data:
            raise ValidationError(_l("Type an initial password or tick “generate”."))
        problem = password_problem(field.data, email=self.email.data or "",
                                   name=self.name.data or "")
        if problem:
            raise ValidationError(problem)


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = choices("role", ROLES)


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    locale = SelectField(_l("Language"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices()


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"),
                            validators=[DataRequired(), Length(max=1024)])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)],
                        description=_l("8 to 128 characters; a long sentence is a good "
                                       "password. Common passwords are refused."))
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two passwords differ.")),
    ])
    submit_password = SubmitField(_l("Change the password"))


class AuditFilterForm(FlaskForm):
    """Filters of the audit log, read from the query string (a GET: no CSRF token)."""

    class Meta:
        csrf = False

    entity = SelectField(_l("Record type"), default="", validators=[Optional()])
    user = SelectField(_l("Who"), default="", validators=[Optional()])
    action = SelectField(_l("Action"), default="", validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

    def __init__(self, *args, entity_types=(), users=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.entity.choices = [("", _l("All")), *[(t, label("entity", t)) for t in entity_types]]
        self.user.choices = [("", _l("Everyone")), *[(str(u.id), u.name) for u in users]]
        self.action.choices = [("", _l("All")), *choices("action", tuple(LABELS["action"]))]
