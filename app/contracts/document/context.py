"""What a contract template receives: the contract's data, already formatted in the
CONTRACT's language (money, dates, country names, platform and format labels), so that
templates stay plain wording and never compute.

Values a user typed stay plain strings: the template environment escapes them. Missing
values stay None so that the template can print its "to be completed" placeholder.
Plain Python: money and dates go through Babel in the contract's language; the labels of
stored codes come from the caller (`Label`), which knows the app's translations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency

from app.contracts.document.rules import THRESHOLD_CENTS, special_cases, total_value_cents

# (group, code) → the code's label in the contract's language, "—" for no code.
Label = Callable[[str, str | None], str]


def document_date(contract) -> date:
    """The date printed on the document and in its PDF metadata: the approval day once
    approved, else the creation day — never "now", so that a rendering can be repeated
    byte for byte."""
    stamp = contract.approved_at or contract.created_at
    return stamp.date() if stamp is not None else date(2000, 1, 1)


def money(cents: int | None, currency: str, language: str) -> str:
    """`4 500,00 €` / `€4,500.00`, with the narrow no-break space Babel puts in French
    amounts made a plain no-break space: the contract font has no glyph for it, and a
    fallback font for one character would be subset into every PDF."""
    if cents is None:
        return "—"
    shown = format_currency(cents / 100, currency or "EUR", locale=language)
    return shown.replace("\u202f", "\xa0")


def long_date(value: date | None, language: str) -> str | None:
    """`1er avril 2026` in French legal writing (Babel gives `1 avril`), `April 1, 2026`."""
    if value is None:
        return None
    shown = format_date(value, "long", locale=language)
    if language == "fr" and value.day == 1 and shown.startswith("1 "):
        shown = "1er" + shown[1:]
    return shown


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _folded(text: str) -> str:
    """Lower case, accents and punctuation dropped, words separated by one space."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split()) + " "


def postal_address(address: str | None, *more: str | None) -> list[str]:
    """The address's lines, then each of `more` (city, country) that they do not already
    name: "12 rue X, 75001 Paris" and the city "Paris" print "12 rue X, 75001 Paris",
    not "…, 75001 Paris, Paris". A line that only repeats the end of the previous ones is
    left out too. Only the last two parts count: "12 avenue de Paris, Résidence A, 78000
    Versailles" does not name Paris as its city."""
    lines: list[str] = []
    for part in [*_lines(address), *(_text(m) for m in more)]:
        tail = [p for line in lines for p in line.split(",")][-2:]
        if part and _folded(part).strip() and _folded(part) not in _folded(" ".join(tail)):
            lines.append(part)
    return lines


def is_draft(contract) -> bool:
    """A document of a contract not approved (draft, awaiting approval, or cancelled before
    approval) is a draft: it carries the DRAFT / PROJET mark."""
    return contract.approved_at is None


def _country(code: str | None, language: str) -> str | None:
    if not code:
        return None
    return Locale.parse(language).territories.get(code.upper(), code.upper())


def _parties(contract, language: str, label: Label, logo: str | None) -> dict:
    brand, person = contract.brand, contract.influencer
    return {
        "brand": {
            "name": brand.name, "logo": logo, "legal_name": _text(brand.legal_name),
            "legal_form": _text(brand.legal_form),
            "registration_number": _text(brand.registration_number),
            "address": postal_address(brand.address), "email": _text(brand.email),
            "tax_country": _country(brand.tax_country, language),
            "signatory_name": _text(brand.signatory_name),
            "signatory_title": _text(brand.signatory_title),
        },
        "influencer": {
            "display_name": person.display_name, "legal_name": _text(person.legal_name),
            # The full postal address (lines, city, country): each named once.
            "address": (postal_address(person.address, person.city,
                                       _country(person.country, language))
                        if _lines(person.address) else []),
            "city": _text(person.city),
            "country": _country(person.country, language), "email": _text(person.email),
            "tax_country": _country(person.tax_country, language),
            "born_on": long_date(person.date_of_birth, language),
            "accounts": [{"platform": label("platform", a.platform), "handle": a.handle}
                         for a in person.accounts],
        },
        "agent": ({"name": _text(person.agent_name), "email": _text(person.agent_email)}
                  if _text(person.agent_name) else None),
        "representatives": [{"name": _text(r.get("name")), "email": _text(r.get("email"))}
                            for r in contract.representatives or []],
    }


