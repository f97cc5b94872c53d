"""What the contract page and the conflict page show, worked out apart from the views: the
checklist of what approval still needs (each item with the page that fixes it), the
special-case warnings, the 1 000 € HT threshold, the workflow buttons the user may press."""

from __future__ import annotations

import contextlib
from datetime import date

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.brands.service import SECTOR_RULES
from app.contracts import terms as service
from app.contracts import workflow
from app.contracts.document import rules
from app.extensions import db
from app.i18n.formats import day, money
from app.i18n.labels import label
from app.models import ContractDocument

# The buttons of the page, in the order of the contract's life.
ACTIONS = ("submit", "withdraw", "approve", "request_changes", "activate", "complete",
           "amend", "terminate", "cancel")
CHOICE_GROUPS = {"language": "contract_language", "objective": "objective",
                 "basis": "contract_basis", "pay_kind": "pay_kind", "disclosure": "disclosure",
                 "foreign_disclosure": "foreign_disclosure"}


def checklist(contract, user) -> list[dict]:
    """rules.missing(), each item with a link to the page where it is completed."""
    edit_contract = workflow.can("edit", contract, user)
    member = user.has_role("member")
    links = {
        "brand": (url_for("brands.edit", brand_id=contract.brand_id) if member else None,
                  _("Edit the brand")),
        "influencer": (url_for("influencers.edit", influencer_id=contract.influencer_id)
                       if member else None, _("Edit the influencer")),
        "contract": (url_for("contracts.edit", contract_id=contract.id) if edit_contract
                     else None, _("Edit the contract")),
    }
    rows = []
    for record, items in rules.missing_by_record(contract).items():
        url, link = links[record]
        rows.extend({"text": _(text), "url": url, "link": link} for text in items)
    return rows


def threshold(contract) -> dict:
    total = rules.total_value_cents(contract)
    return {"total": total, "limit": rules.THRESHOLD_CENTS,
            "in_euros": contract.currency == "EUR",
            "reached": contract.currency == "EUR" and total >= rules.THRESHOLD_CENTS}


def documents(contract) -> list[ContractDocument]:
    return list(db.session.scalars(
        select(ContractDocument).where(ContractDocument.contract_id == contract.id)
        .options(selectinload(ContractDocument.created_by))
        .order_by(ContractDocument.version.desc())))


def show_context(contract, user, refused: list[str] | None = None) -> dict:
    cases = rules.special_cases(contract)
    sector = cases.banned_sector or cases.restricted_sector
    return {
        "contract": contract, "cases": cases,
        "sector_rule": str(SECTOR_RULES[sector]) if sector in SECTOR_RULES else None,
        "checklist": checklist(contract, user)
        if contract.status in ("draft", "pending_approval") else [],
        "refused": refused, "threshold": threshold(contract), "documents": documents(contract),
        "allowed": [action for action in ACTIONS if workflow.can(action, contract, user)],
        "can_edit": workflow.can("edit", contract, user),
        "can_render": workflow.can("render", contract, user),
        "media": [label("usage_media", m) for m in (contract.usage_media or "").split(",") if m],
        "operations": [{**op, "when": _when(op)} for op in contract.operations or []],
    }


def _when(operation: dict) -> str:
    """The operation's date in the reader's format, then its window."""
    parts = []
    with contextlib.suppress(TypeError, ValueError):  # a hand-edited date: the window only
        parts.append(day(date.fromisoformat(operation.get("date") or "")))
    if operation.get("window"):
        parts.append(operation["window"])
    return " · ".join(parts)


# --- the conflict page ----------------------------------------------------------------------

def _row_text(name: str, item: dict, currency: str) -> str:
    if name == "operations":
        when = item.get("date") or item.get("window") or ""
        return " ".join(filter(None, (str(item.get("count") or ""),
                                      label("platform", item.get("platform")),
                                      label("operation_kind", item.get("kind")), str(when))))
    if name == "benefits":
        return f"{item.get('description')} ({money(item.get('value_cents'), currency)})"
    return f"{item.get('name')} <{item.get('email')}>"


def shown(name: str, value, currency: str) -> str:
    if value in (None, "", [], ()):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name in CHOICE_GROUPS:
        return label(CHOICE_GROUPS[name], value)
    if name.endswith("_cents"):
        return money(value, currency)
    if isinstance(value, date):
        return day(value)
    if name == "usage_media":
        codes = value.split(",") if isinstance(value, str) else value
        return ", ".join(label("usage_media", code) for code in codes)
    if isinstance(value, list):
        return "; ".join(_row_text(name, item, currency) for item in value)
    return str(value)


def conflict_rows(form, saved, mine: dict) -> list[dict]:
    rows = []
    for name in service.FIELDS:
        theirs = getattr(saved, name)
        rows.append({
            "label": form[name].label.text,
            "mine": shown(name, mine.get(name), mine.get("currency") or saved.currency),
            "saved": shown(name, theirs, saved.currency),
            "differs": (mine.get(name) or None) != (theirs or None),
        })
    return rows
