"""An import's changes in the history of each record it touched ("updated by import #4:
engagement 2,42 % → 2,4 %"), and a revert that names what it put back."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.imports import revert as import_revert
from app.models import AuditEvent
from tests.factories import make_influencer, make_user

UPDATE = ("Nom;Réseau;Compte;Abonnés;Taux d'engagement;Ville\r\n"
          "Léa Dupont;Instagram;@lea_d;12 000;2,4 %;Lyon\r\n"
          "Nouveau Venu;TikTok;@venu;500;1 %;\r\n")


def lea():
    return make_influencer(display_name="Léa Dupont", accounts=[
        {"platform": "instagram", "handle": "lea_d", "followers": 9_500,
         "engagement_rate": 0.0242}])


def history(client, influencer_id: int) -> str:
    page = client.get(f"/influencers/{influencer_id}").get_data(as_text=True)
    return re.sub(r"[ \t\r\n]+", " ", page.split('id="history"')[1])


def test_the_profile_says_what_an_import_changed(member_client, import_csv):
    person = lea()
    imp, _report = import_csv(UPDATE, make_user("admin"))
    assert imp.updated == 1
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.import_id == imp.id, AuditEvent.influencer_id == person.id)).all()
    assert {e.action_id for e in events} == {f"import-{imp.id}"}
    page = history(member_client, person.id)
    assert (f'Influencer <a href="/influencers/{person.id}">Léa Dupont</a> updated by import '
            f'<a href="/imports/{imp.id}">#{imp.id} liste.csv</a>') in page
    assert "<b>City</b>: Lyon" in page
    assert "<b>Engagement rate</b>: 2.42% → 2.4%" in page
    assert "<b>Followers</b>: 9,500 → 12,000" in page
    assert "Instagram @lea_d" in page
    assert "import_id" not in page and "search" not in page.lower()


def test_the_french_profile_reads_french(client_as, import_csv):
    person = lea()
    imp, _report = import_csv(UPDATE, make_user("admin"))
    page = history(client_as(make_user("member", locale="fr")), person.id)
    assert "Léa Dupont</a> mis à jour par l’import " in page
    assert "<b>Taux d&#39;engagement</b>\u00a0: 2,42\u00a0% → 2,4\u00a0%" in page


def test_a_revert_names_what_it_put_back(member_client, import_csv):
    person = lea()
    admin = make_user("admin")
    imp, _report = import_csv(UPDATE, admin)
    import_revert.revert(imp, admin)
    page = history(member_client, person.id)
    assert "Léa Dupont</a> put back by the revert of import " in page
    assert "<b>Engagement rate</b>: 2.4% → 2.42%" in page
    assert "<b>City</b>: Lyon → —" in page
    log = member_client.get("/")  # the dashboard reads the same trail
    assert log.status_code == 200


def test_the_admin_log_shows_the_import_and_its_revert(admin_client, import_csv):
    lea()
    imp, _report = import_csv(UPDATE, admin_client.user)
    import_revert.revert(imp, admin_client.user)
    page = re.sub(r"\s+", " ", admin_client.get("/admin/audit").get_data(as_text=True))
    heads = [re.sub(r"<[^>]+>", "", h).strip()
             for h in re.findall(r'<span class="audit-head">(.*?)</span>', page)]
    assert heads[0] == f"Import #{imp.id} liste.csv reverted"
    assert f"Import #{imp.id} liste.csv created" in heads
    assert "<b>File</b>: liste.csv" in page


def test_an_import_is_one_entry_of_the_log_and_the_dashboard(admin_client, import_csv,
                                                              monkeypatch):
    from app.core import audit_query

    monkeypatch.setattr(audit_query, "PER_ACTION", 3)
    for name, handle in (("Léa Dupont", "lea_d"), ("Zoé Martin", "zoe"), ("Hugo Roux", "hugo")):
        make_influencer(display_name=name, accounts=[
            {"platform": "instagram", "handle": handle, "followers": 100}])
    imp, _report = import_csv("Nom;Réseau;Compte;Abonnés\r\nLéa Dupont;Instagram;lea_d;200\r\n"
                              "Zoé Martin;Instagram;zoe;300\r\nHugo Roux;Instagram;hugo;400\r\n",
                              admin_client.user)
    assert imp.updated == 3
    for url in ("/admin/audit", "/"):
        page = re.sub(r"\s+", " ", admin_client.get(url).get_data(as_text=True))
        heads = [re.sub(r"<[^>]+>", "", h).strip()
                 for h in re.findall(r'<span class="audit-head">(.*?)</span>', page)]
        assert heads[0] == f"Import #{imp.id} liste.csv created", url
        assert sum("updated by import" in h for h in heads) == 0  # all inside the entry
        assert "and 4 more changes" in page  # 3 people and 3 accounts, 3 events loaded
