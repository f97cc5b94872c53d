"""The list service without a request: id parsing, tag matching, capped counts, escaping."""

from __future__ import annotations

import pytest

from app.core.errors import ServiceError
from app.influencers import bulk as influencer_bulk
from app.influencers import query as listing
from tests.factories import make_influencer


def _names(filters: dict, sort: str = "name", size: int = 25, user_id=None):
    page, capped = listing.list_page(filters, user_id, sort, 1, size, {})
    return [i.display_name for i in page.items], page.total, capped


@pytest.mark.parametrize(("values", "expected"), [
    (["1", "2", "2", "x", "-3", "0", "", "4.5", str(2**40)], [1, 2]),
    (["7"] * 3, [7]),
    ([], []),
])
def test_parse_ids(values, expected):
    assert influencer_bulk.parse_ids(values) == expected


def test_parse_ids_is_bounded():
    ids = influencer_bulk.parse_ids([str(n) for n in range(1, 10_000)])
    assert len(ids) == influencer_bulk.BULK_MAX


def test_search_treats_wildcards_literally(db):
    make_influencer(display_name="Cent % Bio")
    make_influencer(display_name="Centaure")
    assert _names({"q": "%"})[0] == ["Cent % Bio"]
    assert _names({"q": "cent_"})[0] == []
    assert _names({"q": "CENT"})[0] == ["Cent % Bio", "Centaure"]


def test_capped_count_still_pages_on(db, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 4)
    for n in range(12):
        make_influencer(display_name=f"P{n:02d}", status="engaged")
    names, total, capped = _names({"status": "engaged"}, size=3)
    assert names == ["P00", "P01", "P02"] and capped and total == 5
    page, capped = listing.list_page({"status": "engaged"}, None, "name", 4, 3, {})
    assert [i.display_name for i in page.items] == ["P09", "P10", "P11"]
    names, total, capped = _names({"status": "engaged"}, size=25)
    assert total == 12 and not capped  # the cap grows with the page asked for


def test_search_gathers_rare_matches_exactly(db, monkeypatch):
    monkeypatch.setattr(listing, "SEARCH_CAP", 3)
    monkeypatch.setattr(listing, "COUNT_CAP", 2)
    for n in range(5):
        make_influencer(display_name=f"Marie {n}")
    make_influencer(display_name="Paul")
    names, total, capped = _names({"q": "marie"}, sort="-name", size=2)
    # Many matches: the capped path. The page is sorted among the matches gathered (the
    # list says "more than N: refine"), so only their order and kind can be known here.
    assert capped and len(names) == 2 and names == sorted(names, reverse=True)
    assert all(name.startswith("Marie ") for name in names)
    names, total, capped = _names({"q": "paul"})
    assert names == ["Paul"] and total == 1 and not capped


def test_bulk_update_needs_ids_and_a_known_action(db):
    person = make_influencer()
    with pytest.raises(ServiceError):
        influencer_bulk.bulk_update([], "status", "former")
    with pytest.raises(ServiceError):
        influencer_bulk.bulk_update([person.id], "delete", "")
    with pytest.raises(ServiceError):
        influencer_bulk.bulk_update([person.id + 1000], "status", "former")
    assert influencer_bulk.bulk_update([person.id], "status", "former") == 1
    assert influencer_bulk.bulk_update([person.id], "status", "former") == 0


@pytest.mark.parametrize("needle", ["*", "?", "[", "a[b", "%", "_", "50%", "x*y"])
def test_search_wildcards_are_literal(db, needle):
    from sqlalchemy import select

    from app.models import Influencer

    plain = make_influencer(display_name="Plain Name")
    odd = make_influencer(display_name=f"Odd {needle} Name")
    ids = set(db.session.scalars(select(Influencer.id).where(listing.search(needle))))
    assert odd.id in ids
    assert plain.id not in ids


def test_search_follows_edits_and_deletions(db):
    """On SQLite the search index is a separate FTS5 table kept in step by triggers."""
    from sqlalchemy import select

    from app.models import Influencer
    from app.models.influencer import refresh_denormalised

    def found(needle):
        return set(db.session.scalars(select(Influencer.id).where(listing.search(needle))))

    person = make_influencer(display_name="Gaëlle Fontaine")
    assert found("fontaine") == {person.id}
    person.display_name = "Gaëlle Rivière"
    refresh_denormalised(person)
    db.session.commit()
    assert found("fontaine") == set()
    assert found("rivière") == {person.id}
    db.session.delete(person)
    db.session.commit()
    assert found("rivière") == set()


def test_bulk_inserts_are_searchable_and_the_trigger_comes_back(db):
    """Bulk loads pause SQLite's per-row search trigger and index their batch at once."""
    from sqlalchemy import insert, select, text

    from app.core import search_index
    from app.models import Influencer

    rows = [{"id": 900 + n, "display_name": f"Bulk {n}", "search_text": f"bulkperson{n}",
             "kind": "other", "status": "prospect", "data_source": "import",
             "lawful_basis": "legitimate_interest", "followers_total": 0, "version": 1}
            for n in range(3)]
    with search_index.bulk_insert(db.session, [r["id"] for r in rows]):
        db.session.execute(insert(Influencer.__table__), rows)
        if db.engine.dialect.name == "sqlite":  # paused: nothing indexed row by row
            assert db.session.execute(text(
                "SELECT count(*) FROM influencer_fts WHERE search_text GLOB '*bulkperson*'"
            )).scalar() == 0
    db.session.commit()
    found = set(db.session.scalars(select(Influencer.id).where(listing.search("bulkperson"))))
    assert found == {900, 901, 902}
    later = make_influencer(display_name="Single Afterwards")  # the trigger indexes it
    assert set(db.session.scalars(
        select(Influencer.id).where(listing.search("single afterwards")))) == {later.id}


def test_the_whole_list_is_counted_without_the_trash(db, statements):
    from datetime import UTC, datetime

    people = [make_influencer(display_name=f"Live {n}") for n in range(4)]
    people[1].deleted_at = datetime.now(UTC)
    db.session.commit()
    assert listing.live_total() == 3
    with statements() as seen:
        page, capped = listing.list_page({"sort": "name"}, None, "name", 1, 2, {}, exact=True)
    assert page.total == 3 and not capped and page.pages == 2
    assert [p.display_name for p in page.items] == ["Live 0", "Live 2"]
    # The total comes from the table's count less the trash's, not a count of the page query.
    assert any("deleted_at IS NOT NULL" in sql for sql in seen)
    assert not any("count(" in sql and "deleted_at IS NULL" in sql for sql in seen)
