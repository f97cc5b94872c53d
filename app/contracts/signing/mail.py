"""Signing links, then each signer's copy of the signed PDF, by email, in the contract's
language, through the SMTP server of the configuration (SMTP_HOST, SMTP_PORT, SMTP_USER,
SMTP_PASSWORD, SMTP_FROM, SMTP_TLS).

The standard library's smtplib and email.message do the work: one connection per sending,
one message per signer. A failure is logged and leaves that signer's link to be shown to
the team (or their signed copy on their link), never lost.
"""

from __future__ import annotations

import logging
import smtplib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.core import mail
from app.i18n.formats import day

log = logging.getLogger("relais.signing")
TLS_MODES = ("starttls", "ssl", "none")


def configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def _one_line(text: str) -> str:
    # Header values never carry line breaks (no header injection through a name).
    return " ".join((text or "").split())


def _message(contract, link, sender: str):
    with force_locale(contract.language or "fr"):
        subject = _("Contract %(number)s to sign: %(title)s", number=contract.number,
                    title=_one_line(contract.title))
        body = render_template("signing/email.txt", contract=contract, link=link,
                               expires=day(link.expires_at.date(), "long"))
    return _envelope(contract, link, sender, subject, body)


def _envelope(contract, link, sender: str, subject: str, body: str) -> EmailMessage:
    """One message to `link.name` <`link.email`> in the contract's language."""
    from app.models.base import utcnow

    message = EmailMessage()
    message["Subject"] = _one_line(subject)
    message["From"] = sender
    local, _at, domain = link.email.rpartition("@")
    message["To"] = Address(display_name=_one_line(link.name), username=local, domain=domain)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    message.set_content(body)
    message["Content-Language"] = contract.language or "fr"  # after: set_content clears it
    return message


def _send_all(messages) -> set[int]:
    """Send (signer id, message builder) pairs over one connection; the ids reached."""
    config = current_app.config
    reached: set[int] = set()
    try:
        with mail.connect(config) as server:
            for signer_id, build in messages:
                try:
                    server.send_message(build())
                except (smtplib.SMTPException, ValueError) as error:
                    log.warning("message for signer %s not emailed: %s", signer_id, error)
                else:
                    reached.add(signer_id)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("SMTP server %s unreachable: %s", config.get("SMTP_HOST"), error)
    return reached


def send_links(contract, links) -> set[int]:
    """Email each link to its signer; the ids of the signers reached."""
    sender = mail.sender()
    return _send_all([(link.signer_id, lambda link=link: _message(contract, link, sender))
                      for link in links])


def _copy_message(contract, signer, pdf: bytes, file_name: str, until, sender: str):
    from types import SimpleNamespace

    with force_locale(contract.language or "fr"):
        subject = _("Contract %(number)s is signed: %(title)s", number=contract.number,
                    title=_one_line(contract.title))
        body = render_template("signing/copy_email.txt", contract=contract, signer=signer,
                               until=day(until.date(), "long"))
    link = SimpleNamespace(email=signer.email, name=signer.name)
    message = _envelope(contract, link, sender, subject, body)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=file_name)
    del message["Content-Language"]  # moved to the text part by add_attachment: say it once
    message["Content-Language"] = contract.language or "fr"
    return message


def send_signed_copies(contract, signers, pdf: bytes, sealed, until) -> set[int]:
    """Email the signed PDF, attached, to each signer; the ids of the signers reached."""
    sender = mail.sender()
    name = f"{contract.number}-v{sealed.version}-signed.pdf"
    return _send_all([(s.id, lambda s=s: _copy_message(contract, s, pdf, name, until, sender))
                      for s in signers])
