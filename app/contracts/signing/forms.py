"""The signer's consent form and the team's signing forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField
from wtforms.validators import DataRequired

from app.forms import VersionedForm


class SignForm(FlaskForm):
    accept = BooleanField(_l("I have read the contract and I accept it."), validators=[
        DataRequired(_l("Tick the box to accept the contract before signing."))])


class SendForm(VersionedForm):
    """Send the signing links: the version guards against sending a contract changed since
    the page was opened."""


class RenewForm(FlaskForm):
    pass


class ScanForm(FlaskForm):
    scan = FileField(_l("Scan of the signed contract (PDF, JPEG or PNG)"), validators=[
        FileRequired(_l("Choose the file of the signed contract."))])
    confirm = BooleanField(_l("Every party signed this paper contract."), validators=[
        DataRequired(_l("Confirm that every party signed the paper contract."))])
