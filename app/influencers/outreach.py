"""The one guard of every outreach: nobody marked "do not contact" is reached by the team
through Relais. Every path that writes to an influencer or hands them a link calls
`ensure_contactable` before anything leaves (contract signing links, sent or renewed; a
call, email or meeting logged on the timeline); a new outreach path calls it too.

Not outreach, so not guarded: notes on the timeline, and the copy of a contract a person
signed, emailed once it is sealed (contracts/signing/copies.py): it is their own signed
document, owed to them as a party, in answer to their own signature — never a new contact.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.core.errors import ServiceError

DO_NOT_CONTACT = "do_not_contact"


class NotContactable(ServiceError):
    """Outreach refused: the person asked not to be contacted (the message says who)."""


def is_contactable(influencer) -> bool:
    return influencer is None or influencer.status != DO_NOT_CONTACT


def ensure_contactable(influencer) -> None:
    """Raise NotContactable when `influencer` is marked "do not contact"."""
    if not is_contactable(influencer):
        name = (influencer.display_name or influencer.legal_name or "").strip() or "—"
        raise NotContactable(_("%(name)s is marked “do not contact”: nothing is sent to "
                               "them. Change their status first if they agreed to be "
                               "contacted again.", name=name))
