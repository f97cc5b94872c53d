"""The influencer list on the latest scoring run (app/influencers/query.py): the score
column with the community, sorting on the score (unscored people last both ways),
filtering on a community and a minimum score, the export with those filters, the state
before any run, hostile query strings, a constant number of statements, French and
English."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import db as _db
from app.influencers import latest_run
from app.influencers import query as influencer_list
from app.models import Community, Influencer, InfluencerScore, ScoringRun
from app.models.base import utcnow
from app.models.network import Relationship
from app.scoring import rescoring as scoring
from tests.factories import make_influencer, make_user

ROW = re.compile(r'<a href="/influencers/(\d+)">([^<]+)</a>')
SCORE_CELL = re.compile(r'<td class="num score">(.*?)</td>', re.S)
COMMUNITY_CELL = re.compile(r'<td class="community">(.*?)</td>', re.S)


def names(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [name for _id, name in ROW.findall(response.get_data(as_text=True))]


def make_run(status: str = "done") -> ScoringRun:
    run = ScoringRun(status=status, nodes=10, edges=20,
                     finished_at=datetime(2026, 3, 14, 9, 30, tzinfo=UTC))
    _db.session.add(run)
    _db.session.commit()
    return run


def score(run: ScoringRun, person: Influencer, value: float, community: int) -> None:
    _db.session.add(InfluencerScore(
        run_id=run.id, influencer_id=person.id, pagerank=0.01, core=1, betweenness=0.0,
        community=community, score=value, network_percentile=50.0))
    _db.session.commit()


def community(run: ScoringRun, number: int, size: int, label: str = "") -> None:
    _db.session.add(Community(run_id=run.id, number=number, label=label, size=size))
    _db.session.commit()


@pytest.fixture()
def scored(db):
    """Five people, four of them scored in the latest run (communities 1 and 2); an older
    run says the opposite and a newer failed run says nothing: neither may show."""
    people = {name: make_influencer(display_name=name)
              for name in ("Ada", "Basile", "Chloé", "Denis", "Unscored Ugo")}
    old = make_run()
    for offset, name in enumerate(("Ada", "Basile", "Chloé", "Denis", "Unscored Ugo")):
        score(old, people[name], 10.0 * offset, 1)
    run = make_run()
    community(run, 1, 3, "beauté · mode")
    community(run, 2, 1)  # no common tag: no stored label
    score(run, people["Ada"], 71.6, 1)
    score(run, people["Basile"], 45.0, 1)
    score(run, people["Chloé"], 88.2, 2)
    score(run, people["Denis"], 45.0, 1)  # ties with Basile: the id decides
    make_run(status="failed")
    return people


ORDER_DESC = ["Chloé", "Ada", "Denis", "Basile", "Unscored Ugo"]


def test_score_column_shows_rounded_score_and_community(member_client, scored):
    html = member_client.get("/influencers/?sort=name").get_data(as_text=True)
    cells = dict(zip(names_in(html), zip(SCORE_CELL.findall(html), COMMUNITY_CELL.findall(html),
                                         strict=True), strict=True))
    assert cells["Ada"][0] == "72" and "beauté · mode" in cells["Ada"][1]
    assert cells["Chloé"][0] == "88" and ">Community 2</a>" in cells["Chloé"][1]
    # The community links to its members, best first.
    assert 'href="/influencers/?sort=-score&amp;community=2"' in cells["Chloé"][1]
    assert cells["Unscored Ugo"] == ("—", "—")


def names_in(html: str) -> list[str]:
    return [name for _id, name in ROW.findall(html)]


@pytest.mark.parametrize(("sort", "expected"), [
    ("-score", ORDER_DESC),
    ("score", ["Basile", "Denis", "Ada", "Chloé", "Unscored Ugo"]),
])
def test_sort_by_score_puts_the_unscored_last_both_ways(member_client, scored, sort, expected):
    assert names(member_client.get(f"/influencers/?sort={sort}")) == expected


def test_people_in_the_trash_are_not_listed_by_score(member_client, scored):
    scored["Chloé"].deleted_at = utcnow()
    _db.session.commit()
    assert names(member_client.get("/influencers/?sort=-score")) == ORDER_DESC[1:]
    assert names(member_client.get("/influencers/?community=2")) == []


def test_score_header_sorts_and_keeps_filters(member_client, scored):
    html = member_client.get("/influencers/?community=1&sort=score").get_data(as_text=True)
    assert "community=1" in html and "sort=-score" in html and 'aria-sort="ascending"' in html


@pytest.mark.parametrize("sort", ["-score", "score"])
def test_sort_by_score_pages_on_without_repeating_or_skipping(scored, sort):
    """Small pages through the scored people, the page where they run out and the pages of
    unscored people after them: the same order as the export's single sorted query."""
    for name in ("Unscored Vic", "Unscored Wes", "Unscored Xia"):
        make_influencer(display_name=name)
    run_id = latest_run.latest_run_id()
    seen = []
    for number in range(1, 5):
        page, _capped = influencer_list.list_page({}, None, sort, number, 2, {}, exact=True,
                                                  run_id=run_id)
        seen += [person.display_name for person in page.items]
    exported = _db.session.scalars(influencer_list.ordered(
        select(Influencer.display_name).where(Influencer.deleted_at.is_(None)), sort)).all()
    assert seen == exported and len(seen) == 8
    scores_first = ORDER_DESC[:4] if sort == "-score" else ORDER_DESC[3::-1]
    unscored = ["Unscored Ugo", "Unscored Vic", "Unscored Wes", "Unscored Xia"]
    assert seen == scores_first + (unscored[::-1] if sort == "-score" else unscored)


