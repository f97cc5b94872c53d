"""Rows become whole influencers with accounts and audience, or every reason they are refused."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.csv_output import neutralise_formula
from app.imports.parsing.dedupe import KeyTable
from app.imports.parsing.mapping import KEEP_AS_NOTE, suggest_mapping
from app.imports.parsing.rows import (
    ColumnPlan,
    NormalisedRow,
    RowProblem,
    normalise_row,
    strip_neutraliser,
)


def _one(headers, cells, line=2, mapping=None):
    plan = ColumnPlan(headers, mapping or suggest_mapping(headers))
    return normalise_row(list(cells), plan, line)


def _ok(headers, cells, **kw) -> NormalisedRow:
    row = _one(headers, cells, **kw)
    assert isinstance(row, NormalisedRow), row
    return row


def _problems(headers, cells, **kw) -> list[tuple[str, str, str]]:
    row = _one(headers, cells, **kw)
    assert isinstance(row, list), row
    return [(p.column, p.value, p.reason) for p in row]


@pytest.mark.parametrize(
    ("cells", "account"),
    [
        (["Instagram", "@Camille.Dupont", ""], ("instagram", "camille.dupont")),
        (["insta", "camille", ""], ("instagram", "camille")),
        (["IG", "", "https://www.instagram.com/Camille/?hl=fr"], ("instagram", "camille")),
        (["", "", "instagram.com/camille"], ("instagram", "camille")),
        (["", "https://www.tiktok.com/@Lea.Cuisine", ""], ("tiktok", "lea.cuisine")),
        (["TikTok", "@lea.cuisine", "tiktok.com/@lea.cuisine"], ("tiktok", "lea.cuisine")),
        (["YT", "@Cyprien", ""], ("youtube", "cyprien")),
        (["", "", "https://youtube.com/c/Cyprien"], ("youtube", "cyprien")),
        (["Twitter", "Le_Monde", ""], ("x", "le_monde")),
        (["", "", "https://twitter.com/le_monde"], ("x", "le_monde")),
        (["X", "", "x.com/le_monde"], ("x", "le_monde")),
        (["", "", "facebook.com/marie.page"], ("facebook", "marie.page")),
        (["LinkedIn", "", "linkedin.com/in/marie-d"], ("linkedin", "marie-d")),
        (["Twitch", "zerator", ""], ("twitch", "zerator")),
        (["Blog", "", "https://www.monblog.fr/"], ("blog", "monblog.fr")),
    ],
)
def test_handles_and_platforms(cells, account):
    row = _ok(["Nom", "Réseau", "Compte", "URL"], ["Camille", *cells])
    assert (row.accounts[0]["platform"], row.accounts[0]["handle"]) == account
    assert row.accounts[0]["profile_url"]


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        (["", "camille", ""], "Compte", "Choose the platform, or paste the profile address."),
        (["Myspace", "camille", ""], "Réseau", "Unknown platform “Myspace”."),
        (["Instagram", "cam ille", ""], "Compte", "A handle or an address has no spaces."),
        (["TikTok", "", "instagram.com/camille"], "URL",
         "This is a instagram address but the platform chosen is tiktok."),
        (["", "@other", "instagram.com/camille"], "Compte",
         "Choose the platform, or paste the profile address."),
        (["Instagram", "@other", "instagram.com/camille"], "URL",
         "the handle and the profile address are different accounts"),
        (["", "", "https://www.instagram.com/p/Bxyz/"], "URL",
         "This address is a post or a page, not a profile."),
    ],
)
def test_handle_problems(cells, column, reason):
    assert (column, reason) in [(c, r) for c, _, r in
                                _problems(["Nom", "Réseau", "Compte", "URL"], ["Cam", *cells])]


def test_first_and_last_name_columns_are_joined():
    row = _ok(["Prénom", "Nom", "Instagram"], ["Zoé", "Lœvenbruck", "@zoe"])
    assert row.person["display_name"] == "Zoé Lœvenbruck"
    assert row.person["legal_name"] == "Zoé Lœvenbruck"
    row = _ok(["Name", "First name", "Last name"], ["ZoéLV", "Zoé", "Lœvenbruck"])
    assert (row.person["display_name"], row.person["legal_name"]) == ("ZoéLV", "Zoé Lœvenbruck")


HEADERS = ["Nom", "E-mail", "Pays", "Type", "Statut", "Thématiques", "Langues", "Téléphone",
           "Date de naissance", "Agent", "Email agent", "Ville"]


@pytest.mark.parametrize(
    ("column", "text", "field", "value"),
    [
        ("E-mail", " Camille.Dupont@Example.FR ", "email", "camille.dupont@example.fr"),
        ("E-mail", "mailto:a@b.fr", "email", "a@b.fr"),
        ("Pays", "France", "country", "FR"), ("Pays", "fr", "country", "FR"),
        ("Pays", "Belgique", "country", "BE"), ("Pays", "Suisse", "country", "CH"),
        ("Pays", "United Kingdom", "country", "GB"), ("Pays", "Royaume-Uni", "country", "GB"),
        ("Pays", "ÉTATS-UNIS", "country", "US"), ("Pays", "Germany", "country", "DE"),
        ("Type", "Youtubeuse", "kind", "youtuber"), ("Type", "journaliste", "kind", "journalist"),
        ("Type", "Blogger", "kind", "blogger"), ("Type", "Célébrité", "kind", "celebrity"),
        ("Statut", "Contactée", "status", "contacted"), ("Statut", "prospect", "status",
                                                         "prospect"),
        ("Statut", "Ne pas contacter", "status", "do_not_contact"),
        ("Statut", "Ambassadrice", "status", "ambassador"),
        ("Statut", "do_not_contact", "status", "do_not_contact"),
        ("Langues", "français, anglais", "languages", "fr,en"),
        ("Langues", "FR/EN", "languages", "fr,en"),
        ("Téléphone", "+33 6 12 34 56 78", "phone", "+33 6 12 34 56 78"),
        ("Date de naissance", "12/05/1990", "date_of_birth", date(1990, 5, 12)),
        ("Agent", "  Agence   Lumière ", "agent_name", "Agence Lumière"),
        ("Email agent", "Contact@Agence.fr", "agent_email", "contact@agence.fr"),
        ("Ville", "Saint-Étienne", "city", "Saint-Étienne"),
    ],
)
def test_person_fields(column, text, field, value):
    cells = ["Camille"] + [""] * (len(HEADERS) - 1)
    cells[HEADERS.index(column)] = text
    assert _ok(HEADERS, cells).person[field] == value


@pytest.mark.parametrize(
    ("column", "text", "reason"),
    [
        ("E-mail", "camille@", "not an e-mail address"),
        ("E-mail", "camille dupont@x.fr", "not an e-mail address"),
        ("E-mail", "a@b@c.fr", "not an e-mail address"),
        ("E-mail", "a@localhost", "not an e-mail address"),
        ("Pays", "Atlantide", "unknown country"),
        ("Type", "astronaute", "unknown kind of influencer"),
        ("Statut", "peut-être", "unknown status"),
        ("Langues", "klingon", "unknown language"),
        ("Date de naissance", "31/02/1990", "no such day"),
        ("Thématiques", "x" * 61, "a tag is longer than 60 characters"),
        ("Téléphone", "1" * 41, "longer than 40 characters"),
        ("Ville", "Paris\x07", "contains control characters"),
    ],
)
def test_person_field_problems(column, text, reason):
    cells = ["Camille"] + [""] * (len(HEADERS) - 1)
    cells[HEADERS.index(column)] = text
    assert _problems(HEADERS, cells) == [(column, text, reason)]


def test_tags_are_split_and_deduplicated():
    row = _ok(["Nom", "Catégorie"], ["Zoé", "Beauté, mode; voyage | food , beauté,,"])
    assert row.tags == ["Beauté", "mode", "voyage", "food"]


ACCOUNT_HEADERS = ["Nom", "Réseau", "Compte", "Abonnés", "Taux d'engagement", "Abonnements",
                   "Publications", "Likes moyens", "Commentaires moyens", "Vues moyennes",
                   "Crédibilité", "Date des statistiques"]


def test_account_figures():
    row = _ok(ACCOUNT_HEADERS, ["Zoé", "Instagram", "@zoe", "9,5 M", "3,2 %", "1 200", "850",
                                "12k", "1.234", "40 000", "82 %", "01/10/2025"])
    account = row.accounts[0]
    assert account == {
        "platform": "instagram", "handle": "zoe",
        "profile_url": "https://www.instagram.com/zoe/", "followers": 9_500_000,
        "engagement_rate": pytest.approx(0.032), "following": 1200, "posts": 850,
        "avg_likes": 12000, "avg_comments": 1234, "avg_views": 40000,
        "credibility": pytest.approx(0.82), "figures_on": date(2025, 10, 1),
    }


def test_every_problem_of_a_row_is_reported_and_the_row_refused():
    problems = _problems(ACCOUNT_HEADERS, ["Zoé", "Instagram", "zo é", "beaucoup", "140 %",
                                           "-3", "", "", "", "", "", "32/01/2025"], line=7)
    assert problems == [
        ("Abonnés", "beaucoup", "not a number"),
        ("Taux d'engagement", "140 %", "more than 100 %"),
        ("Abonnements", "-3", "negative"),
        ("Date des statistiques", "32/01/2025", "no such day"),
        ("Compte", "zo é", "A handle or an address has no spaces."),
    ]
    row = _one(ACCOUNT_HEADERS, ["Zoé", "Instagram", "zoe", "x"] + [""] * 8, line=7)
    assert row[0].line == 7 and row[0].as_dict() == {
        "line": 7, "column": "Abonnés", "value": "x", "reason": "not a number"}


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (["", "", "", "12 000"], "figures without a handle or profile address"),
        (["", "", "", ""], "no name and no handle or profile address"),
    ],
)
def test_rows_that_cannot_be_someone(cells, reason):
    assert [r for _, _, r in _problems(["Nom", "Réseau", "Compte", "Abonnés"], cells)] == [
        reason]


def test_a_row_with_only_a_handle_is_named_after_it():
    row = _ok(["Compte"], ["https://instagram.com/zoe"])
    assert "display_name" not in row.person and row.display_name() == "@zoe"


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        (["Zoé", "Instagram"], "this row has 2 cells but the header has 3"),
        (["Zoé", "Instagram", "zoe", "extra"], "this row has 4 cells but the header has 3"),
    ],
)
def test_ragged_rows_are_reported(cells, problem):
    assert _problems(["Nom", "Réseau", "Compte"], cells) == [("", "", problem)]


def test_trailing_empty_cells_are_harmless():
    assert _ok(["Nom", "Réseau", "Compte"], ["Zoé", "Instagram", "zoe", "", " "])


def test_audience_columns_become_a_snapshot_of_the_main_account():
    headers = ["Nom", "Instagram", "TikTok", "Abonnés TikTok", "% Femmes", "% Hommes",
               "18-24", "âge 25-34", "65+", "Pays principal"]
    row = _ok(headers, ["Zoé", "@zoe", "tiktok.com/@zoe.tt", "12k", "62,5 %", "37,5 %", "30 %",
                        "0,45", "2", "France (55 %)"])
    assert [(a["platform"], a["handle"]) for a in row.accounts] == [
        ("instagram", "zoe"), ("tiktok", "zoe.tt")]
    assert row.accounts[1]["followers"] == 12000
    assert row.accounts[0]["audience"] == {
        "gender": {"female": 0.625, "male": 0.375},
        "age": {"18-24": 0.3, "25-34": 0.45, "65+": 0.02},
        "country": {"FR": 0.55},
    }


def test_audience_shares_over_100_percent_are_refused():
    problems = _problems(["Compte", "Réseau", "% Femmes", "% Hommes"],
                         ["zoe", "insta", "70 %", "40 %"])
    assert problems == [("% Femmes", "", "the gender shares add up to more than 100 %")]


def test_keep_as_notes_and_unknown_columns():
    headers = ["Nom", "Compte", "Réseau", "Couleur préférée", "Remarques", "Interne"]
    mapping = suggest_mapping(headers)
    assert mapping[3] is None and mapping[5] is None
    mapping[3] = KEEP_AS_NOTE
    row = _ok(headers, ["Zoé", "zoe", "IG", "vert", "Très pro", "secret"], mapping=mapping)
    assert row.person["notes"] == "Très pro\nCouleur préférée: vert"


def test_bad_mapping_is_a_programming_error():
    with pytest.raises(ValueError, match="bad mapping"):
        ColumnPlan(["Nom"], {0: "password"})
    with pytest.raises(ValueError, match="bad mapping"):
        ColumnPlan(["Nom"], {3: "name"})


@pytest.mark.parametrize(
    ("text", "neutral"),
    [("=1+1", "'=1+1"), ("+33 6", "'+33 6"), ("-5", "'-5"), ("@zoe", "'@zoe"),
     ("\tx", "'\tx"), ("\rx", "'\rx"), ("Zoé", "Zoé"), ("", ""), ("'quoted", "'quoted")],
)
def test_formula_neutraliser_round_trips(text, neutral):
    assert neutralise_formula(text) == neutral
    assert strip_neutraliser(neutral) == text


def test_exported_neutralised_cells_import_as_they_were():
    row = _ok(["Nom", "Compte", "Réseau", "Téléphone"], ["'=Zoé", "'@zoe", "IG", "'+33 6 12"])
    assert row.person["display_name"] == "=Zoé"
    assert row.person["phone"] == "+33 6 12"
    assert row.accounts[0]["handle"] == "zoe"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=0, max_size=12))
def test_any_cells_give_a_row_or_problems(cells):
    headers = ["Nom", "Réseau", "Compte", "URL", "Abonnés", "Taux d'engagement", "E-mail",
               "Pays", "Catégorie", "% Femmes", "18-24", "Pays principal"]
    result = _one(headers, cells)
    assert isinstance(result, NormalisedRow) or (
        result and all(isinstance(p, RowProblem) for p in result))


EXPORT_COLUMNS = [
    "influencer_id", "name", "legal_name", "kind", "email", "phone", "city", "country",
    "status", "owner", "tags", "platform", "handle", "profile_url", "followers", "following",
    "posts", "engagement_rate", "credibility", "figures_on", "data_source", "lawful_basis",
]


def test_our_export_reads_back_as_it_was_written():
    mapping = suggest_mapping(EXPORT_COLUMNS)
    assert [mapping[i] for i in range(len(EXPORT_COLUMNS))] == [
        "influencer_id", "name", "legal_name", "kind", "email", "phone", "city", "country",
        "status", None, "tags", "platform", "handle", "profile_url", "followers", "following",
        "posts", "engagement_rate", "credibility", "figures_on", None, None]
    cells = ["42", "'=Zoé", "Zoé Lœvenbruck", "youtuber", "zoe@exemple.fr", "'+33 6 12",
             "Paris", "FR", "do_not_contact", "Marie", "beauté, mode", "youtube",
             "ucweg2pkate69nfdbeurftaw",
             "https://www.youtube.com/channel/UCWeg2Pkate69NFdBeuRFTAw", "9500000", "12",
             "850", "0.032", "1", "2025-10-01", "import", "consent"]
    row = _ok(EXPORT_COLUMNS, cells)
    assert row.person == {
        "influencer_id": 42, "display_name": "=Zoé", "legal_name": "Zoé Lœvenbruck",
        "kind": "youtuber", "email": "zoe@exemple.fr", "phone": "+33 6 12", "city": "Paris",
        "country": "FR", "status": "do_not_contact"}
    assert row.accounts == [{
        "platform": "youtube", "handle": "ucweg2pkate69nfdbeurftaw",
        "profile_url": "https://www.youtube.com/channel/UCWeg2Pkate69NFdBeuRFTAw",
        "followers": 9500000, "following": 12, "posts": 850, "engagement_rate": 0.032,
        "credibility": 1.0, "figures_on": date(2025, 10, 1)}]
    assert row.tags == ["beauté", "mode"]
    no_account = ["7", "Léa", "", "other", "", "", "", "", "prospect", "", "", "", "", "",
                  "", "", "", "", "", "", "manual", "legitimate_interest"]
    assert _ok(EXPORT_COLUMNS, no_account).accounts == []


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=-(2**63), max_value=2**63 - 1).filter(bool),
                max_size=3000))
def test_key_table_agrees_with_a_dict(hashes):
    table, expected = KeyTable(capacity=4), {}
    for number, key_hash in enumerate(hashes, 1):
        assert table.find(key_hash) == expected.get(key_hash, 0)
        if key_hash not in expected:
            table.add(key_hash, number)
            expected[key_hash] = number
    assert all(table.find(h) == line for h, line in expected.items())
    assert table.used == len(expected) and table.used * 2 <= table.mask + 1
