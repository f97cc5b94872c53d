"""What an import writes for the list's French order and accent-blind search: each
person's sort key and folded search text, batch by batch and in a bulk load alike."""

from __future__ import annotations

from sqlalchemy import select

from app.collation import search_text, sort_key
from app.extensions import db as _db
from app.models import Influencer
from tests.factories import make_user

FILE = ("Nom;Réseau;Compte;Abonnés;E-mail\r\n"
        "Zoé Zèbre;Instagram;@zoe_z;1 200;zoe@musée.fr\r\n"
        "Émile Éclair;TikTok;@emile;900;\r\n"
        "Œdipe Roi;Instagram;@oedipe;300;\r\n")


def _stored() -> dict[str, tuple[str, str]]:
    return {name: (key, searched) for name, key, searched in _db.session.execute(
        select(Influencer.display_name, Influencer.sort_name, Influencer.search_text))}


def test_both_import_paths_store_keys_and_folded_text(db, by_batch_then_empty, import_csv,
                                                       imported_people, member_client):
    user = make_user("admin")
    _report, by_batch = by_batch_then_empty(FILE, user)  # then tables emptied, bulk allowed
    _imp, report = import_csv(FILE, user, name="encore.csv")
    assert report["created"] == 3 and imported_people() == by_batch
    stored = _stored()
    assert stored["Zoé Zèbre"] == ("zoe zebre", search_text(["Zoé Zèbre", "zoe@musée.fr",
                                                             "zoe_z"]))
    assert stored["Œdipe Roi"][0] == sort_key("Œdipe Roi") == "oedipe roi"
    names = member_client.get("/influencers/?sort=name").get_data(as_text=True)
    assert names.index("Émile Éclair") < names.index("Œdipe Roi") < names.index("Zoé Zèbre")
    found = member_client.get("/influencers/?q=musee.fr").get_data(as_text=True)
    assert "Zoé Zèbre" in found and "Émile" not in found
