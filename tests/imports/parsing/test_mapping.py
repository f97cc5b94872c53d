"""Column headers in English and French map to the importable fields."""

import pytest

from app.imports.parsing.mapping import (
    FIELDS,
    KEEP_AS_NOTE,
    all_fields,
    field_label,
    fold,
    headers_signature,
    is_field,
    match_header,
    suggest_mapping,
)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Name", "name"), ("nom", "name"), ("Full name", "name"), ("Nom complet", "name"),
        ("Display name", "name"), ("Influenceur", "name"),
        ("First name", "first_name"), ("Prénom", "first_name"), ("PRENOM", "first_name"),
        ("Last name", "last_name"), ("Nom de famille", "last_name"),
        ("Handle", "handle"), ("Compte", "handle"), ("Username", "handle"),
        ("Pseudo", "handle"), ("Identifiant", "handle"), ("@", "handle"),
        ("Profile URL", "profile_url"), ("URL", "profile_url"), ("Lien", "profile_url"),
        ("Profil", "profile_url"), ("Lien du profil", "profile_url"),
        ("Platform", "platform"), ("Réseau", "platform"), ("Network", "platform"),
        ("Plateforme", "platform"), ("Réseau social", "platform"),
        ("Followers", "followers"), ("Abonnés", "followers"), ("Fans", "followers"),
        ("Subscribers", "followers"), ("Followers count", "followers"),
        ("Nb abonnés", "followers"), ("Nombre d'abonnés", "followers"),
        ("# followers", "followers"),
        ("Following", "following"), ("Abonnements", "following"),
        ("Posts", "posts"), ("Publications", "posts"),
        ("Engagement rate", "engagement_rate"), ("Taux d'engagement", "engagement_rate"),
        ("ER", "engagement_rate"), ("Engagement", "engagement_rate"),
        ("Taux d'engagement (%)", "engagement_rate"), ("ER %", "engagement_rate"),
        ("Avg likes", "avg_likes"), ("Likes moyens", "avg_likes"),
        ("Avg comments", "avg_comments"), ("Commentaires moyens", "avg_comments"),
        ("Avg views", "avg_views"), ("Vues moyennes", "avg_views"),
        ("Email", "email"), ("E-mail", "email"), ("Courriel", "email"), ("Mail", "email"),
        ("Phone", "phone"), ("Téléphone", "phone"), ("Tel", "phone"), ("Tél.", "phone"),
        ("City", "city"), ("Ville", "city"), ("Country", "country"), ("Pays", "country"),
        ("Kind", "kind"), ("Type", "kind"), ("Catégorie d'influenceur", "kind"),
        ("Category", "tags"), ("Catégorie", "tags"), ("Niche", "tags"), ("Topics", "tags"),
        ("Thématiques", "tags"), ("Tags", "tags"),
        ("Status", "status"), ("Statut", "status"),
        ("Notes", "notes"), ("Commentaires", "notes"),
        ("Languages", "languages"), ("Langues", "languages"),
        ("Agent", "agent_name"), ("Agence", "agent_name"),
        ("Agent email", "agent_email"), ("E-mail de l'agent", "agent_email"),
        ("Audience credibility", "credibility"), ("Crédibilité", "credibility"),
        ("Real followers", "credibility"), ("Vrais abonnés", "credibility"),
        ("Audience female share", "audience_female"), ("% femmes", "audience_female"),
        ("Women", "audience_female"), ("Female", "audience_female"),
        ("Male", "audience_male"), ("% Hommes", "audience_male"),
        ("Top country", "audience_top_country"), ("Pays principal", "audience_top_country"),
        ("18-24", "age.18-24"), ("% 25-34", "age.25-34"), ("âge 25-34", "age.25-34"),
        ("Age 13-17", "age.13-17"), ("35 - 44 ans", "age.35-44"), ("65+", "age.65+"),
        ("% 65 et plus", "age.65+"), ("Audience 45-54 (%)", "age.45-54"),
        ("Date des statistiques", "figures_on"), ("Date de naissance", "date_of_birth"),
        ("influencer_id", "influencer_id"),
        ("Instagram", "handle.instagram"), ("Compte Instagram", "handle.instagram"),
        ("Lien TikTok", "handle.tiktok"), ("URL YouTube", "handle.youtube"),
        ("Abonnés Instagram", "followers.instagram"), ("TikTok followers", "followers.tiktok"),
        ("Followers Tik Tok", "followers.tiktok"), ("X (Twitter)", "handle.x"),
        ("Taux d'engagement Instagram", "engagement_rate.instagram"),
        ("Couleur préférée", None), ("", None), ("18-24 pizzas", None), ("Instagram bio", None),
    ],
)
def test_match_header(header, field):
    assert match_header(header) == field


def test_every_suggested_field_is_a_known_field():
    for field in [*FIELDS, "handle.instagram", "followers.tiktok", KEEP_AS_NOTE, None]:
        assert is_field(field)
    assert not is_field("password")
    assert set(FIELDS) <= set(all_fields())


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Prénom", "Nom", "Instagram", "Abonnés"],
         {0: "first_name", 1: "last_name", 2: "handle.instagram", 3: "followers"}),
        (["Nom", "Compte", "Pseudo", "Abonnés", "Followers"],
         {0: "name", 1: "handle", 2: None, 3: "followers", 4: None}),
        (["First name", "Last name", "Name"], {0: "first_name", 1: "last_name", 2: "name"}),
        (["Name", "Couleur", "E-mail"], {0: "name", 1: None, 2: "email"}),
        ([], {}),
    ],
    ids=["prenom-nom", "duplicates-first-wins", "three-names", "unknown-ignored", "empty"],
)
def test_suggest_mapping(headers, expected):
    assert suggest_mapping(headers) == expected


def test_headers_signature_ignores_case_accents_and_spacing_but_not_order():
    base = headers_signature(["Prénom", "Nom", "Abonnés"])
    assert headers_signature(["\ufeffprenom ", "NOM", "abonnes"]) == base
    assert headers_signature(["Nom", "Prénom", "Abonnés"]) != base
    assert headers_signature(["Prénom", "Nom"]) != base
    assert len(base) == 32


def test_fold():
    assert fold("Taux d'engagement (%)") == "taux d engagement pct"
    assert fold("  Ÿ-Œuvre  ") == "y oeuvre"


@pytest.mark.parametrize(
    ("code", "label"),
    [("followers", ("Followers", {})), ("age.18-24", ("Audience: age %(band)s",
                                                      {"band": "18-24"})),
     ("followers.instagram", ("%(platform)s followers", {"platform": "instagram"})),
     (KEEP_AS_NOTE, ("Keep as notes", {}))],
)
def test_field_label(code, label):
    assert field_label(code) == label
    for field in all_fields():
        template, params = field_label(field)
        assert template % params if params else template
