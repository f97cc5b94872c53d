"""“Export for Excel (French)”: the influencer list as an .xlsx workbook for a French Excel.

French headers and labels instead of codes (kind, status, platform, country, GDPR basis),
numbers, rates and dates as real cells, so that Excel shows them the French way (12 400,
3,2 %, 05/03/2026) and sums them. One row per person with each platform's account as
columns (its handles, followers and engagement: the biggest account's figures, as the list
shows), or one row per account; then the audience of the main account and the latest
score. With a platform chosen in the filters, only that platform's accounts and figures.
The plain CSV export (export.py) stays the one that imports back unchanged.

Memory stays flat: the list is read in chunks (export.chunks) and XlsxWriter's
constant_memory mode writes each row to disk as it comes; the workbook is assembled in a
temporary file that the caller streams and deletes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import xlsxwriter
from babel import Locale
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, select

from app.extensions import db
from app.i18n.labels import label
from app.influencers import latest_run
from app.influencers import query as influencer_list
from app.influencers.export import CHUNK, chunks
from app.influencers.platform_figures import main_account, platform_accounts
from app.models import Influencer, SocialAccount, User
from app.models.influencer import AGE_BANDS, AGE_COLUMNS, PLATFORMS

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"count": "#,##0", "share": "0.0%", "date": "dd/mm/yyyy", "score": "0.0",
           "text": "@"}
Column = tuple[str, str, Callable[[Any], Any]]  # header, format, value of a row


def filename(per_account: bool = False, today: date | None = None) -> str:
    kind = "comptes" if per_account else "influenceurs"
    return f"relais-{kind}-excel-{(today or date.today()).isoformat()}.xlsx"


def _country(code: str | None) -> str:
    return Locale.parse("fr").territories.get(code, code) if code else ""


def _person_columns(owners: dict[int, str]) -> list[Column]:
    """(header, format, value of (person, account, score)) for the person's own columns."""
    return [
        (_("Record no."), "count", lambda r: r[0].id),
        (_("Name"), "text", lambda r: r[0].display_name),
        (_("Legal name"), "text", lambda r: r[0].legal_name),
        (_("Kind"), "text", lambda r: label("kind", r[0].kind)),
        (_("Email"), "text", lambda r: r[0].email),
        (_("Phone"), "text", lambda r: r[0].phone),
        (_("City"), "text", lambda r: r[0].city),
        (_("Country"), "text", lambda r: _country(r[0].country)),
        (_("Status"), "text", lambda r: label("status", r[0].status)),
        (_("Owner"), "text", lambda r: owners.get(r[0].owner_id)),
        (_("Tags"), "text", lambda r: ", ".join(r[0].tag_names)),
    ]


def _platform_columns(platform: str) -> list[Column]:
    """A platform's account in a person's row: its handles, the biggest account's figures."""
    name = label("platform", platform)

    def figure(attribute: str) -> Callable[[Any], Any]:
        return lambda r: getattr(main_account(r[0], platform) or object(), attribute, None)

    return [
        (_("%(platform)s: account", platform=name), "text", lambda r: ", ".join(
            a.handle for a in r[0].accounts if a.platform == platform)),
        (_("%(platform)s: followers", platform=name), "count", figure("followers")),
        (_("%(platform)s: engagement rate", platform=name), "share",
         figure("engagement_rate")),
    ]


def _account_columns() -> list[Column]:
    def of(attribute: str) -> Callable[[Any], Any]:
        return lambda r: getattr(r[1], attribute, None) if r[1] is not None else None

    return [
        (_("Platform"), "text",
         lambda r: label("platform", r[1].platform) if r[1] is not None else None),
        (_("Account"), "text", of("handle")),
        (_("Profile URL"), "text", of("profile_url")),
        (_("Followers"), "count", of("followers")),
        (_("Following"), "count", of("following")),
        (_("Posts"), "count", of("posts")),
        (_("Engagement rate"), "share", of("engagement_rate")),
        (_("Credibility"), "share", of("credibility")),
        (_("Figures as of"), "date", of("figures_on")),
    ]