@pytest.mark.parametrize(("query", "expected"), [
    ({"community": "1"}, ["Ada", "Basile", "Denis"]),
    ({"community": "2"}, ["Chloé"]),
    ({"score_min": "45"}, ["Ada", "Basile", "Chloé", "Denis"]),
    ({"score_min": "71,6"}, ["Ada", "Chloé"]),
    ({"score_min": "71.7"}, ["Chloé"]),
    ({"score_min": "0"}, ["Ada", "Basile", "Chloé", "Denis"]),
    ({"score_min": "100"}, []),
    ({"community": "1", "score_min": "50"}, ["Ada"]),
    ({"community": "1", "sort": "-score"}, ["Ada", "Denis", "Basile"]),
    ({"score_min": "50", "sort": "score"}, ["Ada", "Chloé"]),
    ({"community": "1", "score_min": "45", "sort": "score"}, ["Basile", "Denis", "Ada"]),
    ({"q": "a", "score_min": "40", "sort": "-score"}, ["Ada", "Basile"]),
])
def test_filters_on_community_and_minimum_score(member_client, scored, query, expected):
    assert names(member_client.get("/influencers/", query_string=query)) == expected


@pytest.mark.parametrize("listed_up_to", [1, 10_000])
@pytest.mark.parametrize(("query", "expected"), [
    ({"score_min": "45"}, ["Ada", "Basile", "Chloé", "Denis"]),
    ({"score_min": "45", "sort": "-score"}, ["Chloé", "Ada", "Denis", "Basile"]),
    ({"score_min": "70", "sort": "-followers"}, ["Chloé", "Ada"]),
])
def test_minimum_score_read_either_way_gives_the_same_people(member_client, scored, monkeypatch,
                                                             listed_up_to, query, expected):
    """A high bar reads the few ids from the score index, a low one checks row by row
    (SCORE_LIST_MAX decides): both must keep the same people."""
    monkeypatch.setattr(influencer_list, "SCORE_LIST_MAX", listed_up_to)
    assert names(member_client.get("/influencers/", query_string=query)) == expected


def test_community_choices_biggest_first_with_name_and_size(member_client, scored):
    html = member_client.get("/influencers/?community=2").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="community".*?</select>', html, re.S).group(0)
    options = re.findall(r'<option([^>]*)value="([^"]*)"[^>]*>([^<]*)</option>', select_html)
    assert [(value, text) for _attrs, value, text in options] == [
        ("", "Any"), ("1", "beauté · mode · 3 people"), ("2", "Community 2 · 1 person")]
    assert "selected" in options[2][0]


def test_a_small_community_asked_for_is_offered_too(member_client, scored, monkeypatch):
    # Louvain leaves thousands of singletons: only the biggest are listed, plus the one a
    # row's community link asks for.
    monkeypatch.setattr(latest_run, "COMMUNITY_CHOICES", 1)
    html = member_client.get("/influencers/").get_data(as_text=True)
    assert "Community 2 · 1 person" not in html
    response = member_client.get("/influencers/?community=2")
    assert names(response) == ["Chloé"]
    assert "Community 2 · 1 person" in response.get_data(as_text=True)


