"""The influencer list's community filter lists each community once: two communities whose
labels read alike (the same commonest tags, in either order) are told apart by their
number, in the reader's language."""

from __future__ import annotations

import re

from flask_babel import force_locale

from app.influencers.list_forms import distinct_communities
from app.models import Community, ScoringRun
from app.models.base import utcnow
from tests import factories

# What app.influencers.latest_run.communities gives for the demo's first scoring run.
DEMO = [("1", "parentalité · cuisine · 40 people"), ("3", "mode · art · 32 people"),
        ("7", "musée · running · 21 people"), ("12", "musée · running · 15 people"),
        ("13", "art · mode · 13 people"), ("20", "Community 20 · 1 person")]


def test_alike_labels_get_their_number(app):
    with app.test_request_context(), force_locale("en"):
        texts = [text for _value, text in distinct_communities(DEMO)]
    assert texts == ["parentalité · cuisine · 40 people",
                     "mode · art (Community 3) · 32 people",
                     "musée · running (Community 7) · 21 people",
                     "musée · running (Community 12) · 15 people",
                     "art · mode (Community 13) · 13 people",
                     "Community 20 · 1 person"]
    assert len(set(texts)) == len(texts)


def test_one_entry_per_community(app):
    with app.test_request_context(), force_locale("fr"):
        choices = distinct_communities([("7", "musée · running · 21 personnes"),
                                        ("7", "musée · running · 21 personnes")])
    assert choices == [("7", "musée · running · 21 personnes")]


def test_the_list_page_shows_each_community_once(db, viewer_client):
    run = ScoringRun(status="done", finished_at=utcnow())
    db.session.add(run)
    db.session.flush()
    for number, label, size in ((1, "musée · running", 21), (2, "musée · running", 15),
                                (3, "cuisine", 9)):
        db.session.add(Community(run_id=run.id, number=number, label=label, size=size))
    db.session.commit()
    factories.make_influencer()
    html = viewer_client.get("/influencers/").get_data(as_text=True)
    select = html[html.index('name="community"'):]
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select[:select.index("</select>")])
    assert options[1:] == ["musée · running (Community 1) · 21 people",
                           "musée · running (Community 2) · 15 people", "cuisine · 9 people"]
