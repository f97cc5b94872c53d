"""Relationships (the network's edges) from a CSV: source, target, kind, weight.

People are found by profile URL, by email, or by handle: with the platform column when the
file has one, otherwise on every platform — a bare `@name` that is one person's resolves to
them, one that several people use is rejected with the candidates named. Anyone not already
in Relais is reported, never invented. An edge
already present (same source, target and kind), in the database or earlier in the file,
counts as unchanged. The report has the same shape as the influencer import's.

The whole file is one transaction: a real import commits once at the end (with its audit
event), a dry run or any failure rolls back, so a file is never half written.
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, insert, select, tuple_

from app.core.audit import acting_user_id
from app.core.errors import ServiceError
from app.core.text import N_
from app.extensions import db
from app.i18n.labels import label
from app.imports.one_file import Describe, all_or_nothing, as_english
from app.imports.parsing.handles import (
    HandleError,
    bare_handle,
    normalise_handle,
    platform_from_name,
)
from app.imports.parsing.mapping import fold
from app.imports.parsing.reading import open_rows, read_header, sniff
from app.models import AuditEvent, Influencer, Relationship, SocialAccount
from app.models.network import RELATIONSHIP_KINDS

BATCH = 1_000
WEIGHT_MAX = 1_000.0
MAX_REPORTED = 10_000  # rejected rows kept in the report; the count stays exact
NAMED_CANDIDATES = 5  # accounts an ambiguous handle's rejection names

COLUMNS = {
    "source": {"source", "from", "de", "source handle", "source account", "relais", "qui",
               "influenceur source", "emetteur"},
    "target": {"target", "to", "vers", "cible", "target handle", "target account",
               "influenceur cible", "destinataire", "relaye"},
    "kind": {"kind", "type", "relation", "relationship", "nature", "lien"},
    "weight": {"weight", "poids", "force", "strength"},
    "platform": {"platform", "network", "reseau", "plateforme"},
    "source_platform": {"source platform", "reseau source", "plateforme source"},
    "target_platform": {"target platform", "reseau cible", "plateforme cible"},
}
KIND_WORDS = {
    "follows": {"follows", "follow", "following", "suit", "abonne", "abonnement"},
    "mentions": {"mentions", "mention", "cite", "citation", "tag", "tague"},
    "reposts": {"reposts", "repost", "retweet", "rt", "partage", "partages", "relaie",
                "relais", "share", "shares", "reshare"},
    "collaborated": {"collaborated", "collaboration", "collab", "collabore", "featuring",
                     "feat"},
    "same_agency": {"same agency", "same_agency", "meme agence", "agence", "agency"},
    "audience_overlap": {"audience overlap", "audience_overlap", "audience commune",
                         "chevauchement", "overlap"},
}
_KINDS = {fold(word): kind for kind, words in KIND_WORDS.items() for word in words}

def _columns(headers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        folded = fold(header)
        for name, synonyms in COLUMNS.items():
            if folded in synonyms and name not in found:
                found[name] = index
    if "source" not in found or "target" not in found:
        raise ServiceError(N_("The file needs a source column and a target column "
                              "(handles, profile addresses or emails)."))
    return found


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _reference(text: str, platform: str | None) -> tuple[str, Any]:
    """("email", address), ("account", (platform, handle)), or ("handle", handle) for a
    bare handle without a platform; HandleError otherwise."""
    if "@" in text[1:] and "/" not in text and "." in text.rsplit("@", 1)[-1]:
        return "email", text.lower()
    if platform is None:
        handle = bare_handle(text)
        if handle is not None:
            return "handle", handle
    found_platform, handle, _url = normalise_handle(text, platform)
    return "account", (found_platform, handle)


class Batch:
    """Rows of one batch, resolved against the database with one query per key kind."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        # bare handle → its accounts (platform, person's name) when several people use it
        self.ambiguous: dict[str, list[tuple[str, str]]] = {}

    def _keys(self, kind: str) -> set:
        return {r[k][1] for r in self.rows for k in ("source", "target") if r[k][0] == kind}

    def resolve_handles(self, found: dict[tuple[str, Any], int]) -> None:
        """Bare handles on every platform: one person's accounts resolve to them; several
        people's go to `ambiguous`."""
        handles = self._keys("handle")
        if not handles:
            return
        matches: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
        for handle, platform, influencer_id, name in db.session.execute(
                select(SocialAccount.handle, SocialAccount.platform, SocialAccount.influencer_id,
                       Influencer.display_name)
                .join(Influencer, Influencer.id == SocialAccount.influencer_id)
                .where(Influencer.deleted_at.is_(None), SocialAccount.handle.in_(sorted(handles)))
                .order_by(SocialAccount.handle, SocialAccount.platform)):
            matches[handle].append((platform, influencer_id, name))
        for handle, accounts in matches.items():
            if len({influencer_id for _p, influencer_id, _n in accounts}) == 1:
                found[("handle", handle)] = accounts[0][1]
            else:
                self.ambiguous[handle] = [(platform, name) for platform, _i, name in accounts]

    def resolve(self) -> dict[tuple[str, Any], int]:
        accounts, emails = self._keys("account"), self._keys("email")
        found: dict[tuple[str, Any], int] = {}
        live = Influencer.deleted_at.is_(None)
        if accounts:
            query = (select(SocialAccount.platform, SocialAccount.handle,
                            SocialAccount.influencer_id)
                     .join(Influencer, Influencer.id == SocialAccount.influencer_id)
                     .where(live, tuple_(SocialAccount.platform, SocialAccount.handle)
                            .in_(sorted(accounts))))
            for platform, handle, influencer_id in db.session.execute(query):
                found[("account", (platform, handle))] = influencer_id
        if emails:
            query = select(func.lower(Influencer.email), Influencer.id).where(
                live, func.lower(Influencer.email).in_(sorted(emails)))
            for email, influencer_id in db.session.execute(query):
                found.setdefault(("email", email), influencer_id)
        self.resolve_handles(found)
        return found


