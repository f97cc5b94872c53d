"""The every-page walk's data and map: one realistic agency seeded through the factories
and services (brands, people with accounts, tags, audiences and follow-ups, a campaign at
every stage, operations waiting for approval and published with metrics, contracts, a
scoring run, imports, audit events), and the pages walked, each with the endpoint it
covers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from app.campaigns.report import rates
from app.extensions import db
from app.models import ContractBatch, Operation
from app.models.rates import DEFAULT_FEE_FLOORS, FOLLOWER_TIERS
from tests import factories

LANGS = ("fr", "en")
# A page is loaded at the first width, then widened: never narrowed, so that nothing drawn
# for a wider window (a chart, the graph's canvas) is still being redrawn when measured.
WIDTHS = (390, 768, 1366, 1920)
AXE_WIDTHS = (390, 1366)
TEAM = {"admin": "Élodie Marchand", "manager": "Julien Caron", "member": "Sarah Haddad",
        "viewer": "Paul Lemoine"}


@dataclass
class Seeded:
    users: dict[tuple[str, str], object] = field(default_factory=dict)  # (role, lang) → user
    ids: dict[str, int] = field(default_factory=dict)
    sign_path: str = ""
    reset_path: str = ""


@dataclass(frozen=True)
class WalkedPage:
    name: str
    endpoint: str
    path: str
    status: int = 200
    ready: str = ""  # a selector to wait for (a page that draws after a fetch)
    lang: str = ""  # the page's own language, whatever the reader's


# --- the dataset ------------------------------------------------------------------------------

AUDIENCE_LYON = {"country": {"FR": 0.82, "BE": 0.09, "CH": 0.05},
                 "gender": {"female": 0.71, "male": 0.28, "other": 0.01},
                 "age": {"18-24": 0.34, "25-34": 0.41, "35-44": 0.16}}
AUDIENCE_TECH = {"country": {"FR": 0.64, "CA": 0.18, "BE": 0.08},
                 "gender": {"female": 0.22, "male": 0.77, "other": 0.01},
                 "age": {"18-24": 0.45, "25-34": 0.38}}
PEOPLE = (  # name, kind, status, city, tags, accounts (platform, followers, credibility, audience)
    ("Léa Fontaine-Delacroix", "instagrammer", "ambassador", "Lyon", "beauté, lyon",
     (("instagram", 182_000, 0.91, AUDIENCE_LYON), ("tiktok", 95_400, 0.88, None))),
    ("Hugo Marchetti", "youtuber", "engaged", "Bordeaux", "tech, gaming",
     (("youtube", 410_000, 0.93, AUDIENCE_TECH),)),
    ("Inès Benali", "instagrammer", "contacted", "Paris", "mode, paris",
     (("instagram", 48_500, 0.86, AUDIENCE_LYON),)),
    ("Camille Roux", "tiktoker", "engaged", "Lille", "humour",
     (("tiktok", 1_200_000, 0.79, None), ("instagram", 230_000, 0.84, None))),
    ("Théo Garnier", "instagrammer", "prospect", "Annecy", "sport, vélo",
     (("instagram", 12_300, 0.95, None),)),
    ("Manon Lefèvre", "blogger", "engaged", "Nantes", "cuisine, vegan",
     (("instagram", 67_000, 0.9, AUDIENCE_LYON), ("youtube", 22_000, None, None))),
    ("Yasmine Chaouki", "tiktoker", "contacted", "Marseille", "beauté",
     (("tiktok", 305_000, 0.83, None),)),
    ("Baptiste Olivier", "podcaster", "prospect", "Rennes", "voyage",
     (("podcast", 18_000, None, None), ("blog", 9_500, None, None))),
    ("Chloé Dumas", "instagrammer", "former", "Lyon", "maman, lyon",
     (("instagram", 8_900, 0.97, None),)),
    ("Antoine Vasseur", "journalist", "prospect", "Paris", "tech",
     (("x", 23_000, None, None), ("linkedin", 11_000, None, None))),
    ("Zoé Lambert-Moreau", "instagrammer", "engaged", "Biarritz", "voyage, photo",
     (("instagram", 156_000, 0.89, None),)),
    ("Nathan Petit", "streamer", "do_not_contact", "Toulouse", "gaming",
     (("twitch", 54_000, None, AUDIENCE_TECH),)),
)


def _team(seeded: Seeded) -> None:
    for role, name in TEAM.items():
        for lang in LANGS:
            seeded.users[role, lang] = factories.make_user(
                role, email=f"{role}.{lang}@agence-relais.fr", locale=lang,
                name=name if lang == "fr" else f"{name} (EN)")


def _people(admin) -> list:
    from app.influencers import service as influencers

    people = []
    for name, kind, status, city, tags, accounts in PEOPLE:
        slug = name.lower().replace(" ", ".").replace("é", "e").replace("è", "e")
        person = influencers.create_influencer(
            {"display_name": name, "kind": kind, "status": status, "city": city,
             "country": "FR", "email": f"{slug}@exemple.fr", "languages": "fr,en"},
            accounts=[{"platform": platform, "handle": f"{slug}_{platform}",
                       "followers": followers, "credibility": credibility,
                       "engagement_rate": 0.031}
                      for platform, followers, credibility, _ in accounts],
            tags=influencers.parse_tags(tags), user=admin)
        for account, spec in zip(person.accounts, accounts, strict=True):
            if spec[3]:
                factories.add_snapshot(account, spec[3], taken_on=date.today() - timedelta(30))
        people.append(person)
    return people


def _follow_ups(people, member) -> None:
    from app.influencers.interactions import add_interaction

    now = datetime.now(UTC)
    add_interaction(people[0], "email", "Envoi du brief « Été lumineux » et des tarifs.",
                    occurred_at=now - timedelta(days=9), follow_up_on=date.today() - timedelta(2),
                    user=member)
    add_interaction(people[2], "dm", "Premier contact : intéressée par la collection d'été.",
                    occurred_at=now - timedelta(days=3), follow_up_on=date.today(), user=member)
    add_interaction(people[6], "call", "Appel avec son agent, tarif à confirmer par écrit.",
                    occurred_at=now - timedelta(days=1), follow_up_on=date.today() + timedelta(4),
                    user=member)
    add_interaction(people[3], "meeting", "Rencontre au salon, très partante.", user=member)
    add_interaction(people[4], "product_sent", "Colis envoyé : gamme solaire complète.",
                    occurred_at=now - timedelta(days=14), user=member)


def _network(people) -> None:
    edges = ((0, 2, "reposts"), (2, 0, "mentions"), (0, 6, "follows"), (6, 0, "reposts"),
             (1, 9, "mentions"), (9, 1, "reposts"), (11, 1, "collaborated"), (3, 0, "follows"),
             (5, 8, "same_agency"), (8, 5, "reposts"), (10, 7, "mentions"), (7, 10, "follows"),
             (4, 10, "follows"), (2, 6, "audience_overlap"), (5, 0, "mentions"))
    for source, target, kind in edges:
        factories.make_relationship(people[source], people[target], kind=kind)


def _brands():
    lumiere = factories.make_brand(
        name="Maison Lumière", legal_name="Maison Lumière SAS", legal_form="SAS",
        registration_number="812 345 678 RCS Lyon", sector="cosmetics",
        address="12 rue de la République\n69002 Lyon", email="contrats@maison-lumiere.fr",
        tax_country="FR", signatory_name="Hélène Câlin", signatory_title="Directrice générale")
    velo = factories.make_brand(name="Vélo Cité Mobilités Douces Intercommunales",
                                sector="sports")
    factories.make_brand(name="Fromagerie Baud & Fils", sector="food")
    old = factories.make_brand(name="Ancienne marque", sector="retail")
    old.deleted_at = datetime.now(UTC)
    db.session.commit()
    return lumiere, velo


STAGED = (  # person index, stage, agreed fee (€), operation status or None
    (0, "paid", 4_500, "published"), (3, "delivered", 6_000, "published"),
    (10, "live", 2_800, "submitted"), (5, "contracted", 1_900, "changes_requested"),
    (2, "negotiating", None, "approved"), (6, "contacted", None, "planned"),
    (4, "shortlisted", None, None), (1, "declined", None, None),
)


def _operation(participant, status: str, day: date, member) -> Operation:
    metrics = {}
    if status == "published":
        metrics = {"impressions": 240_000, "reach": 168_000, "views": 120_000,
                   "likes": 9_800, "comments": 410, "shares": 230, "saves": 640,
                   "clicks": 1_200, "conversions": 85, "revenue_cents": 410_000,
                   "published_on": day, "published_url": "https://www.instagram.com/p/Cx1",
                   "metrics_source": "manual"}
    if status != "planned":
        metrics |= {"submitted_at": datetime.now(UTC) - timedelta(days=2),
                    "submitted_by_id": member.id,
                    "caption": "Ma routine soleil avec @maisonlumiere ☀️ #Publicité"}
    if status == "changes_requested":
        metrics["review_comment"] = "Ajoutez la mention « Publicité » au début de la légende."
    return factories.make_operation(participant, kind="reel", status=status, planned_on=day,
                                    brief="Montrer la gamme solaire en situation.", **metrics)


def _campaign(lumiere, people, member):
    today = date.today()
    campaign = factories.make_campaign(
        lumiere, name="Été lumineux 2026", status="active", objective="awareness",
        budget_cents=2_500_000, starts_on=today - timedelta(20), ends_on=today + timedelta(40),
        description="Lancement de la gamme solaire auprès des 18-34 ans.",
        target_platforms="instagram,tiktok", target_countries="FR,BE",
        target_gender="female", target_gender_share=0.6, target_age_bands="18-24,25-34",
        kpi_targets={"reach": 500_000, "cpe": 0.5}, hashtags="#EteLumineux",
        mentions="@maisonlumiere", owner_id=member.id)
    participants = []
    for n, (index, stage, fee, status) in enumerate(STAGED):
        participant = factories.make_participant(
            campaign, people[index], stage=stage, proposed_fee_cents=(fee or 1_500) * 100,
            agreed_fee_cents=fee and fee * 100, notes="Tarif négocié avec l'agent.")
        if status:
            _operation(participant, status, today + timedelta(days=n * 3 - 8), member)
        participants.append(participant)
    return campaign, participants


def _other_campaigns(velo) -> None:
    factories.make_campaign(velo, name="Rentrée à vélo", status="planned",
                            starts_on=date.today() + timedelta(30), budget_cents=800_000)
    gone = factories.make_campaign(velo, name="Salon annulé", status="cancelled")
    gone.deleted_at = datetime.now(UTC)
    db.session.commit()


def _contracts(app, seeded: Seeded, lumiere, people, campaign, participants, admin) -> None:
    from app.contracts.signing import service as signing

    sent = factories.make_approved_contract(
        brand=lumiere, influencer=people[0], campaign_id=campaign.id,
        participant_id=participants[0].id, title="Ambassade « Été lumineux »")
    draft = factories.make_contract(brand=lumiere, influencer=people[3],
                                    campaign_id=campaign.id, participant_id=participants[1].id)
    with app.test_request_context():
        links = signing.send(sent, admin)
    seeded.sign_path = "/sign/" + links[0].url.rsplit("/sign/", 1)[1]
    seeded.ids |= {"contract": sent.id, "draft_contract": draft.id}
    batch = ContractBatch(campaign_id=campaign.id, status="done", progress=100, total=2,
                          size=184_320, seconds=3.4, finished_at=datetime.now(UTC))
    db.session.add(batch)
    db.session.commit()
    seeded.ids["batch"] = batch.id


IMPORT_CSV = ("Nom;Prénom;Réseau;Compte;Abonnés;Taux d'engagement;Pays;E-mail\r\n"
              "Girard;Manon;Instagram;@manon_girard;95 000;2,4 %;France;manon@exemple.fr\r\n"
              "Moulin;Jules;TikTok;jules.moulin;12 400;1,5 %;Belgique;\r\n"
              "Roche;Emma;YT;@emma;beaucoup;2 %;France;\r\n")


def _imports(folder: Path, member, seeded: Seeded) -> None:
    from app.imports import service as imports

    path = folder / "influenceurs-juin.csv"
    path.write_bytes(IMPORT_CSV.encode("cp1252"))
    done = imports.create_import(path, "influenceurs-juin.csv", member)
    imports.run(done, dry_run=False)
    checked = imports.create_import(path, "influenceurs-juillet.csv", member)
    imports.run(checked, dry_run=True)
    uploaded = imports.create_import(path, "nouveaux-contacts.csv", member)
    seeded.ids |= {"import_done": done.id, "import_checked": checked.id,
                   "import_uploaded": uploaded.id}


def _reset_link(seeded: Seeded) -> None:
    from app.auth import password_reset

    link = password_reset.issue(seeded.users["viewer", "fr"], "http://relais.test",
                                issued_by=seeded.users["admin", "fr"])
    seeded.reset_path = urlsplit(link.url).path


def seed(app, folder: Path) -> Seeded:
    """The agency's data, as the walk's pages show it."""
    from app.scoring import rescoring

    seeded = Seeded()
    _team(seeded)
    admin, member = seeded.users["admin", "fr"], seeded.users["member", "fr"]
    people = _people(admin)
    _follow_ups(people, member)
    _network(people)
    lumiere, velo = _brands()
    campaign, participants = _campaign(lumiere, people, member)
    _other_campaigns(velo)
    factories.make_platform_rates(instagram=900, tiktok=700, youtube=1_200)
    rates.save_floors({(platform, tier): euros * 100
                       for platform, floors in DEFAULT_FEE_FLOORS.items()
                       for tier, euros in zip(FOLLOWER_TIERS, floors, strict=True)}, None)
    _contracts(app, seeded, lumiere, people, campaign, participants, admin)
    _imports(folder, member, seeded)
    _reset_link(seeded)
    rescoring.rescore(user=admin)
    gone = factories.make_influencer(display_name="Fiche supprimée")
    gone.deleted_at = datetime.now(UTC)
    db.session.commit()
    operations = {o.status: o.id for p in participants for o in p.operations}
    seeded.ids |= {"brand": lumiere.id, "person": people[0].id, "campaign": campaign.id,
                   "account": people[0].accounts[0].id, "submitted": operations["submitted"],
                   "published": operations["published"],
                   "planned": operations["planned"], "other_person": people[4].id}
    return seeded


# --- the pages --------------------------------------------------------------------------------

C = "/campaigns/{campaign}"
SIGNED_IN = (  # name, endpoint, path (ids of the seeded records in braces)
    ("dashboard", "main.dashboard_page", "/"),
    ("influencers", "influencers.index", "/influencers/"),
    ("influencers-filtered", "influencers.index",
     "/influencers/?status=engaged&country=FR&followers_min=10000&tag=beauté"),
    ("influencers-instagram", "influencers.index",
     "/influencers/?platform=instagram&sort=followers"),
    ("influencer", "influencers.show", "/influencers/{person}"),
    ("influencer-new", "influencers.create", "/influencers/new"),
    ("influencer-edit", "influencers.edit", "/influencers/{person}/edit"),
    ("account-new", "influencers.add_account", "/influencers/{person}/accounts"),
    ("account-edit", "influencers.edit_account", "/influencers/{person}/accounts/{account}/edit"),
    ("snapshot-new", "influencers.add_snapshot",
     "/influencers/{person}/accounts/{account}/snapshots/new"),
    ("influencers-trash", "influencers.trash", "/influencers/trash"),
    ("brands", "brands.index", "/brands/"),
    ("brand", "brands.show", "/brands/{brand}"),
    ("brand-new", "brands.create", "/brands/new"),
    ("brand-edit", "brands.edit", "/brands/{brand}/edit"),
    ("brands-trash", "brands.trash", "/brands/trash"),
    ("campaigns", "campaigns.index", "/campaigns/"),
    ("campaign-new", "campaigns.new", "/campaigns/new"),
    ("campaigns-trash", "campaigns.trash", "/campaigns/trash"),
    ("campaign", "campaigns.show", C),
    ("campaign-edit", "campaigns.edit", C + "/edit"),
    ("participants-board", "campaigns.participants", C + "/participants"),
    ("participants-table", "campaigns.participants", C + "/participants?view=table"),
    ("operations", "campaigns.operations", C + "/operations"),
    ("operation-submitted", "campaigns.operation", C + "/operations/{submitted}"),
    ("operation-published", "campaigns.operation", C + "/operations/{published}"),
    ("operation-new", "campaigns.plan_operation", C + "/operations/new"),
    ("operation-edit", "campaigns.edit_operation", C + "/operations/{planned}/edit"),
    ("metrics-import", "campaigns.import_metrics", C + "/metrics/import"),
    ("report", "campaigns.report", C + "/report"),
    ("report-operations", "campaigns.report_operations", C + "/report/operations"),
    ("add-to-campaign", "campaigns.add_to_campaign",
     "/campaigns/add-influencers?ids={person}&ids={other_person}"),
    ("candidates", "campaigns.candidates", C + "/candidates"),
    ("ambassadors", "campaigns.ambassadors", C + "/ambassadors?budget=10000&max_count=3"),
    ("contract-batch", "campaigns.contract_batch", C + "/contract-batches/{batch}"),
    ("calendar-month", "campaigns.calendar", "/campaigns/calendar"),
    ("calendar-week", "campaigns.calendar", "/campaigns/calendar?view=week"),
    ("calendar-agenda", "campaigns.calendar", "/campaigns/calendar?view=agenda"),
    ("approvals-approve", "campaigns.approvals", "/campaigns/approvals?list=approve"),
    ("approvals-changes", "campaigns.approvals", "/campaigns/approvals?list=changes"),
    ("contracts", "contracts.index", "/contracts/"),
    ("contract", "contracts.show", "/contracts/{contract}"),
    ("contract-draft", "contracts.show", "/contracts/{draft_contract}"),
    ("contract-new", "contracts.new", "/contracts/new"),
    ("contract-edit", "contracts.edit", "/contracts/{draft_contract}/edit"),
    ("network", "network.index", "/network/?influencer={person}"),
    ("imports", "import_wizard.index", "/imports/"),
    ("import-upload", "import_wizard.upload", "/imports/new"),
    ("import-preview", "import_wizard.preview", "/imports/{import_uploaded}/preview"),
    ("import-check", "import_wizard.check", "/imports/{import_checked}/check"),
    ("import-done", "import_wizard.show", "/imports/{import_done}"),
    ("relationship-import", "import_wizard.relationships", "/imports/relationships"),
    ("users", "admin.users", "/admin/users"),
    ("audit", "admin.audit", "/admin/audit"),
    ("rates", "admin.rates", "/admin/rates"),
    ("scoring", "admin.scoring_settings", "/admin/scoring"),
    ("retention", "admin.retention_settings", "/admin/retention"),
    ("profile", "admin.profile", "/admin/profile"),
)
# The network page draws its graph after fetching it: measured once drawn.
READY = {"network": "#network-graph[data-ready='1']"}


def signed_in_pages(ids: dict[str, int]) -> list[WalkedPage]:
    """Every page a signed-in person may open, for the admin (the others walk those their
    role allows), and a page that does not exist."""
    return [*(WalkedPage(name, endpoint, path.format(**ids), ready=READY.get(name, ""))
              for name, endpoint, path in SIGNED_IN),
            WalkedPage("not-found", "", "/campaigns/999999", status=404)]


def anonymous_pages(seeded: Seeded) -> list[WalkedPage]:
    return [WalkedPage("login", "auth.login", "/login"),
            WalkedPage("forgot-password", "auth.forgot", "/forgot"),
            WalkedPage("reset-password", "auth.reset", seeded.reset_path),
            WalkedPage("signing", "signing.page", seeded.sign_path, lang="fr")]


def opens(app, role: str, page: WalkedPage) -> bool:
    """Whether `role` may open the page (the role its view requires)."""
    from app.models.user import ROLES as ORDER

    if not page.endpoint:
        return True
    required = getattr(app.view_functions[page.endpoint], "required_role", "viewer")
    return ORDER.index(role) >= ORDER.index(required)
