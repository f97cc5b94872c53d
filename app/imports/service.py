"""CSV import of influencers: upload, preview, dry run, import (the revert: revert.py).

No Flask request needed: the CLI and the background job call the same functions. The file
is copied under the instance folder (named by the import id, never by the user's name),
then streamed batch by batch through the import's parsing (app/imports/parsing) and
written by app.imports.writer. Each batch is committed whole: a rejected row never stops
the import and never half-writes."""

from __future__ import annotations

import contextlib
import csv
import gc
import hashlib
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app.core import jobs_lease
from app.core.csv_output import BOM, drain, neutralise_formula
from app.core.errors import ServiceError
from app.core.sqlite import lean_while
from app.extensions import db
from app.imports import lifecycle, workbooks
from app.imports.bulk_load import BulkLoad, worth_it
from app.imports.parsing.batches import read_batches
from app.imports.parsing.mapping import headers_signature, is_field, suggest_mapping
from app.imports.parsing.parse_ahead import batches_ahead
from app.imports.parsing.reading import SAMPLE_SIZE, ReadError, open_rows, read_header, sniff
from app.imports.writer import Importer
from app.models import AuditEvent, Import, ImportProblem, SavedMapping, User
from app.models.base import utcnow
from app.models.imports import IMPORT_MODES

BATCH = 2000
CHUNK = 1 << 20


def imports_folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- saved mappings --------------------------------------------------------------------

def _clean_mapping(mapping: dict[Any, Any], width: int) -> dict[str, str | None]:
    clean: dict[str, str | None] = {}
    for key, code in mapping.items():
        index = int(key)
        if not 0 <= index < width or not is_field(code):
            raise ServiceError(_("Unknown field for column %(number)d: %(code)s",
                                   number=index + 1, code=str(code)[:60]))
        clean[str(index)] = code
    return clean


def save_mapping(signature: str, mapping: dict[Any, Any], user: User | None) -> SavedMapping:
    saved = db.session.scalar(select(SavedMapping).where(
        SavedMapping.headers_signature == signature))
    if saved is None:
        saved = SavedMapping(headers_signature=signature)
        db.session.add(saved)
    saved.mapping = {str(k): v for k, v in mapping.items()}
    saved.created_by_id = user.id if user else None
    db.session.commit()
    return saved


def saved_mapping(signature: str) -> dict[str, str | None] | None:
    saved = db.session.scalar(select(SavedMapping.mapping).where(
        SavedMapping.headers_signature == signature))
    return dict(saved) if saved is not None else None


# --- upload and preview ------------------------------------------------------------------

