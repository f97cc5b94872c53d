"""The import's shortcuts give what the long way gives: the search text and sort key the
reading process folds for a person's first row, a new person's rows made straight from its
row (new_people.py), the rows loaded below SQLAlchemy, and the blocks of ids a bulk load
takes from PostgreSQL's sequences."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db as _db
from app.imports import lookup, writer
from app.imports.new_people import COUNTS, DENORMALISED, PERSON_VALUES, prepare, ranked
from app.imports.parsing.batches import created_texts
from app.imports.parsing.rows import NormalisedRow
from app.imports.people import Person
from app.models import AudienceSnapshot, Influencer, SocialAccount
from tests.factories import make_influencer, make_user

_WORDS = st.one_of(st.none(), st.just(""), st.text(max_size=12),
                   st.sampled_from(["Œuvre Édith", "ÆSIR", "d’Ormesson", "Łukasz", "İstanbul",
                                    "  Le  Louvre ", "ﬁne", "Ａ"]))
_ACCOUNT = st.fixed_dictionaries({
    "platform": st.sampled_from(["instagram", "tiktok", "blog"]),
    "handle": st.sampled_from(["lea", "Léa_2", "ÉDITH", "x"])})
_SEARCH, _SORT = DENORMALISED.index("search_text"), DENORMALISED.index("sort_name")


@settings(max_examples=300, deadline=None)
@given(name=_WORDS, legal=_WORDS, email=_WORDS, accounts=st.lists(_ACCOUNT, max_size=4))
def test_texts_folded_while_reading_are_those_the_writer_computes(name, legal, email,
                                                                   accounts):
    """Names with accents and ligatures, blanks, no name (named after its first handle),
    one account named twice in a row: the texts are the writer's own."""
    person = {k: v for k, v in (("display_name", name), ("legal_name", legal),
                                ("email", email)) if v is not None}
    row = NormalisedRow(7, person, [dict(a) for a in accounts], [])
    row.texts = created_texts(row)
    created = Person.create(row, date(2026, 1, 1))
    assert created.texts == row.texts
    created.texts = None  # the long way
    values = created.denormalised_values()
    assert row.texts == (values[_SEARCH], values[_SORT])


def test_a_merged_row_drops_the_folded_texts():
    first = NormalisedRow(2, {"display_name": "Léa"}, [{"platform": "instagram",
                                                       "handle": "lea"}], [])
    first.texts = created_texts(first)
    person = Person.create(first, date(2026, 1, 1))
    later = NormalisedRow(3, {"legal_name": "Léa Dupont"}, [], [], same_as=2)
    assert person.merge(later, date(2026, 1, 1))
    assert person.texts is None
    assert person.denormalised()["search_text"] == "lea lea dupont lea"


def test_people_loaded_below_sqlalchemy_have_the_types_of_the_orm(db):
    """Dates come back as dates on SQLite too; the latest snapshot and its shares."""
    influencer = make_influencer(
        accounts=[{"platform": "instagram", "handle": "lea", "followers": 1200,
                   "engagement_rate": 3.5, "figures_on": date(2026, 3, 4)}],
        display_name="Léa", date_of_birth=date(1990, 5, 6), email="lea@exemple.fr")
    account = influencer.accounts[0]
    _db.session.add(AudienceSnapshot(account_id=account.id, influencer_id=influencer.id,
                                     taken_on=date(2026, 3, 4), is_latest=True))
    _db.session.commit()
    people = lookup.load_people({influencer.id})
    person = people[influencer.id]
    assert person.values["date_of_birth"] == date(1990, 5, 6)
    assert person.values["email"] == "lea@exemple.fr"
    loaded = person.accounts[("instagram", "lea")]
    assert loaded["figures_on"] == date(2026, 3, 4)
    assert loaded["followers"] == 1200 and loaded["engagement_rate"] == 3.5
    assert person.latest[("instagram", "lea")][0] == date(2026, 3, 4)
    assert person.stored["search_text"] == influencer.search_text