@pytest.mark.parametrize(("query", "message"), [
    ({"community": "7"}, "This community is not in the latest scoring run."),
    ({"score_min": "101"}, "A score is between 0 and 100."),
    ({"score_min": "-5"}, "Type a score between 0 and 100, e.g. 60."),
    ({"score_min": "soixante"}, "Type a score between 0 and 100, e.g. 60."),
    ({"score_min": "nan"}, "Type a score between 0 and 100, e.g. 60."),
])
def test_invalid_score_filters_are_explained_and_ignored(member_client, scored, query,
                                                          message):
    response = member_client.get("/influencers/", query_string={**query, "sort": "-score"})
    assert names(response) == ORDER_DESC
    assert message in response.get_data(as_text=True)


def test_export_follows_the_score_filters_and_sort(member_client, scored):
    response = member_client.get("/influencers/export.csv?community=1&score_min=40&sort=-score")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row["name"] for row in rows] == ["Ada", "Denis", "Basile"]
    rows = list(csv.DictReader(io.StringIO(member_client.get(
        "/influencers/export.csv?score_min=50&sort=score").get_data(as_text=True).lstrip("\ufeff"))))
    assert [row["name"] for row in rows] == ["Ada", "Chloé"]
    everyone = member_client.get("/influencers/export.csv?sort=score").get_data(as_text=True)
    exported = [row["name"] for row in csv.DictReader(io.StringIO(everyone.lstrip("\ufeff")))]
    assert exported == ["Basile", "Denis", "Ada", "Chloé", "Unscored Ugo"]


def test_list_page_carries_the_export_links_with_score_filters(member_client, scored):
    html = member_client.get("/influencers/?community=1&score_min=40").get_data(as_text=True)
    link = re.search(r'href="(/influencers/export\.csv\?[^"]+)"', html).group(1)
    assert "community=1" in link and "score_min=40" in link


def test_before_any_run(member_client, db):
    for name in ("Bob", "Alice"):
        make_influencer(display_name=name)
    make_run(status="running")
    response = member_client.get("/influencers/?sort=-score")
    assert names(response) == ["Alice", "Bob"]  # the default order, no error
    html = response.get_data(as_text=True)
    assert SCORE_CELL.findall(html) == COMMUNITY_CELL.findall(html) == ["—", "—"]
    assert "no run has finished yet" in html
    assert re.search(r'<select[^>]*disabled[^>]*name="community"', html)
    assert re.search(r'<input[^>]*disabled[^>]*name="score_min"', html)
    typed = member_client.get("/influencers/?community=1&score_min=50")
    assert names(typed) == ["Alice", "Bob"]  # refused with the reason, not applied
    assert typed.get_data(as_text=True).count("No scoring run has finished yet.") == 2
    export = member_client.get("/influencers/export.csv?sort=-score&community=1")
    assert export.status_code == 200 and export.get_data(as_text=True).count("\n") == 3


def test_services_without_a_run_filter_nobody_and_sort_by_name(db):
    make_influencer(display_name="Zed")
    make_influencer(display_name="Abel")
    page, _capped = influencer_list.list_page({"sort": "-score"}, None, "-score", 1, 25, {})
    assert [p.display_name for p in page.items] == ["Abel", "Zed"]
    page, _capped = influencer_list.list_page({"score_min": 1.0}, None, "name", 1, 25, {})
    assert page.items == []


def test_real_scoring_run_orders_the_list(member_client):
    """Through the engine: the list's best-first order is the run's stored order."""
    people = [make_influencer(display_name=f"Relay {n}", accounts=[{
        "platform": "instagram", "handle": f"relay{n}", "followers": 1000 * (n + 1) ** 2,
        "engagement_rate": 0.01 * (n % 3 + 1)}]) for n in range(8)]
    for a, b in zip(people, people[1:], strict=False):
        _db.session.add(Relationship(source_id=a.id, target_id=b.id, kind="reposts"))
    _db.session.add(Relationship(source_id=people[0].id, target_id=people[7].id,
                                 kind="mentions"))
    _db.session.commit()
    run = scoring.rescore()
    late = make_influencer(display_name="Joined after the run")
    expected = [name for (name,) in _db.session.execute(
        select(Influencer.display_name).join(InfluencerScore, (
            InfluencerScore.influencer_id == Influencer.id) & (InfluencerScore.run_id == run.id))
        .order_by(InfluencerScore.score.desc(), Influencer.id.desc()))]
    assert names(member_client.get("/influencers/?sort=-score")) == expected + [late.display_name]
    numbers = set(_db.session.scalars(select(InfluencerScore.community)))
    for number in numbers:
        listed = names(member_client.get(f"/influencers/?community={number}"))
        assert listed and late.display_name not in listed