def _audience_and_score_columns() -> list[Column]:
    ages = [(_("Audience aged %(band)s", band=band), "share",
             lambda r, column=AGE_COLUMNS[band]: getattr(r[0], column)) for band in AGE_BANDS]
    return [
        (_("Audience: women"), "share", lambda r: r[0].audience_female),
        (_("Audience: first country"), "text", lambda r: _country(r[0].audience_top_country)),
        *ages,
        (_("Score (0-100)"), "score", lambda r: r[2][0] if r[2] else None),
        (_("Community"), "text", lambda r: r[2][2] if r[2] else None),
        (_("Data source"), "text", lambda r: label("data_source", r[0].data_source)),
        (_("Lawful basis"), "text", lambda r: label("lawful_basis", r[0].lawful_basis)),
    ]


def _platforms_exported(filters: dict[str, Any], user_id: int | None) -> list[str]:
    """The platforms of the people exported, in the usual order (a column group each)."""
    if "platform" in filters:
        return [filters["platform"]]
    where = and_(*influencer_list.conditions(filters, user_id), Influencer.erased_at.is_(None))
    found = set(db.session.scalars(select(SocialAccount.platform).distinct().where(
        SocialAccount.influencer_id.in_(select(Influencer.id).where(where)))))
    return [platform for platform in PLATFORMS if platform in found]


def columns(filters: dict[str, Any], user_id: int | None, per_account: bool) -> list[Column]:
    owners = dict(db.session.execute(select(User.id, User.name)).all())
    if per_account:
        middle = _account_columns()
    else:
        middle = [column for platform in _platforms_exported(filters, user_id)
                  for column in _platform_columns(platform)]
    return [*_person_columns(owners), *middle, *_audience_and_score_columns()]


def _rows(filters: dict[str, Any], user_id: int | None, sort: str, per_account: bool,
          size: int) -> Iterator[tuple]:
    """(person, account or None, score or None) per row, in the list's order."""
    run_id = latest_run.latest_run_id()
    platform = filters.get("platform")
    for chunk in chunks(filters, user_id, sort, size):
        scores = latest_run.page_scores(run_id, [person.id for person in chunk])
        for person in chunk:
            score = scores.get(person.id)
            if not per_account:
                yield person, None, score
                continue
            for account in platform_accounts(person, platform) or [None]:
                yield person, account, score


def build(filters: dict[str, Any], user_id: int | None, sort: str = "name",
          per_account: bool = False, size: int = CHUNK) -> tuple[str, int]:
    """The workbook in a temporary file (the caller deletes it); → (its path, its rows)."""
    handle, path = tempfile.mkstemp(prefix="relais-export-", suffix=".xlsx")
    os.close(handle)
    try:
        with force_locale("fr"):
            rows = _write(path, filters, user_id, sort, per_account, size)
    except BaseException:
        os.unlink(path)
        raise
    return path, rows


def _write(path: str, filters: dict[str, Any], user_id: int | None, sort: str,
           per_account: bool, size: int) -> int:
    book = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir": tempfile.gettempdir(),
                                      "strings_to_formulas": False, "strings_to_urls": False})
    formats = {kind: book.add_format({"num_format": code}) for kind, code in FORMATS.items()}
    sheet = book.add_worksheet(_("Accounts") if per_account else _("Influencers"))
    wanted = columns(filters, user_id, per_account)
    sheet.write_row(0, 0, [header for header, _kind, _value in wanted],
                    book.add_format({"bold": True}))
    sheet.freeze_panes(1, 2)
    number = 0
    for number, row in enumerate(_rows(filters, user_id, sort, per_account, size), 1):
        for index, (_header, kind, value) in enumerate(wanted):
            cell = value(row)
            if cell is not None and cell != "":
                _write_cell(sheet, number, index, cell, formats[kind])
    sheet.autofilter(0, 0, number, len(wanted) - 1)
    book.close()
    return number


def _write_cell(sheet: Any, row: int, column: int, value: Any, style: Any) -> None:
    if isinstance(value, date):
        sheet.write_datetime(row, column, value, style)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value, style)
    else:  # text is written as text: "=…" stays a string, never a formula
        sheet.write_string(row, column, str(value), style)


def file_chunks(path: str, size: int = 1 << 20) -> Iterator[bytes]:
    """The file's bytes a chunk at a time; the file is deleted once read (or abandoned)."""
    try:
        with open(path, "rb") as file:
            while block := file.read(size):
                yield block
    finally:
        os.unlink(path)
