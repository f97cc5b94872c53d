"""Erasure everywhere else: the person's name, email and phone taken out of the free texts
and stored files that may still carry them once their own rows are anonymised.

Free texts (participant notes, operation briefs, captions and review comments, other
people's notes and interactions, import problems, the signed scan's evidence text, the
audit log's old and new values) get every identifier replaced by the tombstone label. In
the instance folder, an import's text files (its CSV, its sheets list) are rewritten the
same way and its original spreadsheet is deleted; contract batch ZIPs of the person's
campaigns (copies that can be built again) are deleted.

Kept on purpose: a contract the person is party to, its stored documents and its signers'
names and addresses are a legal record the brand must keep (legal obligation, art. 17(3)(b)
GDPR); the erasure summary says so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, String, cast, or_, select

from app.extensions import db
from app.models import (
    AuditEvent,
    ContractBatch,
    ContractSigner,
    Import,
    ImportProblem,
    Influencer,
    Interaction,
    Operation,
    Participant,
)

SHORTEST = 3  # shorter identifiers would match inside unrelated words
TEXT_SUFFIXES = (".csv", ".json", ".txt")
SPREADSHEETS = (".xlsx", ".xls", ".ods")


def identifiers(influencer: Influencer) -> list[str]:
    """The strings that name the person, longest first (an email before the name in it)."""
    values = {influencer.display_name, influencer.legal_name, influencer.email,
              influencer.phone, influencer.agent_name, influencer.agent_email}
    values |= {account.handle for account in influencer.accounts}
    values |= phone_forms(influencer.phone)
    found = {value.strip() for value in values if value and len(value.strip()) >= SHORTEST}
    return sorted(found, key=len, reverse=True)


def phone_forms(phone: str | None) -> set[str]:
    """The ways a phone number is commonly written: as stored, digits only, and the French
    forms of its last nine digits (06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78…)."""
    digits = "".join(char for char in phone or "" if char.isdigit())
    if len(digits) < 9:
        return set()
    last = digits[-9:]
    pairs = [last[1:3], last[3:5], last[5:7], last[7:9]]
    forms = {digits, "0" + last, "+33" + last, "0033" + last, "+33 " + last,
             "+33 " + " ".join([last[0], *pairs])}
    for separator in (" ", ".", "-"):
        forms.add(separator.join(["0" + last[0], *pairs]))
    return forms


def _pattern(idents: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(value) for value in idents), re.IGNORECASE)


def scrub(value: Any, idents: list[str], label: str) -> Any:
    """`value` (text, or JSON made of dicts and lists) with every identifier replaced."""
    if not idents:
        return value
    pattern = _pattern(idents)
    return _scrub(value, pattern, label)


def _scrub(value: Any, pattern: re.Pattern[str], label: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(label, value)
    if isinstance(value, list):
        return [_scrub(item, pattern, label) for item in value]
    if isinstance(value, dict):
        return {_scrub(key, pattern, label): _scrub(item, pattern, label)
                for key, item in value.items()}
    return value


def _like(column: Any, idents: list[str]) -> ColumnElement[bool]:
    """Rows whose text may hold an identifier, as typed or as JSON escapes it (a superset:
    the replacement itself is done in Python)."""
    text = cast(column, String)
    tests = []
    for value in idents:
        for form in {value, json.dumps(value)[1:-1]}:
            escaped = form.replace("!", "!!").replace("%", "!%").replace("_", "!_")
            tests.append(text.ilike(f"%{escaped}%", escape="!"))
    return or_(*tests)


# (model, text columns) whose free text may name anyone.
FREE_TEXTS = (
    (Participant, ("notes",)),
    (Operation, ("brief", "caption", "review_comment")),
    (Interaction, ("summary",)),
    (Influencer, ("notes",)),
    (ImportProblem, ("column", "value", "reason")),
    (Import, ("filename", "error")),
    (ContractSigner, ("consent_text",)),
    (AuditEvent, ("changes",)),
)


def scrub_database(idents: list[str], label: str) -> None:
    """Replace the identifiers in every free text of FREE_TEXTS (flushed, not committed)."""
    if not idents:
        return
    for model, names in FREE_TEXTS:
        columns = [getattr(model, name) for name in names]
        rows = db.session.scalars(select(model).where(or_(*(_like(c, idents) for c in columns))))
        for row in rows:
            for name in names:
                current = getattr(row, name)
                cleaned = scrub(current, idents, label)
                if cleaned != current:
                    setattr(row, name, cleaned)
    db.session.flush()


def scrub_files(idents: list[str], label: str, campaign_ids: list[int]) -> None:
    """Rewrite the import files that name the person; delete the copies that cannot be."""
    if not idents:
        return
    instance = Path(current_app.config.get("INSTANCE_PATH") or current_app.instance_path)
    folder = instance / "imports"
    if folder.is_dir():
        pattern = _pattern(idents)
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in TEXT_SUFFIXES and _rewrite(path, pattern, label):
                for original in folder.glob(f"{path.name.split('.')[0]}.*"):
                    if original.suffix.lower() in SPREADSHEETS:
                        original.unlink(missing_ok=True)
    if campaign_ids:
        for batch in db.session.scalars(select(ContractBatch).where(
                ContractBatch.campaign_id.in_(campaign_ids), ContractBatch.path.is_not(None))):
            Path(batch.path).unlink(missing_ok=True)
            batch.path = None  # the page then offers to build the ZIP again


def _rewrite(path: Path, pattern: re.Pattern[str], label: str) -> bool:
    """Rewrite one text file without the identifiers; True if it held any."""
    raw = path.read_bytes()
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        cleaned = pattern.sub(label, text)
        if cleaned == text:
            return False
        path.write_bytes(cleaned.encode(encoding, errors="replace"))
        return True
    return False