def _copy(source: str | os.PathLike, target: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as src, open(target, "wb") as out:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def create_import(source_path: str | os.PathLike, filename: str, user: User | None,
                  mode: str = "upsert", encoding: str | None = None,
                  delimiter: str | None = None, sheet: str | None = None) -> Import:
    """Copy the file in (a spreadsheet's `sheet` as CSV: app/imports/workbooks.py), sniff
    it, read its header, suggest (or re-offer) a mapping."""
    if mode not in IMPORT_MODES:
        raise ServiceError(_("The mode must be create, update or upsert."))
    if os.path.isdir(source_path):
        raise ServiceError(_("This is a folder, not a file."))
    if not os.path.isfile(source_path):
        raise ServiceError(_("The file cannot be opened."))
    imp = Import(user_id=user.id if user else None, filename=str(filename)[:255], mode=mode,
                 status="uploaded", created_by_id=user.id if user else None)
    db.session.add(imp)
    db.session.flush()
    target = imports_folder() / f"{imp.id}.csv"
    try:
        imp.sha256, imp.size_bytes = _copy(source_path, target)
        encoding, delimiter = (workbooks.read_as_csv(target, filename, sheet)
                               or (encoding, delimiter))
        found = sniff(target, encoding, delimiter)
        rows = open_rows(target, found.encoding, found.delimiter)
        _line, headers = read_header(rows)
        rows.close()
    except (ReadError, OSError) as error:
        db.session.rollback()
        workbooks.discard(target)
        message = (_(error.template, **error.params) if isinstance(error, ReadError)
                   else _("The file cannot be opened."))
        raise ServiceError(message) from error
    imp.stored_path = str(target)
    imp.encoding, imp.delimiter = found.encoding, found.delimiter
    imp.headers = headers
    _offer_mapping(imp, headers)
    db.session.commit()
    return imp


def _offer_mapping(imp: Import, headers: list[str]) -> None:
    """The mapping remembered for these headers, else one suggested from their names."""
    imp.headers_signature = headers_signature(headers)
    mapping = saved_mapping(imp.headers_signature)
    if mapping is None or any(int(k) >= len(headers) for k in mapping):
        mapping = {str(k): v for k, v in suggest_mapping(headers).items()}
    imp.mapping = mapping


def set_mapping(imp: Import, mapping: dict[Any, Any], user: User | None = None,
                remember: bool = True) -> None:
    imp.mapping = _clean_mapping(mapping, len(imp.headers))
    db.session.commit()
    if remember:
        save_mapping(imp.headers_signature, imp.mapping, user)


def preview(imp: Import, rows: int = 20) -> dict[str, Any]:
    first: list[list[str]] = []
    try:
        stream = open_rows(imp.stored_path, imp.encoding, imp.delimiter)
        read_header(stream)
        for _line, cells in stream:
            first.append(cells)
            if len(first) >= rows:
                break
        stream.close()
    except ReadError as error:
        raise ServiceError(_(error.template, **error.params)) from error
    return {"encoding": imp.encoding, "delimiter": imp.delimiter, "headers": imp.headers,
            "mapping": imp.mapping, "rows": first}


# --- running -------------------------------------------------------------------------------

def _expected_lines(path: str) -> int:
    with open(path, "rb") as file:
        sample = file.read(SAMPLE_SIZE)
        size = os.fstat(file.fileno()).st_size  # the CSV read, a spreadsheet's too
    return max(1, int(size * max(1, sample.count(b"\n")) / max(1, len(sample))))


def result(imp: Import) -> dict[str, Any]:
    problems = db.session.execute(
        select(ImportProblem.line, ImportProblem.column, ImportProblem.value,
               ImportProblem.reason).where(ImportProblem.import_id == imp.id)
        .order_by(ImportProblem.line, ImportProblem.id))
    return {**imp.counts(), "rejected_rows": [
        {"line": line, "column": column, "value": value, "reason": reason}
        for line, column, value, reason in problems]}


@lean_while  # SQLite: the file's pages are not mapped into this process (300 MB bar)
def run(imp: Import, dry_run: bool, progress: Callable[[int], None] | None = None
        ) -> dict[str, Any]:
    """Dry run (counts and problems only) or real import; → the CLI's JSON shape."""
    lifecycle.advance(imp, "run")
    imp_id, user_id = imp.id, imp.user_id
    db.session.execute(delete(ImportProblem).where(ImportProblem.import_id == imp_id))
    imp.dry_run, imp.progress, imp.error = dry_run, 0, None
    imp.started_at, imp.finished_at = utcnow(), None
    imp.created = imp.updated = imp.unchanged = imp.rejected = imp.total_rows = 0
    db.session.commit()
    importer = Importer(imp, dry_run, user_id)
    expected = _expected_lines(imp.stored_path)
    bulk = None if dry_run else _bulk_load(expected)
    importer.bulk = bulk is not None
    try:  # the progress file's time is the job's lease (app/imports/lease.py)
        with jobs_lease.keep_file_alive(progress_path(imp_id)):
            _stream(imp, importer, progress, expected, bulk)
    except ReadError as error:
        db.session.rollback()
        if bulk is not None:  # the one transaction is gone: nothing was written
            bulk.forget()
            importer.counts.clear()
        _finish(db.session.get(Import, imp_id), importer, "fail", str(error))
        raise ServiceError(_(error.template, **error.params)) from error
    except Exception as error:
        db.session.rollback()
        if bulk is not None:
            bulk.forget()
            importer.counts.clear()
        _finish(db.session.get(Import, imp_id), importer, "fail", str(error)[:500])
        raise
    imp = db.session.get(Import, imp_id)
    _finish(imp, importer, "finish", None)
    if bulk is not None:
        bulk.after_commit()
    if not dry_run:
        _audit(imp, "update" if imp.mode == "update" else "create", user_id)
    if progress:
        progress(100)
    return result(imp)


def _bulk_load(expected: int) -> BulkLoad | None:
    """A bulk load (one transaction, indexes built at the end) when it pays."""
    minimum = current_app.config.get("RELAIS_IMPORT_BULK_ROWS", 5000)
    return BulkLoad(db.session) if worth_it(db.session, expected, minimum) else None


def _stream(imp: Import, importer: Importer, progress: Callable[[int], None] | None,
            expected: int, bulk: BulkLoad | None = None) -> None:
    imp_id = imp.id
    # A big file is read in a second process, a batch ahead of the writes; it starts now,
    # while the bulk load drops its indexes.
    ahead = expected >= current_app.config.get("RELAIS_IMPORT_AHEAD_ROWS", 5000)
    batches = (batches_ahead if ahead else read_batches)(
        imp.stored_path, imp.encoding, imp.delimiter,
        {int(k): v for k, v in imp.mapping.items()}, BATCH)
    total = 0
    with contextlib.closing(batches), _young_collections_only():
        if bulk is not None:
            bulk.start()
            importer.only_own_people = bulk.empty
        for number, (batch, total) in enumerate(batches, 1):
            if bulk is None:
                _flush(imp_id, importer, batch, total, expected, progress)
            else:  # one transaction: the progress goes where other processes can read it
                importer.process(batch)
                write_progress(imp_id, min(98, total * 100 // expected))
            del batch  # freed now: the collection need not walk it
            gc.collect(2 if number % 25 == 0 else 1)
    if bulk is not None:
        write_progress(imp_id, 99)
        bulk.finish()
        db.session.execute(update(Import).where(Import.id == imp_id).values(total_rows=total))


@contextlib.contextmanager
def _young_collections_only() -> Iterator[None]:
    """Python's cyclic collector, left to itself, walks every live object again and again
    while an import allocates millions of short-lived ones (a third of the run's time).
    A batch's objects hold few cycles worth chasing: the young generations are collected
    after each batch, everything every 25 batches (50 000 rows)."""
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()  # what exists before the import is not its garbage: collections skip it
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def progress_path(imp_id: int) -> Path:
    """The file a bulk load writes its progress into, instead of the import's row."""
    return imports_folder() / f"{imp_id}.progress"


def write_progress(imp_id: int, percent: int) -> None:
    """Writes a bulk load's progress (percent) into its progress file."""
    # Three bytes written over the last three, never truncated: a reader sees a whole
    # number, and ext4 does not flush a file rewritten after truncation on close (7 ms).
    fd = os.open(progress_path(imp_id), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        os.pwrite(fd, f"{max(0, min(percent, 999)):3d}".encode("ascii"), 0)
    finally:
        os.close(fd)


def live_progress(imp: Import) -> int:
    """How far a running import is: its row, or the file a bulk load writes instead."""
    try:
        written = int(progress_path(imp.id).read_text(encoding="ascii"))
    except (OSError, ValueError):
        written = 0
    return max(imp.progress or 0, min(99, written))


def _flush(imp_id: int, importer: Importer, batch: list, total: int, expected: int,
           progress: Callable[[int], None] | None) -> None:
    importer.process(batch)
    done = min(99, total * 100 // expected)
    counts = importer.counts
    kept = db.session.execute(update(Import).where(
        Import.id == imp_id, Import.status == "running").values(
        progress=done, total_rows=total, created=counts["created"], updated=counts["updated"],
        unchanged=counts["unchanged"], rejected=counts["rejected"], heartbeat_at=utcnow()))
    if not kept.rowcount:  # failed meanwhile, its lease over (lease.py): the batch goes
        raise ServiceError(_("This import was stopped: its worker seemed to have died."))
    db.session.commit()
    if progress:
        progress(done)


def _finish(imp: Import, importer: Importer, step: str, error: str | None) -> None:
    progress_path(imp.id).unlink(missing_ok=True)
    counts = importer.counts
    lifecycle.advance(imp, step)
    imp.error, imp.finished_at = error, utcnow()
    imp.created, imp.updated = counts["created"], counts["updated"]
    imp.unchanged, imp.rejected = counts["unchanged"], counts["rejected"]
    imp.progress = 100 if step == "finish" else imp.progress
    db.session.commit()


def _audit(imp: Import, action: str, user_id: int | None) -> None:
    db.session.add(AuditEvent(user_id=user_id, entity_type="import", entity_id=imp.id,
                              action=action, import_id=imp.id, action_id=f"import-{imp.id}",
                              changes={
                                  **{k: [None, n] for k, n in imp.counts().items()},
                                  "file": [None, imp.filename]}))
    db.session.commit()


# --- rejected rows -------------------------------------------------------------------------

def rejected_rows_csv(import_id: int) -> Iterator[bytes]:
    """The rejected rows as CSV: the header first, read before any query (see
    core.downloads.in_own_context), then the rows a thousand at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(["line", "column", "value", "reason"])
    yield drain(buffer)
    query = (select(ImportProblem.line, ImportProblem.column, ImportProblem.value,
                    ImportProblem.reason).where(ImportProblem.import_id == import_id)
             .order_by(ImportProblem.line, ImportProblem.id))
    for number, (line, column, value, reason) in enumerate(
            db.session.execute(query.execution_options(yield_per=1000)), 1):
        writer.writerow([line, neutralise_formula(column), neutralise_formula(value),
                         neutralise_formula(reason)])
        if number % 1000 == 0:
            yield drain(buffer)
    yield drain(buffer)


# --- used by the wizard and the job --------------------------------------------------

def set_reading(imp: Import, encoding: str, delimiter: str, sheet: str | None = None) -> None:
    """Read the header again with the user's encoding and delimiter (or, from a
    spreadsheet, another sheet); suggest a mapping."""
    try:
        if sheet is not None:
            encoding, delimiter = workbooks.choose_sheet(imp.stored_path, sheet)
        rows = open_rows(imp.stored_path, encoding, delimiter)
        _line, headers = read_header(rows)
        rows.close()
    except ReadError as error:
        raise ServiceError(_(error.template, **error.params)) from error
    imp.encoding, imp.delimiter, imp.headers = encoding, delimiter, headers
    _offer_mapping(imp, headers)
    db.session.commit()


def mark_queued(imp: Import, dry_run: bool) -> None:
    """Queued for the job (app.imports.tasks.run_import): the page shows a progress bar at
    once, and a second click cannot queue it twice."""
    lifecycle.advance(imp, "queue")
    imp.dry_run, imp.progress = dry_run, 0
    imp.started_at = imp.finished_at = None
    imp.error = None
    db.session.commit()


def waiting_since(imp: Import) -> float:
    """Seconds an import has been queued without a worker starting it (0 if it is not)."""
    if imp.status != "queued" or imp.updated_at is None:
        return 0.0
    return max(0.0, (utcnow() - imp.updated_at).total_seconds())


def cancel_waiting(imp: Import) -> None:
    """Take a queued import off the queue (no worker ran it): back to the step it came
    from. A worker that picks the job up later finds it no longer queued and skips it."""
    lifecycle.advance(imp, "cancel")
    db.session.commit()
