"""What a candidate costs: the participant's agreed fee, else their proposed fee, when they are
in the campaign; otherwise an estimate for one post per counted account.

An account's estimate is its platform's CPM (admin settings, in euros) × followers / 1 000 —
what its audience's impressions are worth — but at least the minimum fee the admins set for
its platform and follower tier (app/models/rates.py): a CPM alone prices a small account's
post at a few euros, which nobody would accept. There is no estimate (the fee is "unknown")
when the campaign is not in euros or when a counted account's platform has no CPM: a partial
sum would look cheaper than it is, and a floor alone is a minimum, not a price.

An estimate is never a fee anybody agreed to: adding candidates writes it as their proposed
fee only when the user ticks so, and only the amount the page showed them
(`confirmed_estimates`).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from app.campaigns.report import rates as platform_rates
from app.models import Campaign


class Pricing(NamedTuple):
    """The settings an estimate reads: platform → CPM cents, (platform, tier) → floor cents."""

    rates: dict[str, int]
    floors: dict[tuple[str, str], int]


def current_pricing() -> Pricing:
    return Pricing(platform_rates.current_rates(), platform_rates.current_floors())


def estimate_fee(accounts: list[tuple[str, int | None]], rates: dict[str, int],
                 floors: dict[tuple[str, str], int] | None = None) -> int | None:
    """One post per account at max(its platform's CPM × followers / 1 000, the floor of its
    platform and tier), in cents rounded up; None when an account with followers has no CPM
    or nobody has followers."""
    total, anyone = 0.0, False
    for platform, followers in accounts:
        if not followers or followers <= 0:
            continue
        if platform not in rates:
            return None
        anyone = True
        floor = (floors or {}).get((platform, platform_rates.tier_of(followers)), 0)
        total += max(rates[platform] * followers / 1000, floor)
    cents = math.ceil(total)
    return cents if anyone and cents > 0 else None


def fee_of(joined: tuple | None, accounts: list[tuple], pricing: Pricing | None
           ) -> tuple[int | None, str]:
    """(cents, source) of one candidate: `joined` is (stage, proposed, agreed) when in the
    campaign, `accounts` their counted (id, platform, followers, …), `pricing` None when the
    campaign's currency has no rates."""
    if joined is not None:
        _stage, proposed, agreed = joined
        if agreed is not None:
            return agreed, "agreed"
        if proposed is not None:
            return proposed, "proposed"
    if pricing is not None:
        cents = estimate_fee([(a[1], a[2]) for a in accounts], *pricing)
        if cents is not None:
            return cents, "estimate"
    return None, "unknown"


def estimated_fees(campaign: Campaign, accounts: dict[int, list[tuple]]) -> dict[int, int]:
    """influencer → their fee estimate, as the candidates page shows it, from their counted
    accounts (influencer → [(id, platform, followers, …)]), for those it can estimate."""
    if campaign.currency != platform_rates.RATE_CURRENCY or not accounts:
        return {}
    pricing = current_pricing()
    found = {}
    for owner, mine in accounts.items():
        cents = estimate_fee([(a[1], a[2]) for a in mine], *pricing)
        if cents is not None:
            found[owner] = cents
    return found


def confirmed(estimates: dict[int, int], shown: dict[int, int]) -> tuple[dict[int, int], int]:
    """The estimates the user confirmed: those equal to the amount the page showed them
    (`shown`, influencer → cents); → (those, how many of those shown changed since, or have
    no estimate any more)."""
    kept = {owner: cents for owner, cents in estimates.items() if shown.get(owner) == cents}
    changed = sum(1 for owner in shown if owner not in kept)
    return kept, changed
