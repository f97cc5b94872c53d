"""GDPR erasure leaves the person nowhere: every table's columns and every file under the
instance folder are searched for their name, email and phone afterwards.

The one exception, on purpose: a contract the person is party to (its row, its signers,
its stored documents) is a legal record the brand must keep (art. 17(3)(b) GDPR)."""

import json
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.extensions import db as _db
from app.imports import service as imports
from app.models import (
    AuditEvent,
    ContractBatch,
    ContractSigner,
    ImportChange,
    ImportProblem,
    Influencer,
    Participant,
)
from tests import factories

NAME = "Zéphyrine Quoniam-Vasseur"
EMAIL = "zephyrine.qv@exemple.test"
PHONE = "+33 6 98 76 54 31"
# A signed contract is kept whole: the brand must keep it (legal obligation).
LEGAL_RECORD = {"contract", "contract_signer", "contract_document"}


def _needles() -> list[str]:
    return [NAME.casefold(), EMAIL.casefold(), PHONE.casefold()]


def _as_text(value) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("latin-1")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _database_hits() -> set[str]:
    hits = set()
    for table in _db.metadata.sorted_tables:
        for row in _db.session.execute(select(table)).mappings():
            for column, value in row.items():
                found = value is not None and any(
                    needle in _as_text(value).casefold() for needle in _needles())
                if found:
                    hits.add(f"{table.name}.{column}")
    return hits


def _file_hits(instance: Path) -> set[str]:
    hits = set()
    for path in instance.rglob("*"):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        texts = (raw.decode("utf-8", "ignore").casefold(), raw.decode("cp1252", "ignore")
                 .casefold())
        if any(needle in text for needle in _needles() for text in texts):
            hits.add(str(path.relative_to(instance)))
    return hits


def _import_file(tmp_path: Path, user) -> None:
    source = tmp_path / "people.csv"
    source.write_text(f"name;email;phone\n{NAME};{EMAIL};{PHONE}\nAutre;a@b.test;\n",
                      encoding="utf-8")
    imp = imports.create_import(str(source), f"{NAME}.csv", user)
    _db.session.add(ImportProblem(import_id=imp.id, line=2, column="email", value=EMAIL,
                                  reason="Duplicate email"))
    return imp


def _put_everywhere(person: Influencer, manager, tmp_path: Path) -> None:
    other = factories.make_influencer(display_name="Autre", notes=f"Sœur de {NAME}")
    campaign = factories.make_campaign()
    place = factories.make_participant(campaign, person, notes=f"Call {PHONE} after 6pm")
    factories.make_participant(campaign, other,
                               notes=f"Friend of {NAME}, 06.98.76.54.31 or 0698765431")
    factories.make_operation(place, brief=f"{NAME} shows the product",
                             caption=f"With {NAME}", review_comment=f"Ask {EMAIL}")
    contract = factories.make_approved_contract(influencer=person)
    _db.session.add(ContractSigner(contract=contract, document=contract.documents[0],
                                   role="influencer", name=NAME,
                                   email=EMAIL, consent_text=f"Scan sent by {EMAIL}"))
    imp = _import_file(tmp_path, manager)
    _db.session.add(ImportChange(import_id=imp.id, influencer_id=person.id,
                                 action="updated", before={"email": EMAIL, "phone": PHONE}))
    folder = Path(current_app.config["INSTANCE_PATH"]) / "contract_batches"
    folder.mkdir(parents=True, exist_ok=True)
    zip_path = folder / f"campaign-{campaign.id}-batch-1.zip"
    zip_path.write_text(f"contract of {NAME}", encoding="utf-8")
    _db.session.add(ContractBatch(campaign_id=campaign.id, status="done", path=str(zip_path)))
    _db.session.commit()
    return other


def test_erasure_leaves_only_the_tombstone(manager_client, tmp_path):
    manager = factories.make_user("manager")
    person = factories.make_influencer(
        display_name=NAME, legal_name=NAME, email=EMAIL, phone=PHONE,
        accounts=[{"platform": "instagram", "handle": "zephyrine.qv", "followers": 9000}])
    other = _put_everywhere(person, manager, tmp_path)
    manager_client.post(f"/influencers/{other.id}/interactions", data={
        "kind": "email", "occurred_on": date.today().isoformat(),
        "summary": f"Introduced us to {NAME} ({EMAIL}, {PHONE})"})
    manager_client.post(f"/influencers/{person.id}/interactions", data={
        "kind": "call", "occurred_on": date.today().isoformat(), "summary": f"Called {PHONE}"})
    instance = Path(current_app.config["INSTANCE_PATH"])
    assert {hit.split(".")[0] for hit in _database_hits()} >= {
        "influencer", "participant", "operation", "interaction", "audit_event", "import",
        "import_problem", "import_change", "contract_signer"}
    assert _file_hits(instance)

    response = manager_client.post(f"/influencers/{person.id}/erase",
                                   data={"reason": "request"}, follow_redirects=True)
    assert response.status_code == 200
    assert "legal record" in response.get_data(as_text=True)

    _db.session.expire_all()
    assert {hit.split(".")[0] for hit in _database_hits()} <= LEGAL_RECORD
    assert _file_hits(instance) == set()
    notes = str(_db.session.scalars(select(Participant.notes)).all())
    assert "98.76" not in notes and "0698765431" not in notes, notes
    tombstone = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "erase"))
    assert tombstone.changes == {"reason": "request", "contracts_kept": 1}
    assert _db.session.get(Influencer, person.id).display_name == f"Erased person #{person.id}"
    assert _db.session.scalar(select(ImportChange).where(
        ImportChange.influencer_id == person.id)) is None
    assert _db.session.scalar(select(ContractBatch)).path is None


def test_an_import_file_stays_readable_once_cleaned(manager_client, tmp_path):
    manager = factories.make_user("manager")
    person = factories.make_influencer(display_name=NAME, email=EMAIL, phone=PHONE)
    imp = _import_file(tmp_path, manager)
    _db.session.commit()
    manager_client.post(f"/influencers/{person.id}/erase", data={"reason": "objection"})
    text = Path(imp.stored_path).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "name;email;phone"
    assert f"Erased person #{person.id}" in text and "Autre;a@b.test;" in text
