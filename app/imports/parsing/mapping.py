"""Which column holds which field: headers matched against English and French synonyms.

Plain Python (no Flask). Headers are compared after folding case, accents, punctuation
and spaces ("Taux d'engagement (%)" → "tauxdengagement"). A column may also name a
platform ("Instagram", "Abonnés TikTok"): it then feeds that platform's account, so one
row can carry several accounts (`handle.instagram`, `followers.tiktok`…).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from app.codes import AGE_BANDS, PLATFORMS
from app.core.text import N_
from app.imports.parsing.handles import HandleError, platform_from_name

KEEP_AS_NOTE = "keep"  # the wizard's "keep as notes" choice: any number of columns

# field code → (English label, synonyms in English and French; folded when compared)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "influencer_id": (N_("Relais id"), ("influencer_id", "influencer id", "relais id")),
    "name": (N_("Name"), ("name", "nom", "full name", "nom complet", "display name",
                          "nom affiché", "nom d'affichage", "influencer", "influenceur",
                          "influenceuse", "creator", "créateur", "créatrice", "talent",
                          "nom de l'influenceur", "influencer name", "creator name")),
    "first_name": (N_("First name"), ("first name", "firstname", "given name", "prénom",
                                      "prenom")),
    "last_name": (N_("Last name"), ("last name", "lastname", "surname", "family name",
                                    "nom de famille", "nom de naissance")),
    "legal_name": (N_("Full legal name"), ("legal name", "nom légal", "nom civil", "real name",
                                      "vrai nom", "nom réel")),
    "platform": (N_("Platform"), ("platform", "plateforme", "réseau", "reseau social",
                                  "réseau social", "network", "social network",
                                  "canal", "channel type")),
    "handle": (N_("Handle"), ("handle", "compte", "account", "username", "user name",
                              "pseudo", "pseudonyme", "identifiant", "@", "nom d'utilisateur",
                              "alias", "login", "social handle")),
    "profile_url": (N_("Profile address"), ("profile_url", "profile url", "url", "lien",
                                            "link", "profil", "profile", "lien du profil",
                                            "url du profil", "profile link", "page")),
    "followers": (N_("Followers"), ("followers", "abonnés", "fans", "subscribers",
                                    "followers count", "nombre d'abonnés", "nb abonnés",
                                    "nombre de followers", "audience", "communauté",
                                    "taille de communauté", "reach", "portée", "abos")),
    "following": (N_("Following"), ("following", "abonnements", "followings")),
    "posts": (N_("Posts"), ("posts", "publications", "nombre de posts", "posts count",
                            "nb posts", "media count", "vidéos", "videos")),
    "engagement_rate": (N_("Engagement rate"), ("engagement rate", "taux d'engagement",
                                                "er", "engagement", "eng rate", "taux eng",
                                                "engagement %", "% engagement", "te")),
    "avg_likes": (N_("Average likes"), ("avg likes", "average likes", "likes moyens",
                                        "moyenne likes", "likes", "mean likes",
                                        "likes par post", "j'aime moyens")),
    "avg_comments": (N_("Average comments"), ("avg comments", "average comments",
                                              "commentaires moyens", "moyenne commentaires",
                                              "comments", "mean comments")),
    "avg_views": (N_("Average views"), ("avg views", "average views", "vues moyennes",
                                        "moyenne vues", "views", "vues", "mean views",
                                        "avg reel views", "vues moyennes reels")),
    "credibility": (N_("Audience credibility"), (
        "audience credibility", "credibility", "crédibilité", "crédibilité de l'audience",
        "real followers", "vrais abonnés", "real audience", "audience réelle",
        "authentic followers", "quality score")),
    "figures_on": (N_("Figures as of"), ("figures on", "figures_on", "date des chiffres",
                                         "date des statistiques", "stats date", "updated on",
                                         "mis à jour le", "date de mise à jour", "last update")),
    "email": (N_("Email"), ("email", "e-mail", "courriel", "mail", "adresse email",
                            "adresse e-mail", "email address", "contact email", "mél")),
    "phone": (N_("Phone"), ("phone", "téléphone", "tel", "tél", "mobile", "portable",
                            "phone number", "numéro de téléphone", "gsm")),
    "city": (N_("City"), ("city", "ville", "town", "localité", "location", "localisation")),
    "country": (N_("Country"), ("country", "pays", "country code", "code pays", "nation")),
    "kind": (N_("Kind"), ("kind", "type", "catégorie d'influenceur", "type d'influenceur",
                          "influencer type", "profil type", "métier", "profession")),
    "tags": (N_("Tags"), ("tags", "category", "categories", "catégorie", "catégories",
                          "niche", "niches", "topics", "topic", "thématiques", "thématique",
                          "thèmes", "thème", "themes", "interests", "centres d'intérêt",
                          "étiquettes", "secteur", "univers", "verticale")),
    "status": (N_("Status"), ("status", "statut", "état", "relationship status", "stage",
                              "étape", "pipeline")),
    "notes": (N_("Notes"), ("notes", "note", "commentaires", "commentaire", "remarques",
                            "remarque", "observations", "description", "bio", "biographie")),
    "languages": (N_("Languages"), ("languages", "language", "langues", "langue", "lang")),
    "agent_name": (N_("Agent or agency"), ("agent", "agence", "agency", "manager", "agent name",
                                           "nom de l'agent", "management", "représentant")),
    "agent_email": (N_("Agent's email"), ("agent email", "email agent", "email de l'agent",
                                          "agency email", "email agence", "mail agent",
                                          "manager email", "email manager")),
    "date_of_birth": (N_("Date of birth"), ("date of birth", "birth date", "birthday", "dob",
                                            "date de naissance", "né le", "naissance")),
    "audience_female": (N_("Audience: women share"), (
        "audience female", "female", "females", "women", "woman", "femmes", "femme",
        "% femmes", "% women", "female share", "part femmes", "audience femmes",
        "audience féminine", "female %", "women %", "gender female")),
    "audience_male": (N_("Audience: men share"), (
        "audience male", "male", "males", "men", "man", "hommes", "homme", "% hommes",
        "% men", "male share", "part hommes", "audience hommes", "audience masculine",
        "male %", "men %", "gender male")),
    "audience_top_country": (N_("Audience: top country"), (
        "top country", "audience top country", "pays principal", "audience country",
        "pays de l'audience", "premier pays", "1er pays", "top pays", "main country",
        "audience pays principal", "top location")),
}
for _band in AGE_BANDS:
    FIELDS["age." + _band] = (N_("Audience: age %(band)s"), ())
# Per-platform account columns ("Instagram", "Abonnés TikTok"): field "<base>.<platform>".
PLATFORM_FIELDS = ("handle", "followers", "engagement_rate")
_PLATFORM_LABELS = {
    "handle": N_("%(platform)s handle"),
    "followers": N_("%(platform)s followers"),
    "engagement_rate": N_("%(platform)s engagement rate"),
}
# Words around a header that do not change its meaning: units first, then fillers.
_UNITS = {"pct", "nb", "nbr", "total", "count", "n", "no", "num", "number", "nombre",
          "en", "in", "moyen", "moyenne", "avg"}
_NOISE = {"pct", "nb", "nbr", "nombre", "number", "of", "de", "d", "du", "des", "le", "la",
          "les", "l", "total", "the", "count", "n", "no", "num", "audience", "share", "part",
          "url", "lien", "link", "compte", "account", "profil", "profile", "page", "handle",
          "chaine", "channel", "sur", "on", "en", "in"}

# Letters NFKD does not split: "cœur" must match "coeur".
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def fold(text: str) -> str:
    """"Taux d'engagement (%)" → "taux d engagement pct": lower case, no accents or punctuation."""
    text = text.translate(LIGATURES).replace("%", " pct ").replace("@", " at ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^a-z0-9+]+", " ", text).split())


def _key(text: str) -> str:
    return fold(text).replace(" ", "")


_SYNONYMS = {_key(s): field for field, (_, synonyms) in FIELDS.items() for s in synonyms}
_SYNONYMS[_key("@")] = "handle"
_AGE_RE = re.compile(r"(?<!\d)(13|18|25|35|45|55)(?: ?(?:a|to)? ?)(17|24|34|44|54|64)(?!\d)"
                     r"|(?<!\d)(65) ?(?:\+|plus|et plus|and over|ans et plus)")
_AGE_WORDS = {"age", "ages", "ans", "years", "yo", "pct", "audience", "tranche", "d", "de",
              "share", "part", "y", "a", "old", "followers", "abonnes"}


def _age_band(folded: str) -> str | None:
    match = _AGE_RE.search(folded)
    if not match:
        return None
    rest = (folded[:match.start()] + " " + folded[match.end():]).split()
    if any(word not in _AGE_WORDS for word in rest):
        return None
    return "65+" if match[3] else f"{match[1]}-{match[2]}"


def _platform_field(folded: str) -> str | None:
    """"abonnes instagram", "lien tiktok", "youtube" → "followers.instagram"…"""
    words = folded.split()
    for size in (2, 1):  # "tik tok", "you tube" before single words
        for start in range(len(words) - size + 1):
            try:
                platform = platform_from_name(" ".join(words[start:start + size]))
            except HandleError:
                continue
            if platform in {"other", "blog", "podcast", "newsletter"}:
                continue
            rest = words[:start] + words[start + size:]
            base = _SYNONYMS.get("".join(rest)) if rest else "handle"
            if base is None:
                base = _SYNONYMS.get("".join(w for w in rest if w not in _NOISE), "handle"
                                     if all(w in _NOISE for w in rest) else None)
            if base == "profile_url":
                base = "handle"
            if base in PLATFORM_FIELDS:
                return f"{base}.{platform}"
            return None
    return None


def match_header(header: str) -> str | None:
    """One header → the field it most likely holds, or None (unknown column)."""
    folded = fold(header.lstrip("\ufeff"))
    if not folded:
        return None
    field = _SYNONYMS.get(folded.replace(" ", ""))
    if field:
        return field
    band = _age_band(folded)
    if band:
        return "age." + band
    field = _platform_field(folded)
    if field:
        return field
    for noise in (_UNITS, _NOISE):
        trimmed = "".join(w for w in folded.split() if w not in noise)
        if trimmed and trimmed in _SYNONYMS:
            return _SYNONYMS[trimmed]
    return None


def suggest_mapping(headers: list[str]) -> dict[int, str | None]:
    """column index → field code (None: ignored). The first column claiming a field wins."""
    mapping: dict[int, str | None] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        field = match_header(header)
        if field in taken:
            field = None
        if field:
            taken.add(field)
        mapping[index] = field
    if "first_name" in taken and "last_name" not in taken:
        # "Prénom;Nom": next to a first name, "Nom" is the family name.
        for index, field in mapping.items():
            if field == "name" and _key(headers[index]) in {"nom", "name"}:
                mapping[index] = "last_name"
                break
    return mapping


def headers_signature(headers: list[str]) -> str:
    """A stable hash of the folded headers: same headers (any case/accents) → same value."""
    folded = "\x1f".join(fold(h.lstrip("\ufeff")) for h in headers)
    return hashlib.sha256(folded.encode()).hexdigest()[:32]


def all_fields() -> list[str]:
    """Every field code a column can be mapped to, in the order the wizard lists them."""
    per_platform = [f"{base}.{platform}" for platform in PLATFORMS
                    if platform not in {"other", "blog", "podcast", "newsletter"}
                    for base in PLATFORM_FIELDS]
    return [*FIELDS, *per_platform, KEEP_AS_NOTE]


def field_label(code: str) -> tuple[str, dict[str, str]]:
    """A field code → (English label marked for translation, its parameters)."""
    if code == KEEP_AS_NOTE:
        return N_("Keep as notes"), {}
    if code.startswith("age."):
        return FIELDS[code][0], {"band": code[4:]}
    base, _, platform = code.partition(".")
    if platform and base in _PLATFORM_LABELS:
        return _PLATFORM_LABELS[base], {"platform": platform}
    if code not in FIELDS:
        raise KeyError(code)
    return FIELDS[code][0], {}


def is_field(code: str | None) -> bool:
    """Whether a code (e.g. from a submitted mapping form) is a known field."""
    return code is None or code in _ALL_FIELDS


_ALL_FIELDS = frozenset(all_fields())
