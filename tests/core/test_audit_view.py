"""The audit trail as people read it (app/core/audit_view.py): one entry per user action,
labels in the reader's language, values formatted, bookkeeping hidden, names with links,
and a bounded number of queries however many events a page shows."""

from __future__ import annotations

import re
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.core.audit import one_action
from app.extensions import db
from app.models import AuditEvent, Contract
from app.models.base import utcnow
from tests.factories import (
    make_brand,
    make_campaign,
    make_influencer,
    make_participant,
    make_user,
)

CONTRACT_FORM = {
    "title": "Rentrée", "language": "fr", "objective": "awareness", "basis": "operations",
    "deadline": "2026-09-30", "pay_kind": "fixed", "currency": "EUR",
    "fixed_fee_cents": "2 400", "payment_terms": "À réception de facture",
    "payment_days": "30", "disclosure": "publicite", "foreign_disclosure": "none",
    "operations-0-platform": "instagram", "operations-0-kind": "story",
    "operations-0-count": "2", "operations-0-window": "septembre",
}


def heads(page: str) -> list[str]:
    """The head line of each entry, tags removed."""
    return [re.sub(r"<[^>]+>", "", h).strip()
            for h in re.findall(r'<span class="audit-head">(.*?)</span>', page, re.S)]


def create_contract(client) -> Contract:
    campaign = make_campaign(brand=make_brand(name="Musée d'Orsay"), name="Rentrée")
    participant = make_participant(campaign=campaign, agreed_fee_cents=240_000,
                                   influencer=make_influencer(display_name="Édith Piaf"))
    response = client.post(f"/contracts/new?participant={participant.id}", data=CONTRACT_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Contract))


def test_creating_a_contract_is_one_entry_with_its_details_folded(member_client,
                                                                   admin_client):
    contract = create_contract(member_client)
    assert contract.number.startswith("RLS-")
    for page in (admin_client.get("/admin/audit").get_data(as_text=True),
                 member_client.get(f"/contracts/{contract.id}").get_data(as_text=True)):
        mine = [h for h in heads(page) if "Contract" in h]
        assert mine == [f"Contract {contract.number} created"]
        entry = page[page.index(f">{contract.number}</a> created"):]
        entry = entry[:entry.index("</tr>")]
        assert "<details" in entry and "</details>" in entry
        assert "Contract number" in entry and "tmp-" not in entry  # no temporary number
        assert "€2,400.00" in entry and "240000" not in entry
        assert "Fixed fee" in entry and "fixed_fee_cents" not in entry
        assert "Instagram · Story · 2 · septembre" in entry  # the operations, with labels
        assert "[{" not in entry and "&#39;platform" not in entry
        assert f'<a href="/brands/{contract.brand_id}">Musée d&#39;Orsay</a>' in entry
        assert "version" not in entry.lower() and "created_by" not in entry


def test_the_campaign_page_shows_its_contracts_created_as_one_entry(member_client):
    contract = create_contract(member_client)
    page = member_client.get(f"/campaigns/{contract.campaign_id}").get_data(as_text=True)
    assert heads(page).count(f"Contract {contract.number} created") == 1


def test_french_reader_reads_french_labels_codes_and_values(app, client_as):
    french = client_as(make_user("admin", locale="fr"))
    campaign = make_campaign(name="Expo Orsay", budget_cents=100_000, status="draft")
    campaign.budget_cents, campaign.status = 120_000, "active"
    db.session.commit()
    influencer = make_influencer(display_name="Hugo")
    influencer.status, influencer.country = "engaged", "BE"
    db.session.commit()
    page = french.get("/admin/audit").get_data(as_text=True)
    assert re.search(r"<b>Pays</b>\u00a0: [^<]*Belgique", page), page  # the name, not "BE"
    assert "Campagne Expo Orsay modifiée" in [re.sub(r"\s+", " ", h) for h in heads(page)]
    assert "Influenceur Hugo modifié" in [re.sub(r"\s+", " ", h) for h in heads(page)]
    assert re.search(r"<b>Budget</b>\u00a0: 1\u202f000,00\u00a0€ → 1\u202f200,00\u00a0€", page)
    assert "<b>Statut</b>\u00a0: Brouillon → " in page  # the code's label, not "draft"
    assert "Prospect → En collaboration" in page and "engaged" not in page
    assert "budget_cents" not in page


