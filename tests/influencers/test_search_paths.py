"""The list's search paths (app/influencers/matches.py): the prefix path of one- and
two-character needles, the fallback to tags and substrings, the cap, and a match list
gathered once per page; then the plans chosen for range filters and for a platform's
figures highest first (app/influencers/query.py). On SQLite, or on PostgreSQL with
DATABASE_URL."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.collation import fold
from app.extensions import db as _db
from app.influencers import matches
from app.influencers import query as listing
from app.models import Influencer, Tag
from tests.factories import make_influencer

ROW = re.compile(r'<a href="/influencers/(\d+)">')
# What a substring search sends (FTS5 table or scan on SQLite, LIKE or strpos on PostgreSQL).
SUBSTRING = re.compile(r"influencer_fts|instr\(|strpos\(|\bLIKE\b|\bGLOB\b", re.IGNORECASE)


def _search(q: str, *, size: int = 25, number: int = 1, sort: str = "name", **filters):
    page, capped = listing.list_page({"q": q, **filters}, None, sort, number, size, {})
    return [i.display_name for i in page.items], page.total, capped


def _account(handle: str, platform: str = "instagram") -> dict:
    return {"platform": platform, "handle": handle, "followers": 1000}


@pytest.fixture()
def people(db):
    music = Tag(name="Musique")
    _db.session.add(music)
    _db.session.commit()
    make_influencer(display_name="Émilie Martin", status="engaged")
    make_influencer(display_name="Zoé Lambert", accounts=[_account("mz_photo")])
    make_influencer(display_name="Paul Durand", email="contact@mzone.fr")
    make_influencer(display_name="Louise Petit", tags=[music])
    make_influencer(display_name="Clément Roy")
    make_influencer(display_name="Mathis Morel", status="engaged")
    gone = make_influencer(display_name="Mia Gone")
    gone.deleted_at = gone.created_at
    _db.session.commit()


def test_one_character_takes_the_prefix_path_and_caps(people, monkeypatch, statements):
    monkeypatch.setattr(listing, "SEARCH_CAP", 2)
    monkeypatch.setattr(listing, "COUNT_CAP", 1)
    for n in range(4):
        make_influencer(display_name=f"Marc {n}")
    with statements() as seen:
        names, total, capped = _search("m", size=2)
    # Names starting with "m", in order: no substring search was needed to fill the cap.
    assert names == ["Marc 0", "Marc 1"] and capped and total == 3
    assert not [s for s in seen.starting("SELECT") if SUBSTRING.search(s)]


def test_two_characters_fall_back_to_the_substring_search(people):
    # "mz": a handle starting with it (prefix path), an email holding it (substring).
    names, total, capped = _search("mz")
    assert names == ["Paul Durand", "Zoé Lambert"] and total == 2 and not capped


def test_prefix_matches_filling_the_page_are_the_list(people):
    # One row a page: the handle starting with "mz" fills page 1 ("more than"); page 2
    # needs more, so the substring search (the email) completes an exact list.
    assert _search("mz", size=1) == (["Zoé Lambert"], 1, True)
    assert _search("mz", size=1, number=2) == (["Zoé Lambert"], 2, False)


def test_accented_short_needle_is_folded(people):
    names, total, capped = _search("ÉM")  # "em": Émilie by prefix, Clément by substring
    assert names == ["Clément Roy", "Émilie Martin"] and total == 2 and not capped
    assert _search("e", size=100)[0] == _search("é", size=100)[0]


def test_handle_with_at_sign(people):
    assert _search("@mz")[0] == ["Paul Durand", "Zoé Lambert"]  # handle, then email
    assert _search("@MZ_PHOTO")[0] == ["Zoé Lambert"]


def test_full_email(people):
    assert _search("contact@mzone.fr") == (["Paul Durand"], 1, False)


def test_tag_by_part_of_its_name(people):
    assert _search("musiq")[0] == ["Louise Petit"]
    assert "Louise Petit" in _search("mu")[0]  # short needle: names, handles, then tags


def test_filters_combine_with_the_search(people):
    assert _search("m", status="engaged")[0] == ["Émilie Martin", "Mathis Morel"]
    assert _search("zz", status="engaged")[0] == []


def test_deleted_people_are_never_found(people):
    assert "Mia Gone" not in _search("mi", size=100)[0]


def test_capped_pages_on_without_repeating(people, monkeypatch):
    monkeypatch.setattr(listing, "SEARCH_CAP", 4)
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    for n in range(6):
        make_influencer(display_name=f"Manon {n}")
    first, total, capped = _search("ma", size=2)
    second, total_2, capped_2 = _search("ma", size=2, number=2)
    # "More than 3", then "more than 4": the cap grows with the page asked for.
    assert capped and capped_2 and (total, total_2) == (4, 5)
    assert len(first) == len(second) == 2 and not set(first) & set(second)
    assert all(fold(name).startswith("ma") for name in first + second)


def test_the_match_list_is_gathered_once(member_client, people, statements, monkeypatch):
    monkeypatch.setattr(listing, "SEARCH_CAP", 5)  # many matches: the capped path too
    monkeypatch.setattr(listing, "COUNT_CAP", 4)
    for n in range(30):
        make_influencer(display_name=f"Marguerite {n}")
    for q in ("mar", "m", "marguerite 1", "musique"):
        with statements() as seen:
            response = member_client.get("/influencers/", query_string={"q": q})
        assert response.status_code == 200 and ROW.search(response.get_data(as_text=True))
        searching = [s for s in seen.starting("SELECT") if SUBSTRING.search(s)]
        assert len(searching) <= 1, (q, searching)
        # The page and its count read the gathered ids, never the search again.
        assert not any("count(" in s.lower() for s in searching), (q, searching)


def _matches(person: Influencer, needle: str) -> bool:
    texts = [person.display_name, person.legal_name, person.email,
             *(a.handle for a in person.accounts), *(t.name for t in person.tags)]
    return any(needle in fold(text) for text in texts if text)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(typed=st.text(max_size=12) | st.sampled_from(["m", "é", "@mz", "*", "[a", "%", "mu"]))
def test_arbitrary_text_never_errors_and_lists_only_matches(member_client, people, typed):
    response = member_client.get("/influencers/", query_string={"q": typed, "per_page": 100})
    if "\x00" in typed:  # refused up front, as every request carrying one (app/security.py)
        assert response.status_code == 400
        return
    assert response.status_code == 200
    needle = matches.needle_of(typed)
    ids = [int(i) for i in ROW.findall(response.get_data(as_text=True))]
    listed = _db.session.scalars(select(Influencer).where(Influencer.id.in_(ids))).all()
    assert len(listed) == len(ids)
    if needle.strip():
        assert all(_matches(person, needle) for person in listed), (typed, ids)


# --- range filters on SQLite: which index the page reads (query._range_plan) -------------

@pytest.mark.parametrize(("walk_min", "hidden"), [(2, "followers_total + "), (50, "(+ ")])
def test_range_filter_pages_read_one_index_or_the_other(db, monkeypatch, statements,
                                                       walk_min, hidden):
    monkeypatch.setattr(listing, "RANGE_WALK_MIN", walk_min)
    for n, followers in enumerate((500, 20_000, 30_000, 40_000, 9_000_000)):
        make_influencer(display_name=f"R{n}", accounts=[
            {**_account(f"r{n}"), "followers": followers}])
    filters = {"followers_min": 10_000, "followers_max": 100_000}
    with statements() as seen:
        page, capped = listing.list_page(filters, None, "-created", 1, 25, {})
    assert [p.display_name for p in page.items] == ["R3", "R2", "R1"] and not capped
    if db.engine.dialect.name == "sqlite":  # many kept: ranges hidden; few: the sort
        page_sql = [s for s in seen.starting("SELECT influencer.id") if "ORDER BY" in s]
        assert page_sql and all(hidden in s for s in page_sql)


# --- a platform's figures, highest first, the unknown last (query._known_first) ----------

def test_platform_sort_puts_the_unknown_last_across_pages(db, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    figures = {"A": 500, "B": None, "C": 9_000, "D": None, "E": 70, "F": 9_000}
    for name, followers in figures.items():
        make_influencer(display_name=name, status="engaged", accounts=[
            {**_account(f"h{name.lower()}"), "followers": followers,
             "engagement_rate": None if followers is None else followers / 1e6}])
    make_influencer(display_name="G", accounts=[_account("hg", platform="tiktok")])
    filters = {"platform": "instagram", "status": "engaged"}
    shown = []
    for number in (1, 2, 3):
        page, capped = listing.list_page(filters, None, "-followers", number, 2, {})
        shown += [p.display_name for p in page.items]
        assert capped == (number < 3)  # past 3, then 4: capped; the cap grows with the page
    # Ties (C, F) and the unknown (B, D) by id, highest first, as the other sorts.
    assert shown == ["F", "C", "A", "E", "D", "B"]
    page, _capped = listing.list_page(filters, None, "-engagement", 1, 25, {})
    assert [p.display_name for p in page.items] == ["F", "C", "A", "E", "D", "B"]
