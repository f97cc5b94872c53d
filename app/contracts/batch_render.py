"""Many contracts as one ZIP, rendered on every core.

WeasyPrint is pure-Python layout, CPU-bound and single-threaded: a process pool is what
uses the cores. Workers are *spawned* (not forked): a forked child would inherit the
parent's database connections, and closing them at exit would break the parent's
session. Each worker builds its own app, with the parent's database, once.

The parent writes the ZIP in the order of the ids given, with fixed entry dates, so the
same contracts give the same archive.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# Copied from the parent's config into each worker's: where the data is, and how the
# parent's app was told to behave (so a test or development app needs no production secret).
_SHARED_SETTINGS = ("SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS", "SECRET_KEY", "ENV",
                    "TESTING")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date ZIP knows: no clock in the archive

_worker_app = None


def entry_name(number: str, name: str) -> str:
    """`RLS-2026-00042-zoe-lefevre.pdf`: ASCII letters, digits and dashes only."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    safe_number = re.sub(r"[^A-Za-z0-9]+", "-", number).strip("-") or "contract"
    return f"{safe_number}-{slug or 'contract'}.pdf"


def _start_worker(instance_path: str, settings: dict) -> None:
    global _worker_app
    from app import create_app
    from app.config import Config

    config = Config(instance_path)
    for key, value in settings.items():
        setattr(config, key, value)
    _worker_app = create_app(config)


def _stored_document(contract) -> bytes | None:
    from app.contracts.workflow import current_document

    for kind in ("signed", "contract"):
        document = current_document(contract, kind)
        if document is not None:
            return document.content
    return None


def _render_one(contract_id: int) -> tuple[str, bytes] | None:
    from app.contracts.rendering import render_pdf
    from app.extensions import db
    from app.models import Contract

    with _worker_app.app_context():
        try:
            contract = db.session.get(Contract, contract_id)
            if contract is None or contract.deleted_at is not None:
                return None
            name = entry_name(contract.number, contract.influencer.display_name)
            # What was approved or signed is handed out byte for byte, never re-rendered.
            stored = _stored_document(contract)
            return name, stored if stored is not None else render_pdf(contract).pdf
        finally:
            db.session.remove()


def render_zip(contract_ids: Iterable[int], out_path: str | Path,
               progress: Callable[[int], None] | None = None,
               workers: int | None = None) -> list[str]:
    """Render the contracts into one ZIP at `out_path`; returns the entry names written
    (a contract that no longer exists is left out). `progress` hears the percentage done
    after each contract. Call inside the app context whose database holds the contracts."""
    from flask import current_app

    ids = list(dict.fromkeys(contract_ids))
    settings = {key: current_app.config[key] for key in _SHARED_SETTINGS
                if key in current_app.config}
    instance = current_app.config.get("INSTANCE_PATH") or current_app.instance_path
    count = max(1, min(workers or os.cpu_count() or 1, len(ids)))
    written: list[str] = []
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start_worker,
                             initargs=(instance, settings)) as pool, \
            zipfile.ZipFile(out_path, "w", compression=zipfile.ZIP_STORED) as archive:
        # PDFs are already compressed: storing them costs the parent no CPU.
        for done, result in enumerate(pool.map(_render_one, ids), start=1):
            if result is not None:
                name, pdf = result
                info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
                info.external_attr = 0o644 << 16
                archive.writestr(info, pdf)
                written.append(name)
            if progress is not None:
                progress(done * 100 // len(ids))
    return written
