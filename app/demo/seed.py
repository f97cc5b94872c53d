"""Demo data: a realistic French agency context, fast enough for 100 000 influencers.

Rows are generated with one seeded `random.Random` (the same seed gives the same data) from
name pools that Faker fills once, and written in bulk: psycopg COPY on PostgreSQL, the
driver's executemany on SQLite. Ids are chosen here, so children reference their parents
without round-trips. Bulk writes bypass the audit listener on purpose: demo rows are not
anyone's change.
"""

from __future__ import annotations

import random
import re
import secrets
import time
import unicodedata

from sqlalchemy import func, insert, select, text

from app.core.bulk import vacuum
from app.core.errors import ServiceError
from app.demo.campaigns import seed_campaigns
from app.demo.contracts import seed_contracts
from app.demo.rows import TOPICS, Rows
from app.extensions import db
from app.models import Brand, Influencer, Tag, User
from app.scoring import rescoring
from app.security import hash_password

ADMIN_EMAIL = "admin@agence-relais.fr"
TEAM = (
    ("manager", "Camille Rousseau", "camille.rousseau@agence-relais.fr"),
    ("member", "Léa Bernard", "lea.bernard@agence-relais.fr"),
    ("viewer", "Hugo Petit", "hugo.petit@agence-relais.fr"),
)

BRANDS = (
    dict(name="Musée des Arts Lumière", legal_name="Établissement public du Musée des Arts "
         "Lumière", legal_form="Établissement public", sector="culture",
         address="12 quai Rambaud, 69002 Lyon", email="partenariats@arts-lumiere.example.fr",
         signatory_name="Hélène Garnier", signatory_title="Directrice de la communication",
         website="https://arts-lumiere.example.fr"),
    dict(name="Maison Bellefleur Cosmétiques", legal_name="Bellefleur Cosmétiques SAS",
         legal_form="SAS", sector="cosmetics", address="4 avenue des Roses, 06130 Grasse",
         email="influence@bellefleur.example.fr", signatory_name="Sophie Lambert",
         signatory_title="Présidente", website="https://bellefleur.example.fr"),
    dict(name="Élan Sport", legal_name="Élan Sport SA", legal_form="SA", sector="sports",
         address="1 rue du Stade, 59650 Villeneuve-d'Ascq", email="marque@elan-sport.example.fr",
         signatory_name="Julien Moreau", signatory_title="Directeur marketing",
         website="https://elan-sport.example.fr"),
    dict(name="Les Vergers de Sologne", legal_name="Vergers de Sologne SAS", legal_form="SAS",
         sector="food", address="8 route de Salbris, 41600 Lamotte-Beuvron",
         email="contact@vergers-sologne.example.fr", signatory_name="Marc Dubois",
         signatory_title="Gérant", website="https://vergers-sologne.example.fr"),
    dict(name="Horizon Bleu Voyages", legal_name="Horizon Bleu SAS", legal_form="SAS",
         sector="travel", address="27 La Canebière, 13001 Marseille",
         email="presse@horizon-bleu.example.fr", signatory_name="Nadia Benali",
         signatory_title="Directrice générale", website="https://horizon-bleu.example.fr"),
    dict(name="Studio Pixel Lune", legal_name="Pixel Lune SASU", legal_form="SASU",
         sector="gaming", address="3 rue de l'Aiguillerie, 34000 Montpellier",
         email="community@pixel-lune.example.fr", signatory_name="Thomas Lefèvre",
         signatory_title="Président", website="https://pixel-lune.example.fr"),
)


def is_empty() -> bool:
    no_users = db.session.scalar(select(func.count()).select_from(User)) == 0
    no_influencers = db.session.scalar(select(func.count()).select_from(Influencer)) == 0
    return bool(no_users and no_influencers)


