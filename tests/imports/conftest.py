"""The imports' tests: a generated French Excel file of people, the import of a file as the
wizard runs it, and what an import wrote (to compare two ways of importing the same file)."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import delete, select

from app.imports import service as imports
from app.models import (
    AudienceShare,
    AudienceSnapshot,
    Influencer,
    SocialAccount,
    Tag,
    influencer_tag,
)

HEADERS = ("Prénom;Nom;Réseau;Compte;Abonnés;Taux d'engagement;E-mail;Pays;Catégorie;"
           "% Femmes;18-24;Date des statistiques\r\n")


@pytest.fixture()
def people_csv():
    """`people_csv(300, seed=7)`: French Excel rows; a third repeat an earlier person (new
    figures, another tag), some carry a bad value, most have an audience."""

    def rows(people: int, seed: int = 7) -> str:
        rng = random.Random(seed)
        lines = [HEADERS]
        for n in range(people):
            person = rng.randrange(n) if n and rng.random() < 0.33 else n
            followers = ("beaucoup" if rng.random() < 0.05
                         else f"{rng.randint(1, 900)} {rng.randint(100, 999)}")
            lines.append(
                f"Léa{person};Dupont;{rng.choice(['Instagram', 'TikTok'])};@lea_{person};"
                f"{followers};{rng.randint(1, 9)},{rng.randint(0, 9)} %;"
                f"{f'lea{person}@exemple.fr' if person % 3 else ''};France;"
                f"{rng.choice(['beauté', 'mode', 'Mode', 'voyage'])};{rng.randint(20, 80)} %;"
                f"{rng.randint(5, 40)} %;{rng.randint(1, 28):02d}/0{rng.randint(1, 9)}/2025\r\n")
        return "".join(lines)

    return rows


@pytest.fixture()
def import_csv(db, tmp_path):
    """Imports `text` (written in cp1252) for `user`: `imp, report = import_csv(text, user)`."""

    def run(text: str, user, name: str = "liste.csv"):
        path = tmp_path / name
        path.write_bytes(text.encode("cp1252"))
        imp = imports.create_import(path, name, user)
        return imp, imports.run(imp, dry_run=False)

    return run


@pytest.fixture()
def imported_people(db):
    """The imported people by their first handle, with what an import writes; no ids, no
    timestamps (two runs number rows differently on SQLite)."""
    skip = {"id", "created_at", "updated_at", "import_id", "data_source_detail",
            "created_by_id", "owner_id", "version", "influencer_id", "account_id",
            "snapshot_id", "source"}

    def plain(row) -> tuple:
        return tuple((k, v) for k, v in row._mapping.items() if k not in skip)

    def read() -> dict:
        session = db.session
        people = {}
        accounts = {}
        for row in session.execute(select(SocialAccount.__table__).order_by(SocialAccount.id)):
            accounts.setdefault(row.influencer_id, []).append(row)
        tags = {}
        for influencer_id, name in session.execute(
                select(influencer_tag.c.influencer_id, Tag.name).join(Tag)):
            tags.setdefault(influencer_id, set()).add(name.casefold())
        snapshots = {}
        for row in session.execute(select(AudienceSnapshot.__table__)):
            shares = sorted(plain(s) for s in session.execute(
                select(AudienceShare.__table__).where(AudienceShare.snapshot_id == row.id)))
            snapshots.setdefault(row.account_id, []).append((plain(row), tuple(shares)))
        for row in session.execute(select(Influencer.__table__)):
            mine = accounts.get(row.id, [])
            key = tuple((a.platform, a.handle) for a in mine) or row.display_name
            assert key not in people
            people[key] = (plain(row),
                           [(plain(a), sorted(snapshots.get(a.id, []))) for a in mine],
                           sorted(tags.get(row.id, ())))
        return people

    return read


@pytest.fixture()
def wipe_people(db):
    """Empties the tables an import of people writes."""

    def wipe() -> None:
        session = db.session
        for table in (influencer_tag, AudienceShare.__table__, AudienceSnapshot.__table__,
                      SocialAccount.__table__, Influencer.__table__):
            session.execute(delete(table))
        session.commit()

    return wipe