SCORE_PARAMS = ["community", "score_min", "sort", "page", "per_page"]
# NUL is refused app-wide with a 400 (see app.security); everything else must give a page.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=30)


@pytest.mark.slow
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(SCORE_PARAMS), TEXT | st.sampled_from(
    ["-score", "score", "1", "2", "-1", "0", "1e400", "NaN", "inf", "99999999999999999999",
     "50,5", "1 000", "٣", "1_0", "+5", "50%"])))
def test_hostile_query_strings_never_fail(member_client, scored, query):
    response = member_client.get("/influencers/?" + urlencode(query))
    assert response.status_code == 200
    export = member_client.get("/influencers/export.csv?" + urlencode(query))
    assert export.status_code in (200, 302)
    export.get_data()


@pytest.mark.parametrize("query", [
    "community=1&sort=-followers", "score_min=10&sort=-followers", "community=1&score_min=5",
    "community=999&q=e", "score_min=30&sort=name&per_page=50",
])
@pytest.mark.slow
def test_statements_per_page_do_not_grow_with_rows(member_client, scored, query,
                                                   count_page_statements):
    few = count_page_statements(member_client, f"/influencers/?{query}")
    run = _db.session.get(ScoringRun, latest_run.latest_run_id())
    for n in range(60):
        score(run, make_influencer(display_name=f"Person {n:02d}"), float(n), 1 + n % 2)
    assert count_page_statements(member_client, f"/influencers/?{query}") == few


def _crowd(run: ScoringRun, scored_people: int, unscored_people: int) -> None:
    for n in range(scored_people):
        score(run, make_influencer(display_name=f"Scored {n:03d}"), float(n % 97), 1)
    for n in range(unscored_people):
        make_influencer(display_name=f"Unscored {n:03d}")


@pytest.mark.parametrize(("few", "many", "sort"), [
    # (scored, unscored, page) before and after: a page of scores only, a page where the
    # scores run out, a page of unscored people only; both directions.
    ((30, 0, 1), (90, 40, 1), "-score"),
    ((30, 0, 1), (90, 40, 3), "score"),
    ((30, 5, 2), (80, 30, 4), "-score"),
    ((30, 5, 2), (80, 30, 4), "score"),
    ((30, 30, 3), (60, 100, 5), "-score"),
    ((30, 30, 3), (60, 100, 5), "score"),
])
@pytest.mark.slow
def test_score_sort_statements_do_not_grow_with_rows(member_client, few, many, sort,
                                                     count_page_statements):
    run = make_run()
    community(run, 1, 200)
    _crowd(run, few[0], few[1])
    url = f"/influencers/?sort={sort}&page={few[2]}"
    before = count_page_statements(member_client, url)
    _crowd(run, many[0] - few[0], many[1] - few[1])
    after = count_page_statements(member_client, f"/influencers/?sort={sort}&page={many[2]}")
    assert after == before
    # Against a page in name order (both read the page's ids, then its people): past the
    # scores, the unscored ids and how many scored people come before them (two more).
    extra = (few[1] > 0) + (few[2] > 2)
    assert before == count_page_statements(member_client, f"/influencers/?page={few[2]}") + extra


def test_statements_do_not_grow_before_any_run(member_client, db, count_page_statements):
    make_influencer(display_name="One")
    few = count_page_statements(member_client, "/influencers/?sort=-score")
    for n in range(30):
        make_influencer(display_name=f"Person {n:02d}")
    assert count_page_statements(member_client, "/influencers/?sort=-score") == few


@pytest.mark.parametrize(("locale", "words"), [
    ("en", ["Score", "Community 2", "Best score", "Score from", "3 people"]),
    ("fr", ["Score", "Communauté 2", "Communauté", "3 personnes"]),
])
def test_both_languages_render(scored, locale, words, client_as):

    user = make_user("viewer", locale=locale)
    client = client_as(user)
    response = client.get("/influencers/?sort=-score")
    assert names(response) == ORDER_DESC
    html = response.get_data(as_text=True)
    for word in words:
        assert word in html, word
