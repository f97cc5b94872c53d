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


def _done_run(db, *communities: tuple[int, str, int], ident: int | None = None) -> ScoringRun:
    """A finished scoring run with these (number, label, size) communities."""
    run = ScoringRun(id=ident, status="done", finished_at=utcnow())
    db.session.add(run)
    db.session.flush()
    for number, label, size in communities:
        db.session.add(Community(run_id=run.id, number=number, label=label, size=size))
    db.session.commit()
    return run


def _community_options(client) -> list[str]:
    html = client.get("/influencers/").get_data(as_text=True)
    select = html[html.index('name="community"'):]
    return re.findall(r"<option[^>]*>([^<]*)</option>", select[:select.index("</select>")])


def test_the_list_page_shows_each_community_once(db, viewer_client):
    _done_run(db, (1, "musée · running", 21), (2, "musée · running", 15), (3, "cuisine", 9))
    factories.make_influencer()
    assert _community_options(viewer_client)[1:] == [
        "musée · running (Community 1) · 21 people",
        "musée · running (Community 2) · 15 people", "cuisine · 9 people"]


def test_the_choices_kept_per_run_follow_a_new_run_and_a_reused_id(db, viewer_client,
                                                                     client_as):
    """The choices are kept per process, keyed by the run's id and finish time: a new run
    shows its own communities, and so does another run given the same id (SQLite gives a
    deleted row's id again; a restored backup holds other runs)."""
    factories.make_influencer()
    _done_run(db, (1, "cuisine", 9))
    assert _community_options(viewer_client)[1:] == ["cuisine · 9 people"]
    newer = _done_run(db, (4, "voyage", 3))
    assert _community_options(viewer_client)[1:] == ["voyage · 3 people"]
    reused_id = newer.id
    db.session.delete(newer)
    db.session.commit()
    assert _community_options(viewer_client)[1:] == ["cuisine · 9 people"]
    _done_run(db, (5, "danse", 2), ident=reused_id)
    assert _community_options(viewer_client)[1:] == ["danse · 2 people"]
    french = client_as(factories.make_user("viewer", locale="fr"))
    assert _community_options(french)[1:] == ["danse · 2 personnes"]  # kept per language
    assert _community_options(viewer_client)[1:] == ["danse · 2 people"]
