"""What French influencer law (loi 2023-451) asks of a contract, as plain checks on a
Contract and its parties: which mandatory data are missing, which special clauses apply
(minors, influencers established outside the EU/EEA/Switzerland, regulated sectors).

Plain Python: `missing()` gives English messages marked with N_, which the pages translate
where they show them; the templates choose their clauses with `special_cases()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.codes import BANNED_SECTORS, RESTRICTED_SECTORS
from app.core.text import N_

# EU member states, the other EEA states and Switzerland (loi 2023-451 art. 9).
EU_EEA_CH = frozenset((
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",  # EU 27
    "IS", "LI", "NO",  # EEA
    "CH",
))
THRESHOLD_CENTS = 100_000  # 1 000 € HT a year per brand × influencer × objective


def age_on(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class SpecialCases:
    age: int | None
    under_16: bool
    under_18: bool
    outside_eea: bool
    banned_sector: str | None
    restricted_sector: str | None

    @property
    def minor(self) -> bool:
        return self.under_18


def _sectors(contract) -> list[str]:
    sectors = [contract.brand.sector if contract.brand else None]
    if contract.campaign is not None:
        sectors.append(contract.campaign.sector)
    return [s for s in sectors if s]


def special_cases(contract, today: date | None = None) -> SpecialCases:
    influencer = contract.influencer
    # Age on the day the contract starts (or today if it starts earlier or has no date).
    day = max(filter(None, (contract.starts_on, today or date.today())))
    age = age_on(influencer.date_of_birth if influencer else None, day)
    country = (influencer.tax_country or influencer.country or "").upper() if influencer else ""
    sectors = _sectors(contract)
    banned = next((s for s in sectors if s in BANNED_SECTORS), None)
    # A banned sector (art. 4) blocks approval; the other restricted ones only warn.
    restricted = next((s for s in sectors if s in RESTRICTED_SECTORS and s not in BANNED_SECTORS),
                      None)
    return SpecialCases(
        age=age, under_16=age is not None and age < 16, under_18=age is not None and age < 18,
        outside_eea=bool(country) and country not in EU_EEA_CH,
        banned_sector=banned, restricted_sector=restricted)


def _operation_problems(contract) -> list[str]:
    problems = []
    operations = contract.operations or []
    if not operations:
        problems.append(N_("The operations (platform, format, number, dates)"))
    elif any(not op.get("platform") or not op.get("kind") or not op.get("count")
             for op in operations):
        problems.append(N_("A platform, a format and a number for every operation"))
    return problems


def _pay_problems(contract) -> list[str]:
    kind = contract.pay_kind
    problems = []
    if kind in ("fixed", "mixed") and not contract.fixed_fee_cents and not (
            kind == "mixed" and contract.fee_per_operation_cents):
        problems.append(N_("The fixed fee"))
    if kind == "per_operation" and not contract.fee_per_operation_cents:
        problems.append(N_("The fee per operation"))
    benefits = contract.benefits or []
    if kind == "in_kind" and not benefits:
        problems.append(N_("The in-kind benefits and their value"))
    if any(not b.get("description") or not b.get("value_cents") for b in benefits):
        problems.append(N_("A description and a value for every in-kind benefit"))
    if not (contract.payment_terms or "").strip() and kind != "in_kind":
        problems.append(N_("The payment terms"))
    return problems


def _term_problems(contract) -> list[str]:
    if contract.basis == "duration":
        if not contract.starts_on or not contract.ends_on:
            return [N_("The start and end dates")]
        if contract.ends_on < contract.starts_on:
            return [N_("An end date after the start date")]
        return []
    return [] if contract.deadline else [N_("The deadline of the operations")]


def _brand_problems(contract) -> list[str]:
    brand = contract.brand
    checks = [
        (brand.legal_name, N_("The brand's legal name")),
        (brand.registration_number, N_("The brand's registration number")),
        (brand.address, N_("The brand's postal address")),
        (brand.email, N_("The brand's email address")),
        (brand.tax_country, N_("The brand's tax-residence country")),
        (brand.signatory_name, N_("The brand's signatory")),
    ]
    return [label for value, label in checks if not (value or "").strip()]


def _influencer_problems(contract) -> list[str]:
    influencer = contract.influencer
    checks = [
        (influencer.legal_name, N_("The influencer's legal name")),
        (influencer.address, N_("The influencer's postal address")),
        (influencer.email, N_("The influencer's email address")),
        (influencer.tax_country, N_("The influencer's tax-residence country")),
    ]
    return [label for value, label in checks if not (value or "").strip()]


def _special_problems(contract, cases: SpecialCases) -> list[str]:
    problems = []
    if cases.banned_sector:
        problems.append(N_("A sector whose promotion is banned: this contract cannot be "
                           "approved"))
    if cases.minor:
        people = [r for r in (contract.representatives or []) if r.get("name") and r.get("email")]
        if not people:
            problems.append(N_("The legal representatives of the minor (name and email)"))
    if cases.under_16 and not (contract.minor_authorisation or "").strip():
        problems.append(N_("The administration's prior authorisation (influencer under 16)"))
    if cases.outside_eea:
        if not (contract.eu_representative or "").strip():
            problems.append(N_("The influencer's legal representative in the EU"))
        if not (contract.insurance or "").strip():
            problems.append(N_("The influencer's civil-liability insurance"))
    return problems


def missing_by_record(contract, today: date | None = None) -> dict[str, list[str]]:
    """What approval needs and the contract lacks, by the record where it is completed:
    "brand", "influencer" or "contract"."""
    cases = special_cases(contract, today)
    return {
        "brand": _brand_problems(contract),
        "influencer": _influencer_problems(contract),
        "contract": [*_term_problems(contract), *_operation_problems(contract),
                     *_pay_problems(contract), *_special_problems(contract, cases)],
    }


def missing(contract, today: date | None = None) -> list[str]:
    """What approval needs and the contract lacks, in the reader's words; empty when it can
    be approved."""
    return [item for items in missing_by_record(contract, today).values() for item in items]


def total_value_cents(contract) -> int:
    """Pay plus in-kind value, the figure the 1 000 € HT threshold compares."""
    fixed = (contract.fixed_fee_cents or 0) if contract.pay_kind in ("fixed", "mixed") else 0
    per_op = 0
    if contract.pay_kind in ("per_operation", "mixed") and contract.fee_per_operation_cents:
        count = sum(int(op.get("count") or 0) for op in contract.operations or [])
        per_op = contract.fee_per_operation_cents * count
    in_kind = sum(int(b.get("value_cents") or 0) for b in contract.benefits or [])
    return fixed + per_op + in_kind