def seed(count: int, seed: int = 2026, *, score: bool = False) -> dict:
    """Add `count` influencers with accounts, audiences, tags, interactions and relationships,
    the demo brands and team (if missing); with `score`, a first scoring run (what `flask
    demo seed` does: the candidates and ambassadors pages are not empty on first launch;
    the benchmarks time their own run). Returns counts, timings and the admin login."""
    started = time.perf_counter()
    rng = random.Random(seed)
    admin_email, admin_password = _ensure_admin()
    owners = _ensure_team()
    brands = _ensure_brands(rng)
    tag_ids = _ensure_tags()
    db.session.commit()
    timings = {"setup": time.perf_counter() - started}

    rows = Rows(db.session, rng, _name_pools(seed), owners, tag_ids)
    result = rows.write_all(count, timings)
    db.session.commit()
    mark = time.perf_counter()
    result["campaigns"] = seed_campaigns(rng, owners)
    timings["campaigns"] = time.perf_counter() - mark
    mark = time.perf_counter()
    result["contracts"] = seed_contracts(rng)
    timings["contracts"] = time.perf_counter() - mark
    mark = time.perf_counter()
    after_bulk_load()
    timings["analyze"] = time.perf_counter() - mark
    if score:
        mark = time.perf_counter()
        result["scoring_run"] = first_scoring()
        timings["scoring"] = time.perf_counter() - mark
    return {
        **result,
        "brands": brands,
        "seconds": time.perf_counter() - started,
        "timings": timings,
        "admin_email": admin_email,
        "admin_password": admin_password,
    }


def first_scoring() -> int | None:
    """A scoring run over the demo, run here and now (no worker needed on first launch);
    → its id, or None when another run is under way (that one will score the demo)."""
    try:
        return rescoring.rescore().id
    except ServiceError:
        return None


def _ensure_admin() -> tuple[str | None, str | None]:
    if db.session.scalar(select(User.id).where(User.role == "admin").limit(1)):
        return None, None
    if db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)):
        return None, None  # the address exists with another role: leave that person alone
    password = secrets.token_urlsafe(12)
    db.session.add(User(email=ADMIN_EMAIL, name="Administratrice Relais", role="admin",
                        locale="fr", password_hash=hash_password(password)))
    return ADMIN_EMAIL, password


def _ensure_team() -> list[int]:
    """The demo colleagues who own influencers. Their passwords are random and never shown:
    an admin sets one from the admin screens when someone wants to try a role."""
    for role, name, email in TEAM:
        if not db.session.scalar(select(User.id).where(User.email == email)):
            db.session.add(User(email=email, name=name, role=role, locale="fr",
                                password_hash=hash_password(secrets.token_urlsafe(16))))
    db.session.flush()
    return list(db.session.scalars(
        select(User.id).where(User.role != "viewer", User.active.is_(True)).order_by(User.id)
    ))


def _siren(rng: random.Random) -> str:
    """Nine digits passing the Luhn check, like a real SIREN."""
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
    for last in range(10):
        total = 0
        for i, d in enumerate(reversed([*digits, last])):
            d = d * 2 if i % 2 else d
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return "".join(map(str, [*digits, last]))  # stored bare, as the brand form does
    raise AssertionError("unreachable: one check digit always fits")


def _ensure_brands(rng: random.Random) -> int:
    existing = set(db.session.scalars(select(Brand.name)))
    added = 0
    for spec in BRANDS:
        if spec["name"] in existing:
            continue
        db.session.add(Brand(**spec, tax_country="FR", registration_number=_siren(rng)))
        added += 1
    return added


def _ensure_tags() -> dict[str, int]:
    existing = {t.name: t.id for t in db.session.scalars(select(Tag))}
    missing = [{"name": name} for name in TOPICS if name not in existing]
    if missing:
        db.session.execute(insert(Tag), missing)
        existing = {t.name: t.id for t in db.session.scalars(select(Tag))}
    return {name: existing[name] for name in TOPICS}


def _slug(value: str) -> str:
    ascii_only = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_only.lower())


def _name_pools(seed: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """~500 first and last names with their handle-friendly slugs, built once: Faker per
    row would cost more than the whole insert."""
    from faker import Faker

    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    firsts = sorted({fake.first_name() for _ in range(1500)})[:500]
    lasts = sorted({fake.last_name() for _ in range(1500)})[:500]
    pool = [(n, _slug(n)) for n in firsts if _slug(n)], [(n, _slug(n)) for n in lasts if _slug(n)]
    return pool


def after_bulk_load() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; fresh statistics let both planners
    pick the list page's indexes straight away."""
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        for table in ("influencer", "social_account", "audience_snapshot", "audience_share",
                      "relationship", "interaction"):
            conn.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            ))
        db.session.commit()
        vacuum(("influencer", "social_account", "audience_share", "influencer_tag"),
               analyze=True)
    elif conn.dialect.name == "sqlite":
        conn.execute(text("ANALYZE"))
        db.session.commit()