def test_ids_taken_in_blocks_leave_the_sequences_ahead(db, app, monkeypatch, import_csv,
                                                      people_csv):
    """After a bulk load (ids taken as one block per batch on PostgreSQL), the ORM's next
    influencer and account get new ids: the sequences were moved past the block."""
    user = make_user("admin")
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1)
    _imp, report = import_csv(people_csv(80), user)
    assert report["created"] > 40
    top_person = _db.session.scalar(select(func.max(Influencer.id)))
    top_account = _db.session.scalar(select(func.max(SocialAccount.id)))
    added = make_influencer(accounts=[{"platform": "instagram", "handle": "new_one"}])
    assert added.id > top_person
    assert added.accounts[0].id > top_account


_DAYS = st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2026, 12, 31)))
_SHARES = st.dictionaries(st.sampled_from(["a", "b", "c", "FR", "18-24"]),
                          st.one_of(st.none(), st.sampled_from([0.0, 0.2, 0.5]), st.floats(0, 1)),
                          max_size=3)
_SPEC = st.fixed_dictionaries(
    {"platform": st.sampled_from(["instagram", "tiktok", "blog"]),
     "handle": st.sampled_from(["lea", "zoe", "x"])},
    optional={"followers": st.one_of(st.none(), st.sampled_from([0, 10, 10, 500])),
              "engagement_rate": st.one_of(st.none(), st.floats(0, 1)),
              "credibility": st.floats(0, 1), "posts": st.integers(0, 10**6),
              "profile_url": st.just("https://exemple.fr/x"), "figures_on": _DAYS,
              "audience": st.dictionaries(st.sampled_from(["gender", "age", "country"]),
                                          _SHARES, max_size=3)})
_PERSON = st.fixed_dictionaries({}, optional={
    "display_name": st.sampled_from(["Léa", ""]), "legal_name": st.just("Léa Dupont"),
    "email": st.just("lea@exemple.fr"), "kind": st.sampled_from(["", "creator", "other"]),
    "status": st.sampled_from(["", "contacted"]), "city": st.just("Lyon"),
    "date_of_birth": _DAYS, "influencer_id": st.just(None)})


def _the_long_way(row: NormalisedRow, today: date) -> tuple:
    """What Person.create and the writer's long way write for a new person, in the shapes
    of new_people.prepare (the accounts numbered in their order, as ids are given)."""
    person = Person.create(row, today)
    for number, account in enumerate(person.accounts.values(), 1):
        account["id"] = number
    values = person.values
    values["kind"] = values.get("kind") or "other"
    values["status"] = values.get("status") or "prospect"
    iso = lambda day: day.isoformat() if day else None  # noqa: E731
    keys = list(person.accounts)
    assert all(snapshot["is_latest"] for snapshot in person.snapshots)
    return ((*map(values.get, PERSON_VALUES), iso(values.get("date_of_birth"))),
            person.denormalised_values(),
            tuple((*key, a.get("profile_url"), *map(a.get, COUNTS), iso(a.get("figures_on")))
                  for key, a in person.accounts.items()),
            tuple((keys.index(s["key"]), iso(s["taken_on"]), s["followers"], s["credibility"],
                   [(dimension, *share) for dimension, kept in s["shares"].items()
                    for share in ranked(kept)]) for s in person.snapshots),
            tuple(person.tags.items()))


@settings(max_examples=400, deadline=None)
@given(person=_PERSON, accounts=st.lists(_SPEC, max_size=3),
       tags=st.lists(st.sampled_from(["Mode", "mode", "beauté", "Beauté"]), max_size=3))