def _parse_kind(text: str) -> str | None:
    return _KINDS.get(fold(text)) if text else "follows"


def _parse_weight(text: str) -> float | None:
    if not text:
        return 1.0
    try:
        weight = float(text.replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except ValueError:
        return None
    return weight if math.isfinite(weight) and 0 < weight <= WEIGHT_MAX else None


class _Run:
    """One pass over a file: the report being filled, and the edges already seen in it."""

    def __init__(self, dry_run: bool, describe: Describe) -> None:
        self.dry_run = dry_run
        self.describe = describe
        self.seen: set[tuple[int, int, str]] = set()
        self.report: dict[str, Any] = {"created": 0, "updated": 0, "unchanged": 0,
                                       "rejected": 0, "rejected_rows": []}

    def reject(self, line: int, column: str, value: str, template: str, **params: Any) -> None:
        self.report["rejected"] += 1
        if len(self.report["rejected_rows"]) < MAX_REPORTED:
            self.report["rejected_rows"].append({
                "line": line, "column": column, "value": value[:500],
                "reason": self.describe(template, params)})


def import_relationships(path: str, encoding: str | None = None, delimiter: str | None = None,
                         dry_run: bool = False, *, filename: str | None = None,
                         describe: Describe = as_english) -> dict[str, Any]:
    """Read the file, add the edges not known yet; → the report (the CLI's JSON shape).

    `filename` is the name the audit log shows (the upload's, when `path` is a temporary
    copy); `describe` turns a rejection's reason template into text.
    """
    run = _Run(dry_run, describe)
    with all_or_nothing():
        sniffed = sniff(path, encoding=encoding, delimiter=delimiter)
        rows = open_rows(path, encoding=sniffed.encoding, delimiter=sniffed.delimiter)
        _line, headers = read_header(rows)
        columns = _columns(headers)
        for batch in _batches(rows, columns, headers, run):
            _write(batch, run)
    if dry_run or not run.report["created"]:
        db.session.rollback()
    else:
        _audit(run.report, filename or os.path.basename(path))
        db.session.commit()
    return run.report


def _audit(report: dict[str, Any], filename: str) -> None:
    # The network as a whole is the record (no id of its own: 0); the counts say what changed.
    changes: dict[str, list[Any]] = {
        key: [None, report[key]] for key in ("created", "unchanged", "rejected")}
    changes["file"] = [None, filename[:255]]
    db.session.add(AuditEvent(user_id=acting_user_id(), entity_type="relationships",
                              entity_id=0, action="create", changes=changes))


def _batches(rows: Iterator, columns: dict[str, int], headers: list[str],
             run: _Run) -> Iterator[Batch]:
    batch = Batch()
    for line, cells in rows:
        parsed = _parse_row(line, cells, columns, headers, run)
        if parsed is not None:
            batch.rows.append(parsed)
        if len(batch.rows) >= BATCH:
            yield batch
            batch = Batch()
    if batch.rows:
        yield batch


def _parse_end(row: dict[str, Any], end: str, cells: list[str], columns: dict[str, int],
               headers: list[str], run: _Run) -> bool:
    """Reads the source or the target of a row into `row`; False when it is rejected."""
    line = row["line"]
    text = _cell(cells, columns, end)
    header = headers[columns[end]]
    platform_text = _cell(cells, columns, f"{end}_platform") or _cell(cells, columns, "platform")
    if not text:
        run.reject(line, header, "", N_("missing"))
        return False
    try:
        platform = platform_from_name(platform_text) if platform_text else None
        row[end] = _reference(text, platform)
    except HandleError as error:
        about_platform = "platform" in str(error).lower() and platform_text
        run.reject(line, header, platform_text if about_platform else text,
                   error.template, **error.params)
        return False
    row[f"{end}_text"], row[f"{end}_column"] = text, header
    return True


def _parse_row(line: int, cells: list[str], columns: dict[str, int], headers: list[str],
               run: _Run) -> dict[str, Any] | None:
    row: dict[str, Any] = {"line": line}
    for end in ("source", "target"):
        if not _parse_end(row, end, cells, columns, headers, run):
            return None
    kind_text = _cell(cells, columns, "kind")
    row["kind"] = _parse_kind(kind_text)
    if row["kind"] is None:
        run.reject(line, headers[columns["kind"]], kind_text,
                   N_("unknown kind (one of: %(kinds)s)"), kinds=", ".join(RELATIONSHIP_KINDS))
        return None
    weight_text = _cell(cells, columns, "weight")
    row["weight"] = _parse_weight(weight_text)
    if row["weight"] is None:
        run.reject(line, headers[columns["weight"]], weight_text,
                   N_("not a weight (a number above 0, at most %(max)s)"), max=f"{WEIGHT_MAX:g}")
        return None
    return row


def _reject_unfound(batch: Batch, run: _Run, row: dict[str, Any], end: str) -> None:
    kind, key = row[end]
    text = row[f"{end}_text"]
    accounts = batch.ambiguous.get(key) if kind == "handle" else None
    if not accounts:
        run.reject(row["line"], row[f"{end}_column"], text, N_("unknown person: %(who)s"),
                   who=text)
        return
    named = [f"{label('platform', platform)} ({name})"
             for platform, name in accounts[:NAMED_CANDIDATES]]
    run.reject(row["line"], row[f"{end}_column"], text,
               N_("%(handle)s matches %(count)d accounts: %(accounts)s"), handle=text,
               count=len(accounts), accounts=", ".join(named)
               + (", …" if len(accounts) > NAMED_CANDIDATES else ""))


def _write(batch: Batch, run: _Run) -> None:
    found = batch.resolve()
    candidates = []
    for row in batch.rows:
        ends = {}
        for end in ("source", "target"):
            ends[end] = found.get(row[end])
            if ends[end] is None:
                _reject_unfound(batch, run, row, end)
                break
        else:
            if ends["source"] == ends["target"]:
                run.reject(row["line"], row["target_column"], row["target_text"],
                           N_("a person cannot relay themselves"))
                continue
            candidates.append((ends["source"], ends["target"], row["kind"], row["weight"]))
    existing = set()
    if candidates:
        pairs = sorted({(s, t, k) for s, t, k, _w in candidates})
        existing = set(db.session.execute(
            select(Relationship.source_id, Relationship.target_id, Relationship.kind).where(
                tuple_(Relationship.source_id, Relationship.target_id, Relationship.kind)
                .in_(pairs))).all())
    new = []
    for source, target, kind, weight in candidates:
        key = (source, target, kind)
        if key in existing or key in run.seen:
            run.report["unchanged"] += 1
            continue
        run.seen.add(key)
        run.report["created"] += 1
        new.append({"source_id": source, "target_id": target, "kind": kind, "weight": weight,
                    "origin": "import"})
    if new and not run.dry_run:
        db.session.execute(insert(Relationship), new)
