"""Words people use for countries, languages, kinds and statuses, in English and French.

Plain Python (no Flask). Each `parse_*` takes a non-blank cell and returns the stored code,
or raises `ValueProblem` with a short reason.
"""

from __future__ import annotations

import re
import unicodedata

from babel import Locale

from app.codes import KINDS, STATUSES
from app.core.text import N_
from app.imports.parsing.numbers import ValueProblem, parse_share

TAG_MAX = 60
TAGS_MAX = 50
LANGUAGES_MAX = 60

# Letters NFKD does not split: "cœur" must match "coeur".
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def squash(text: str) -> str:
    """"Pays-Bas", "pays bas", "PAYS BAS" → "paysbas": compare words, not their spelling."""
    text = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", "", text)


def _territory_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for locale in (Locale("en"), Locale("fr")):
        for code, name in locale.territories.items():
            if len(code) == 2 and code.isalpha() and code not in {"ZZ", "EU", "EZ", "UN", "QO"}:
                index.setdefault(squash(name), code)
                index[code.lower()] = code
    aliases = {
        "uk": "GB", "angleterre": "GB", "england": "GB", "ecosse": "GB", "scotland": "GB",
        "wales": "GB", "paysdegalles": "GB", "grandebretagne": "GB", "greatbritain": "GB",
        "usa": "US", "etatsunis": "US", "unitedstatesofamerica": "US", "amerique": "US",
        "hollande": "NL", "holland": "NL", "russie": "RU", "russia": "RU",
        "coreedusud": "KR", "southkorea": "KR", "korea": "KR", "suisse": "CH",
    }
    index.update(aliases)
    return index


COUNTRIES = _territory_index()


def _language_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for locale in (Locale("en"), Locale("fr")):
        for code, name in locale.languages.items():
            if len(code) == 2 and code.isalpha():
                index.setdefault(squash(name), code)
                index[code] = code
    index.update({"anglais": "en", "english": "en"})
    return index


LANGUAGES = _language_index()

_KIND_WORDS = {
    "journalist": "journalist journaliste presse press media redacteur redactrice reporter",
    "youtuber": "youtuber youtubeur youtubeuse youtube videaste",
    "blogger": "blogger blogueur blogueuse bloggeur bloggeuse blog",
    "instagrammer": "instagrammer instagrameur instagrameuse instagrammeur instagrammeuse "
                    "instagram",
    "tiktoker": "tiktoker tiktokeur tiktokeuse tiktok",
    "podcaster": "podcaster podcasteur podcasteuse podcast",
    "streamer": "streamer streameur streameuse twitch",
    "expert": "expert experte specialist specialiste",
    "celebrity": "celebrity celebrite star personnalite people",
    "other": "other autre influencer influenceur influenceuse creator createur "
             "creatrice ugc",
}
KIND_INDEX = {word: code for code, words in _KIND_WORDS.items() for word in words.split()}
KIND_INDEX.update({squash(code): code for code in KINDS})

_STATUS_WORDS = {
    "prospect": ["prospect", "a contacter", "to contact", "lead", "nouveau", "new",
                 "identifie", "identified", "prospection"],
    "contacted": ["contacted", "contacte", "contactee", "en attente", "pending", "relance",
                  "relancee", "awaiting reply"],
    "engaged": ["engaged", "engage", "engagee", "en cours", "in progress", "actif", "active",
                "partenaire", "partner", "collaboration", "en collaboration"],
    "ambassador": ["ambassador", "ambassadeur", "ambassadrice"],
    "former": ["former", "ancien", "ancienne", "ex", "past", "termine", "terminee",
               "inactif", "inactive", "fini"],
    "do_not_contact": ["do not contact", "do_not_contact", "dont contact", "ne pas contacter",
                       "ne plus contacter", "blacklist", "liste noire", "opt out", "refus",
                       "refused", "declined", "a eviter"],
}
STATUS_INDEX = {squash(word): code for code, words in _STATUS_WORDS.items() for word in words}
STATUS_INDEX.update({squash(code): code for code in STATUSES})


def parse_country(text: str) -> str:
    """"France", "FR", "Belgique", "United Kingdom", "Suisse" → ISO 3166 alpha-2."""
    code = COUNTRIES.get(squash(text))
    if code is None:
        raise ValueProblem(N_("unknown country"))
    return code


def parse_top_country(text: str) -> tuple[str, float | None]:
    """"France", "FR 45 %", "France (45,2 %)" → (code, share or None)."""
    match = re.fullmatch(r"\s*(.*?)[\s(:=-]*(\d+(?:[.,]\d+)?\s*%)\)?\s*", text)
    if match and match[1]:
        return parse_country(match[1]), parse_share(match[2])
    return parse_country(text), None


def parse_kind(text: str) -> str:
    code = KIND_INDEX.get(squash(text))
    if code is None:
        raise ValueProblem(N_("unknown kind of influencer"))
    return code


def parse_status(text: str) -> str:
    code = STATUS_INDEX.get(squash(text))
    if code is None:
        raise ValueProblem(N_("unknown status"))
    return code


def parse_languages(text: str) -> str:
    """"français, anglais", "FR/EN", "French and English" → "fr,en"."""
    codes: list[str] = []
    for part in re.split(r"\s*(?:[,;/|+&]|\bet\b|\band\b)\s*", text.strip(), flags=re.I):
        if not part:
            continue
        code = LANGUAGES.get(squash(part))
        if code is None:
            raise ValueProblem(N_("unknown language"))
        if code not in codes:
            codes.append(code)
    joined = ",".join(codes)
    if len(joined) > LANGUAGES_MAX:
        raise ValueProblem(N_("too many languages"))
    return joined


def parse_tags(text: str) -> list[str]:
    """"Beauté, mode; voyage | food" → a list of tags, first spelling kept."""
    tags: list[str] = []
    seen: set[str] = set()
    for part in re.split(r"[,;|]", text):
        tag = " ".join(part.split())
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > TAG_MAX:
            raise ValueProblem(N_("a tag is longer than %(n)d characters"), n=TAG_MAX)
        seen.add(tag.casefold())
        tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise ValueProblem(N_("more than %(n)d tags"), n=TAGS_MAX)
    return tags
