"""The outreach guard on the timeline: a call, email or meeting with a person marked "do
not contact" is refused by the same guard as contract links; a note is always allowed."""

from __future__ import annotations

import pytest

from app.influencers.interactions import OUTREACH_KINDS, add_interaction
from app.influencers.outreach import NotContactable, is_contactable
from tests.factories import make_influencer, make_user


def test_outreach_is_refused_notes_are_not(app, db):
    person = make_influencer(display_name="Zoé", status="do_not_contact")
    user = make_user("member")
    assert not is_contactable(person)
    with app.test_request_context():
        for kind in sorted(OUTREACH_KINDS):
            with pytest.raises(NotContactable):
                add_interaction(person, kind, "Relance", user=user)
        note = add_interaction(person, "note", "A demandé à ne plus être contactée", user=user)
    assert note.id is not None