def test_a_new_persons_rows_made_from_its_row_are_the_long_ways(person, accounts, tags):
    """Blanks, defaults, several accounts with audiences and tied followers (the later
    account's audience is shown), zero and empty shares, ranked ties, tags in two cases,
    no figures date (today's): the rows are those of the long way. A row naming one
    account twice goes the long way."""
    row = NormalisedRow(5, person, accounts, tags)
    row.texts = created_texts(row)
    today = date(2026, 12, 7)
    made = prepare(row, today)
    keys = [(a["platform"], a["handle"]) for a in accounts]
    if made is None:
        assert len(set(keys)) < len(keys)
        return
    assert made == _the_long_way(row, today)


def _rich_file(people: int) -> str:
    """Several accounts a row, two genders, two age bands, a top country, birthdays, kinds,
    statuses, tags in two cases, and a third of the rows naming an earlier person again."""
    rng = random.Random(11)
    lines = ["Nom;Prénom;Instagram;Abonnés Instagram;TikTok;Abonnés TikTok;E-mail;Type;"
             "Statut;Tags;% Femmes;% Hommes;18-24;25-34;Pays de l'audience;"
             "Date des statistiques;Date de naissance\r\n"]
    for n in range(people):
        who = rng.randrange(n) if n and rng.random() < 0.33 else n
        share = rng.choice(["50 %", "40 %", "", "0 %"])
        lines.append(";".join([
            f"Dupont{who}", rng.choice(["Léa", "Zoé", ""]), f"lea_{who}",
            rng.choice(["12 400", "", "9,5 M"]), rng.choice([f"lea.tt{who}", ""]),
            rng.choice(["500", ""]), rng.choice([f"lea{who}@exemple.fr", ""]),
            rng.choice(["", "Créateur", "Célébrité"]), rng.choice(["", "Contacté"]),
            rng.choice(["beauté", "Mode, mode", "", "voyage, Beauté"]), share, share,
            rng.choice(["30 %", ""]), rng.choice(["30 %", "20 %"]),
            rng.choice(["FR", "BE", ""]), rng.choice(["03/04/2025", ""]),
            rng.choice(["06/05/1990", ""])]) + "\r\n")
    return "".join(lines)


@pytest.mark.slow
@pytest.mark.parametrize("bulk", [False, True], ids=["batches", "bulk load"])
def test_new_people_written_from_their_rows_are_those_the_long_way_writes(
        db, app, monkeypatch, small_batches, import_csv, imported_people, wipe_people, bulk):
    """The same file imported with new people's rows made straight from their rows and
    with every new person made the long way: the same database."""
    user = make_user("admin")
    monkeypatch.setitem(app.config, "RELAIS_IMPORT_BULK_ROWS", 1 if bulk else 10**9)
    data = _rich_file(150)
    made = []
    monkeypatch.setattr(writer, "prepare", lambda row, today: made.append(row) and None)
    _imp, long_way = import_csv(data, user)
    expected = imported_people()
    assert len(made) > 60  # each of them was sent the long way
    wipe_people()
    made.clear()
    monkeypatch.setattr(writer, "prepare", lambda row, today: made.append(row) or
                        prepare(row, today))
    _imp, short_way = import_csv(data, user, name="encore.csv")
    assert len(made) > 60  # most people were new and named once in their batch
    assert short_way == long_way
    assert imported_people() == expected


def test_new_people_are_numbered_in_file_order(db, import_csv):
    """A person a later row of the batch merges into goes the long way, the others are
    made from their rows: the ids still follow the file."""
    user = make_user("admin")
    data = ("Nom;Instagram;Tags\r\n" "Bea;@bea;\r\n" "Ana;@ana;mode\r\n" "Ana;@ana;voyage\r\n"
            "Cleo;@cleo;Mode\r\n")
    _imp, report = import_csv(data, user)
    assert (report["created"], report["updated"]) == (3, 1)
    names = _db.session.scalars(select(Influencer.display_name).order_by(Influencer.id))
    assert list(names) == ["Bea", "Ana", "Cleo"]
    tags = {i.display_name: sorted(t.name for t in i.tags)
            for i in _db.session.scalars(select(Influencer))}
    assert tags == {"Ana": ["mode", "voyage"], "Bea": [], "Cleo": ["mode"]}