def test_bookkeeping_fields_never_show(admin_client):
    db.session.add(AuditEvent(entity_type="brand", entity_id=99, action="update", changes={
        "version": [1, 2], "token_hash": ["a" * 64, "b" * 64], "search_text": ["x", "y"],
        "sort_name": ["musee", "musee d"], "id": [1, 1], "updated_at": ["2026", "2027"],
        "session_token": ["s1", "s2"], "created_by_id": [None, 3], "name": ["Musée", "MO"]}))
    db.session.commit()
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    for hidden in ("Version", "version", "token", "search", "sort", "s1", "aaaa", "2027"):
        assert hidden not in page.split('<table class="table audit">')[1], hidden
    assert "Musée → MO" in page


def test_an_update_with_only_bookkeeping_is_not_an_entry(admin_client):
    db.session.add(AuditEvent(entity_type="brand", entity_id=98, action="update",
                              changes={"version": [1, 2], "sort_name": ["a", "b"]}))
    db.session.commit()
    page = admin_client.get("/admin/audit?entity=brand").get_data(as_text=True)
    assert "No change matches" not in page  # the event is there, but shows nothing
    assert "Brand #98" not in page and "audit-head" not in page


def test_booleans_dates_rates_and_references_are_formatted(admin_client):
    owner = make_user("member", name="Camille Roux")
    influencer = make_influencer(display_name="Zoé")
    with one_action("a-1"):
        db.session.add(AuditEvent(
            entity_type="influencer", entity_id=influencer.id, influencer_id=influencer.id,
            action="update", changes={
                "owner_id": [None, owner.id], "engagement_rate": [0.0242, 0.024],
                "informed_on": [None, "2026-03-01"], "follow_up_done": [False, True],
                "languages": ["fr", "fr,en"]}))
        db.session.commit()
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "<b>Owner</b>: Camille Roux" in page
    assert "2.42% → 2.4%" in page
    assert "Mar 1, 2026" in page
    assert "No → Yes" in page


def test_events_without_an_action_id_group_by_person_and_second(app, db):
    user = make_user("member")
    at = utcnow().replace(microsecond=0)
    events = [AuditEvent(id=i, at=at + timedelta(milliseconds=i), user_id=user.id,
                         entity_type="brand", entity_id=i, action="create",
                         changes={"name": [None, f"B{i}"]}) for i in (1, 2)]
    events.append(AuditEvent(id=3, at=at - timedelta(seconds=5), user_id=user.id,
                             entity_type="brand", entity_id=3, action="update",
                             changes={"name": ["a", "b"]}))
    from app.core.audit_view import entries

    with app.test_request_context():
        found = entries(events)
    assert len(found) == 2
    assert len(found[0].details) == 1 and found[0].who == user.name


def test_the_history_sends_a_bounded_number_of_queries(admin_client, count_statements):
    def render():
        assert admin_client.get("/admin/audit").status_code == 200

    def add(n):
        for i in range(n):
            campaign = make_campaign(name=f"C{i}", owner_id=admin_client.user.id)
            make_participant(campaign=campaign)

    add(2)
    few = count_statements(render)
    add(10)
    assert count_statements(render) == few


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=6)
FIELDS = ("budget_cents", "engagement_rate", "starts_on", "signed_at", "owner_id", "status",
          "usage_media", "operations", "kpi_targets", "exclusivity", "name", "brand_id",
          "deleted_at", "followers")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entity=st.sampled_from(["campaign", "contract", "influencer", "import", "gone"]),
       action=st.sampled_from(["create", "update", "delete", "revert", "erase", "odd"]),
       changes=st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10),
                               st.lists(json_values, min_size=2, max_size=2) | json_values,
                               max_size=5))
def test_any_stored_change_reads_without_an_error(app, db, entity, action, changes):
    from app.core.audit_view import entries

    event = AuditEvent(id=1, at=utcnow(), entity_type=entity, entity_id=5, action=action,
                       changes=changes, action_id="x")
    with app.test_request_context():
        for entry in entries([event]):
            assert "<script" not in str(entry.head.text)
            for change in entry.head.changes:
                assert str(change.label) and str(change.new) is not None


def test_every_shown_column_has_a_label(app):
    from sqlalchemy import inspect

    from app.core.audit import AUDITED, SKIPPED
    from app.core.audit_fields import hidden
    from app.i18n.labels import LABELS

    missing = [f"{entity}.{column.key}" for model, entity in AUDITED.items()
               for column in inspect(model).columns
               if column.key not in SKIPPED and not column.key.startswith("audience_")
               and not hidden(column.key) and column.key not in LABELS["field"]]
    assert missing == []
