"""The login form and the forgotten password's two forms; the limits on failed logins and
on links asked for are the views' (routes.py, reset_routes.py)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.security import PASSWORD_MAX


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Log in"))


class ForgotForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class ResetForm(FlaskForm):
    """The new password twice; its rules are account creation's (security.password_problem,
    checked by the service)."""

    new = PasswordField(_l("New password"),
                        validators=[DataRequired(), Length(max=PASSWORD_MAX)],
                        description=_l("8 to 128 characters; a long sentence is a good "
                                       "password. Common passwords are refused."))
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two passwords differ.")),
    ])
    submit = SubmitField(_l("Save the new password"))
