"""CSV export of influencer lists: one row per social account, streamed.

Plain functions, callable from a view (streamed response) or the CLI (a file). Memory stays
flat whatever the list size: the matching ids are read through a streaming cursor, and the
influencers are loaded CHUNK at a time (accounts and tags in one query each per chunk).
Values are machine-readable (codes, ISO dates, shares with a dot) so that importing an
export changes nothing; every text cell is neutralised against formula injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from app.core.csv_output import BOM, drain, neutralise_formula
from app.extensions import db
from app.influencers import query as influencer_list
from app.influencers.platform_figures import platform_accounts
from app.models import Influencer, SocialAccount, User

COLUMNS = (
    "influencer_id", "name", "legal_name", "kind", "email", "phone", "city", "country",
    "status", "owner", "tags", "platform", "handle", "profile_url", "followers", "following",
    "posts", "engagement_rate", "credibility", "figures_on", "data_source", "lawful_basis",
)
# Names as typed on the command line or in the URL → the character written.
DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\t": "\t"}
CHUNK = 2000  # influencers per query: few round trips, bounded memory
@dataclass
class ExportCount:
    rows: int = 0
    influencers: int = 0


def filename(today: date | None = None) -> str:
    return f"relais-influencers-{(today or date.today()).isoformat()}.csv"


def _text(value: str | None) -> str:
    return neutralise_formula(value) if value else ""


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def share(value: float | None) -> str:
    """0.032, never 3.2e-02 nor 0.032000000000000001: what any importer reads back."""
    if value is None:
        return ""
    shown = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if shown in ("", "-0") else shown


def _influencer_cells(person: Influencer, owners: dict[int, str]) -> list[str]:
    return [
        str(person.id), _text(person.display_name), _text(person.legal_name),
        _text(person.kind), _text(person.email), _text(person.phone), _text(person.city),
        _text(person.country), _text(person.status), _text(owners.get(person.owner_id)),
        _text(", ".join(person.tag_names)),
    ]


def _account_cells(account: SocialAccount | None) -> list[str]:
    if account is None:
        return [""] * 9
    return [
        _text(account.platform), _text(account.handle), _text(account.profile_url),
        _number(account.followers), _number(account.following), _number(account.posts),
        share(account.engagement_rate), share(account.credibility),
        account.figures_on.isoformat() if account.figures_on else "",
    ]


def chunks(filters: dict[str, Any], user_id: int | None, sort: str,
           size: int) -> Iterator[list[Influencer]]:
    """The influencers the list shows for these filters (the list's own conditions and
    order, a chosen platform's figures included), in its order, `size` at a time."""
    where = and_(*influencer_list.conditions(filters, user_id), Influencer.erased_at.is_(None))
    ids_stmt = influencer_list.ordered(select(Influencer.id).where(where), sort,
                                       platform=filters.get("platform"))
    # A streaming cursor: the ids are fetched as consumed, never all held at once.
    result = db.session.execute(ids_stmt.execution_options(yield_per=size))
    for ids in result.scalars().partitions(size):
        loaded = db.session.scalars(
            select(Influencer).where(Influencer.id.in_(ids))
            .options(selectinload(Influencer.accounts), selectinload(Influencer.tags))
        )
        by_id = {person.id: person for person in loaded}
        yield [by_id[i] for i in ids if i in by_id]


def rows(filters: dict[str, Any], user_id: int | None, sort: str = "name",
         count: ExportCount | None = None, size: int = CHUNK) -> Iterator[list[str]]:
    """The data rows (no header), one per social account (on the platform chosen in the
    filters, if one is); an influencer without such an account gets one row with empty
    account cells. `count` is filled as rows are produced."""
    count = count if count is not None else ExportCount()
    owners = dict(db.session.execute(select(User.id, User.name)).all())
    platform = filters.get("platform")
    for chunk in chunks(filters, user_id, sort, size):
        for person in chunk:
            count.influencers += 1
            head = _influencer_cells(person, owners)
            tail = [_text(person.data_source), _text(person.lawful_basis)]
            for account in platform_accounts(person, platform) or [None]:
                count.rows += 1
                yield head + _account_cells(account) + tail


def stream(filters: dict[str, Any], user_id: int | None, sort: str = "name",
           delimiter: str = ",", size: int = CHUNK) -> Iterator[bytes]:
    """The whole file as UTF-8 bytes, yielded a few hundred rows at a time. The first piece
    is the BOM and the header, produced without touching the database (a view may send it
    before it sets up the database session the rest needs)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITERS[delimiter])
    buffer.write(BOM)
    writer.writerow(COLUMNS)
    yield drain(buffer)
    for number, row in enumerate(rows(filters, user_id, sort, size=size), start=1):
        writer.writerow(row)
        if number % 500 == 0:
            yield drain(buffer)
    yield drain(buffer)


def write(out: TextIO, filters: dict[str, Any] | None = None, user_id: int | None = None,
          sort: str = "name", delimiter: str = ",", size: int = CHUNK) -> ExportCount:
    """Write the file to `out` (opened with newline=""); the BOM is written here, so open
    it as plain "utf-8"."""
    count = ExportCount()
    writer = csv.writer(out, delimiter=DELIMITERS[delimiter])
    out.write(BOM)
    writer.writerow(COLUMNS)
    writer.writerows(rows(filters or {}, user_id, sort, count=count, size=size))
    return count
