"""The dashboard: counts by status and platform, recent changes, my follow-ups."""

from datetime import date, timedelta

from app.models import Interaction
from tests import factories


def test_empty_dashboard_says_what_to_do(member_client):
    page = member_client.get("/").get_data(as_text=True)
    assert "No influencers yet" in page
    assert "/influencers/new" in page


def test_counts_by_status_and_platform(member_client, db):
    factories.make_influencer(status="engaged",
                              accounts=[{"platform": "instagram", "handle": "a1"}])
    factories.make_influencer(status="engaged",
                              accounts=[{"platform": "tiktok", "handle": "b1"},
                                        {"platform": "instagram", "handle": "b2"}])
    factories.make_influencer(status="prospect")
    page = member_client.get("/").get_data(as_text=True)
    assert 'href="/influencers/?status=engaged">Engaged</a> <span>2</span>' in page
    assert 'href="/influencers/?platform=instagram">Instagram</a> <span>2</span>' in page
    assert 'href="/influencers/?platform=tiktok">TikTok</a> <span>1</span>' in page


def test_my_follow_ups_only_mine_and_open(member_client, db):
    me = member_client.user
    other = factories.make_user("member")
    influencer = factories.make_influencer(display_name="Inès Moreau")
    soon = date.today() + timedelta(days=2)
    db.session.add_all([
        Interaction(influencer_id=influencer.id, user_id=me.id, kind="call",
                    summary="Relancer pour le salon", follow_up_on=soon),
        Interaction(influencer_id=influencer.id, user_id=me.id, kind="email",
                    summary="Déjà fait", follow_up_on=soon, follow_up_done=True),
        Interaction(influencer_id=influencer.id, user_id=other.id, kind="email",
                    summary="Pas à moi", follow_up_on=soon),
    ])
    db.session.commit()
    page = member_client.get("/").get_data(as_text=True)
    page = page.split("My follow-ups")[1].split("Recent changes")[0]
    assert "Relancer pour le salon" in page
    assert "Déjà fait" not in page
    assert "Pas à moi" not in page


def test_recent_changes_listed(member_client, db):
    factories.make_influencer(display_name="Hugo Lefèvre")
    page = member_client.get("/").get_data(as_text=True)
    assert "Recent changes" in page
    assert '">Hugo Lefèvre</a> created' in page


def test_counts_follow_every_change(member_client, db):
    """The counts are cached per process, keyed on the audit trail's last event."""
    factories.make_influencer(status="engaged")
    assert "<span>1</span>" in member_client.get("/").get_data(as_text=True)
    factories.make_influencer(status="engaged")
    page = member_client.get("/").get_data(as_text=True)
    assert 'href="/influencers/?status=engaged">Engaged</a> <span>2</span>' in page
