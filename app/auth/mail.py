"""The "forgot password" email, in the user's language, through the SMTP server of the
configuration (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_TLS: the
same settings as the signing links' emails). A failure is logged, never shown: the page
that asked for the link answers the same whatever happens here."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.core import mail
from app.i18n.formats import day
from app.models import User
from app.models.base import utcnow

log = logging.getLogger("relais.auth")


def _message(user: User, url: str, expires_at: datetime, locale: str) -> EmailMessage:
    sender = mail.sender()
    with force_locale(locale):
        subject = _("Choose a new password for Relais")
        body = render_template("auth/reset_email.txt", user=user, url=url,
                               until=day(expires_at, "long"))
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    # Header values never carry line breaks (no header injection through a name).
    message["To"] = Address(display_name=" ".join(user.name.split()), addr_spec=user.email)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message.set_content(body)
    message["Content-Language"] = locale
    return message


def send_reset_link(user: User, url: str, expires_at: datetime, locale: str) -> bool:
    """Email the link to the user; whether the server took it."""
    config = current_app.config
    try:
        message = _message(user, url, expires_at, locale if locale in ("fr", "en") else "fr")
        with mail.connect(config) as server:
            server.send_message(message)
    except (OSError, ValueError, smtplib.SMTPException) as error:
        log.warning("password reset link for %s not emailed through %s: %s", user.email,
                    config.get("SMTP_HOST"), error)
        return False
    return True
