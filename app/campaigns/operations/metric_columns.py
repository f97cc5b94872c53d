"""Which column of a metrics file holds what: operation ids, handles, dates and metrics,
recognised by their English or French names. Plain Python (no Flask).

Headers are compared folded (app.imports.parsing.mapping.fold: no case, accents or punctuation),
then without unit words ("Coût (€)", "Portée totale", "CA HT"). The first column claiming
a name wins; unknown columns (the participant's name, notes…) are ignored.
"""

from __future__ import annotations

from app.codes import METRICS
from app.core.text import N_
from app.imports.parsing.mapping import fold
from app.imports.parsing.reading import ReadError

# column → the headers recognised, folded
COLUMNS: dict[str, set[str]] = {
    "operation_id": {"operation id", "id", "id operation", "operation", "operation no",
                     "operation number", "no operation", "numero operation",
                     "numero de l operation", "id de l operation", "ref operation",
                     "identifiant operation", "identifiant de l operation"},
    "handle": {"handle", "compte", "account", "username", "user name", "pseudo", "at",
               "nom d utilisateur", "identifiant", "identifiant du compte", "social handle"},
    "profile_url": {"profile url", "url", "lien", "link", "profil", "profile",
                    "lien du profil", "url du profil", "profile link", "adresse du profil"},
    "platform": {"platform", "plateforme", "reseau", "reseau social", "network",
                 "social network", "canal"},
    "date": {"date", "jour", "day"},
    "planned_on": {"planned date", "planned on", "planned for", "planned", "date prevue",
                   "prevue le", "prevu le", "date planifiee", "date de planification",
                   "date de l operation", "operation date"},
    "published_on": {"published date", "published on", "publication date", "date published",
                     "date de publication", "publie le", "publiee le", "date publication",
                     "mis en ligne le", "date de mise en ligne"},
    "impressions": {"impressions", "nombre d impressions", "nb impressions", "affichages"},
    "reach": {"reach", "portee", "accounts reached", "comptes touches", "couverture",
              "personnes touchees", "unique reach", "portee unique"},
    "views": {"views", "vues", "video views", "vues video", "nombre de vues", "plays",
              "lectures"},
    "likes": {"likes", "j aime", "jaime", "mentions j aime", "nombre de j aime"},
    "comments": {"comments", "commentaires", "comms", "nombre de commentaires"},
    "shares": {"shares", "partages", "repartages", "reposts", "retweets",
               "nombre de partages"},
    "saves": {"saves", "enregistrements", "sauvegardes", "saved", "favoris",
              "nombre d enregistrements"},
    "clicks": {"clicks", "clics", "link clicks", "clics sur le lien", "clic", "click"},
    "conversions": {"conversions", "ventes", "sales", "orders", "commandes", "achats",
                    "purchases"},
    "revenue": {"revenue", "revenu", "revenus", "chiffre d affaires", "ca", "sales revenue",
                "turnover", "recettes", "montant des ventes"},
    "cost": {"cost", "cout", "couts", "spend", "depense", "depenses", "cout total",
             "total cost"},
}
# Words around a metric's name that do not change it: "Coût (€)", "Portée totale", "CA HT".
UNITS = {"eur", "euro", "euros", "usd", "gbp", "chf", "cad", "ht", "ttc", "total", "totale",
         "totales", "totaux", "nb", "nombre", "number", "of", "de", "d", "des", "count", "en",
         "in"}
_BY_HEADER = {synonym: name for name, synonyms in COLUMNS.items() for synonym in synonyms}


def find_columns(headers: list[str]) -> dict[str, int]:
    """column name → index; ReadError when the file cannot say which operation or which
    metric a row is about."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        folded = fold(header.lstrip("\ufeff"))
        name = _BY_HEADER.get(folded) or _BY_HEADER.get(
            " ".join(w for w in folded.split() if w not in UNITS))
        if name and name not in found:
            found[name] = index
    if not any(metric in found for metric in METRICS):
        raise ReadError(N_("The file has no metric column (impressions, reach, views, "
                           "likes, comments, shares, saves, clicks, conversions, revenue, "
                           "cost)."))
    named = "handle" in found or "profile_url" in found
    dated = any(name in found for name in ("date", "planned_on", "published_on"))
    if "operation_id" not in found and not (named and dated):
        raise ReadError(N_("The file needs an operation_id column, or a handle (or "
                           "profile address) column and a date column."))
    return found