def _operations(contract, language: str, label: Label) -> list[dict]:
    rows = []
    for op in contract.operations or []:
        when = op.get("date")
        try:
            shown = long_date(date.fromisoformat(when), language) if when else None
        except (TypeError, ValueError):
            shown = str(when)  # a hand-edited date still prints, as typed
        rows.append({
            "platform": label("platform", op.get("platform")),
            "kind": label("operation_kind", op.get("kind")),
            "count": int(op.get("count") or 0), "date": shown,
            "window": _text(op.get("window")), "mentions": _text(op.get("mentions")),
        })
    return rows


def _pay(contract, operations_count: int, language: str) -> dict:
    currency = contract.currency or "EUR"
    per_op = contract.fee_per_operation_cents if contract.pay_kind in (
        "per_operation", "mixed") else None
    fixed = contract.fixed_fee_cents if contract.pay_kind in ("fixed", "mixed") else None
    benefits = [{"description": _text(b.get("description")),
                 "value": money(b.get("value_cents"), currency, language)}
                for b in contract.benefits or []]
    benefits_cents = sum(int(b.get("value_cents") or 0) for b in contract.benefits or [])
    total = total_value_cents(contract)
    return {
        "kind": contract.pay_kind, "currency": currency,
        "fixed_fee": money(fixed, currency, language) if fixed else None,
        "fee_per_operation": money(per_op, currency, language) if per_op else None,
        "per_operation_total": (money(per_op * operations_count, currency, language)
                                if per_op else None),
        "benefits": benefits,
        "benefits_total": money(benefits_cents, currency, language) if benefits else None,
        "total": money(total, currency, language), "over_threshold": total >= THRESHOLD_CENTS,
        "terms": _text(contract.payment_terms), "days": contract.payment_days,
    }


def _rights(contract) -> dict:
    media = [code.strip() for code in (contract.usage_media or "").split(",") if code.strip()]
    return {
        "media": media, "territories": _text(contract.usage_territories),
        "months": contract.usage_months, "paid_amplification": contract.paid_amplification,
        "exclusivity": contract.exclusivity,
        "competitors": _text(contract.exclusivity_competitors),
        "exclusivity_months": contract.exclusivity_months,
    }


def document_context(contract, label: Label, template_name: str = "",
                     template_version: str = "", template_label: str = "",
                     logo: str | None = None) -> dict:
    """The dict the contract templates get (see contracts/README.md for each key);
    `template_label` is the template's name in the contract's language (the one printed);
    `logo` the brand's logo as a data: URI, given by the caller (this package reads no
    stored file)."""
    language = contract.language or "fr"
    operations = _operations(contract, language, label)
    count = sum(op["count"] for op in operations)
    cases = special_cases(contract, today=document_date(contract))
    campaign = contract.campaign
    return {
        "language": language, "template_name": template_name,
        "template_version": template_version,
        "template_label": template_label or template_name, "draft": is_draft(contract),
        "number": contract.number, "title": contract.title, "amendment": contract.amendment,
        "date": long_date(document_date(contract), language),
        "date_iso": document_date(contract).isoformat(),
        **_parties(contract, language, label, logo),
        "campaign": campaign.name if campaign is not None else None,
        "objective": label("objective", contract.objective),
        "products": _text(contract.products),
        "basis": contract.basis,
        "starts_on": long_date(contract.starts_on, language),
        "ends_on": long_date(contract.ends_on, language),
        "deadline": long_date(contract.deadline, language),
        "operations": operations, "operations_count": count,
        "pay": _pay(contract, count, language), "rights": _rights(contract),
        "disclosure": contract.disclosure, "retouched_images": contract.retouched_images,
        "virtual_images": contract.virtual_images,
        "foreign_disclosure": contract.foreign_disclosure,
        "submission_days": contract.submission_days, "feedback_days": contract.feedback_days,
        "notice_days": contract.termination_notice_days,
        "confidentiality": contract.confidentiality,
        "jurisdiction": _text(contract.jurisdiction),
        "cases": cases,
        "sector": cases.banned_sector or cases.restricted_sector,
        "sector_label": label("sector", cases.banned_sector or cases.restricted_sector),
        "minor_authorisation": _text(contract.minor_authorisation),
        "eu_representative": _text(contract.eu_representative),
        "insurance": _text(contract.insurance),
    }
