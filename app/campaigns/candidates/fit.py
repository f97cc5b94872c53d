"""A campaign's candidates: the best-scored people of the latest scoring run, ranked by
score × audience fit to the campaign's target.

The pool is the top POOL scores of the latest run among active people (not trashed, not
"do not contact"), read through the score index, so the page costs the same at 100 000
influencers as at 100; the fit is then computed for that pool only, from the latest audience
snapshot of each account, in a handful of bulk queries (accounts, shares, participants,
community labels, platform rates).

Accounts counted: those on the platforms in scope — the platform filter when one is chosen,
else the campaign's target platforms, else all. A person's fit is the share of their counted
real audience (followers × credibility) that is on target: effective reach / real audience.

Fee: the participant's agreed fee, else their proposed fee, when they are in the campaign;
otherwise an estimate — one post per counted account valued at the platform CPM (admin
settings, in euros) × followers / 1 000, i.e. what the audience's impressions are worth. No
estimate (the fee is "unknown") when the campaign is not in euros or when a counted account's
platform has no CPM: a partial sum would look cheaper than it is.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import exists, select

from app.campaigns.report import rates as platform_rates
from app.campaigns.service import split_codes
from app.extensions import db
from app.models import (
    AudienceShare,
    AudienceSnapshot,
    Campaign,
    Community,
    Influencer,
    InfluencerScore,
    Participant,
    ScoringRun,
    SocialAccount,
)
from app.models.influencer import PLATFORMS
from app.scoring import rescoring as scoring
from app.scoring.engine.fit import Account, Fit, Target, audience_fit, effective_reach

POOL = 2_000  # best scores whose fit is computed: bounds the page's work at any size
COMMUNITY_CHOICES = 100  # largest communities offered in the filter
FEE_SOURCES = ("agreed", "proposed", "estimate", "unknown")


@dataclass(frozen=True)
class Candidate:
    influencer_id: int
    name: str
    score: float
    community: int | None
    community_label: str | None
    fit: Fit
    reach: float  # effective reach: target people among the counted accounts' followers
    followers: int  # followers of the counted accounts
    platforms: tuple[str, ...]  # the counted accounts' platforms
    fee_cents: int | None
    fee_source: str  # one of FEE_SOURCES
    stage: str | None  # the participant's stage when already in the campaign

    @property
    def rank(self) -> float:
        return self.score * self.fit.value


@dataclass
class Candidates:
    run: ScoringRun | None
    targeted: bool  # the campaign has a target audience
    platforms: tuple[str, ...]  # platforms whose accounts are counted (empty: all)
    items: list[Candidate] = field(default_factory=list)
    pool: int = 0  # people whose fit was computed
    capped: bool = False  # the pool was cut at POOL
    estimates: bool = True  # fee estimates possible (campaign in the rates' currency)


class _Target(Target):
    """The campaign's target with its dimensions worked out once: audience_fit asks for
    them for every account (a third of the page's time at 2 000 candidates otherwise)."""

    @functools.cached_property
    def _dimensions(self) -> dict[str, tuple[str, ...]]:
        return super().dimensions()

    def dimensions(self) -> dict[str, tuple[str, ...]]:
        return self._dimensions


def target_of(campaign: Campaign) -> Target:
    # Interests are free text: one per line or comma (not per space: "home decor").
    interests = re.split(r"[,;\n]", campaign.target_interests or "")
    return _Target.of(countries=campaign.target_countries, gender=campaign.target_gender,
                     gender_share=campaign.target_gender_share,
                     age_bands=campaign.target_age_bands, languages=campaign.target_languages,
                     interests=interests)


def scope_platforms(campaign: Campaign, platform: str | None = None) -> tuple[str, ...]:
    """The platforms whose accounts count: the one filtered on, else the campaign's."""
    if platform in PLATFORMS:
        return (platform,)
    return tuple(p for p in split_codes(campaign.target_platforms) if p in PLATFORMS)


def community_choices(run: ScoringRun | None) -> list[tuple[int, str]]:
    """The run's largest communities (number 1 is the largest), labelled."""
    if run is None:
        return []
    rows = db.session.execute(
        select(Community.number, Community.label).where(Community.run_id == run.id)
        .order_by(Community.number).limit(COMMUNITY_CHOICES))
    return [(number, community_label(number, label)) for number, label in rows]


def community_label(number: int | None, label: str | None) -> str | None:
    if number is None:
        return None
    return label or _("Community %(number)s", number=number)


# --- bulk reading --------------------------------------------------------------------------

def _pool(run: ScoringRun, platforms: tuple[str, ...], community: int | None,
          limit: int) -> list[tuple]:
    """(id, name, score, community) of the best scores, in score order (the score index)."""
    stmt = (select(InfluencerScore.influencer_id, Influencer.display_name,
                   InfluencerScore.score, InfluencerScore.community)
            .join(Influencer, Influencer.id == InfluencerScore.influencer_id)
            .where(InfluencerScore.run_id == run.id, Influencer.deleted_at.is_(None),
                   Influencer.status != "do_not_contact")
            .order_by(InfluencerScore.score.desc(), InfluencerScore.influencer_id)
            .limit(limit))
    if platforms:
        stmt = stmt.where(exists().where(SocialAccount.influencer_id == Influencer.id,
                                         SocialAccount.platform.in_(platforms)))
    if community is not None:
        stmt = stmt.where(InfluencerScore.community == community)
    return list(db.session.execute(stmt))


def _accounts(ids: list[int], platforms: tuple[str, ...]) -> dict[int, list[tuple]]:
    """influencer → [(account id, platform, followers, credibility)] on the platforms."""
    stmt = (select(SocialAccount.influencer_id, SocialAccount.id, SocialAccount.platform,
                   SocialAccount.followers, SocialAccount.credibility)
            .where(SocialAccount.influencer_id.in_(ids)).order_by(SocialAccount.id))
    if platforms:
        stmt = stmt.where(SocialAccount.platform.in_(platforms))
    found: dict[int, list[tuple]] = defaultdict(list)
    for owner, *account in db.session.execute(stmt):
        found[owner].append(tuple(account))
    return found


def _shares(ids: list[int], dimensions: list[str]) -> dict[int, dict[str, dict[str, float]]]:
    """account → dimension → key → share, from each account's latest snapshot, for the
    targeted dimensions only."""
    shares: dict[int, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    if not dimensions:
        return shares
    rows = db.session.execute(
        select(AudienceSnapshot.account_id, AudienceShare.dimension, AudienceShare.key,
               AudienceShare.share)
        .join(AudienceSnapshot, AudienceSnapshot.id == AudienceShare.snapshot_id)
        .where(AudienceShare.influencer_id.in_(ids), AudienceShare.is_latest.is_(True),
               AudienceShare.dimension.in_(dimensions)))
    for account, dimension, key, share in rows:
        shares[account][dimension][key] = share
    return shares


def _person(accounts: list[tuple], shares, target: Target
            ) -> tuple[Fit, float, int, tuple[str, ...]]:
    fits = [(audience_fit(shares.get(account_id), target), followers, credibility)
            for account_id, _platform, followers, credibility in accounts]
    reach = effective_reach(Account(followers, credibility, fit) for fit, followers, credibility
                            in fits)
    followers = sum(f for _fit, f, _c in fits if isinstance(f, int) and f > 0)
    platforms = tuple(dict.fromkeys(a[1] for a in accounts))
    return _combined(fits, target), reach, followers, platforms


def _combined(fits: list[tuple[Fit, int | None, float | None]], target: Target) -> Fit:
    """A person's fit over their accounts, each weighted by its real audience (followers ×
    credibility; equal weights when none is known): the value is then effective reach /
    real audience. A dimension is flagged unknown when any weighed account lacks it."""
    if not fits:
        return audience_fit(None, target)
    if len(fits) == 1:  # most people: the account's own fit
        return fits[0][0]
    weights = [effective_reach([Account(followers, credibility, 1.0)])
               for _fit, followers, credibility in fits]
    if not any(weights):
        weights = [1.0] * len(fits)
    total = sum(weights)
    value = sum(w * fit.value for (fit, _f, _c), w in zip(fits, weights, strict=True)) / total
    factors: dict[str, float] = {}
    unknown: list[str] = []
    for dimension in target.dimensions():
        known = [(fit.factors[dimension], w) for (fit, _f, _c), w in
                 zip(fits, weights, strict=True) if w > 0 and dimension in fit.factors]
        if any(w > 0 and dimension in fit.unknown for (fit, _f, _c), w in
               zip(fits, weights, strict=True)):
            unknown.append(dimension)
        if known:
            factors[dimension] = sum(f * w for f, w in known) / sum(w for _f, w in known)
    return Fit(value=min(1.0, max(0.0, value)), factors=factors, unknown=tuple(unknown))


def _participants(campaign: Campaign, ids: list[int]) -> dict[int, tuple]:
    """influencer → (stage, proposed fee, agreed fee) for those in the campaign."""
    rows = db.session.execute(
        select(Participant.influencer_id, Participant.stage, Participant.proposed_fee_cents,
               Participant.agreed_fee_cents)
        .where(Participant.campaign_id == campaign.id, Participant.influencer_id.in_(ids)))
    return {owner: (stage, proposed, agreed) for owner, stage, proposed, agreed in rows}


def estimate_fee(accounts: list[tuple[str, int | None]], rates: dict[str, int]) -> int | None:
    """One post per account at its platform's CPM × followers / 1 000, in cents rounded up;
    None when an account with followers has no CPM or nobody has followers."""
    total, anyone = 0.0, False
    for platform, followers in accounts:
        if not followers or followers <= 0:
            continue
        if platform not in rates:
            return None
        anyone = True
        total += rates[platform] * followers / 1000
    cents = math.ceil(total)
    return cents if anyone and cents > 0 else None


def _fee(joined: tuple | None, accounts: list[tuple], rates: dict[str, int] | None
         ) -> tuple[int | None, str]:
    if joined is not None:
        _stage, proposed, agreed = joined
        if agreed is not None:
            return agreed, "agreed"
        if proposed is not None:
            return proposed, "proposed"
    if rates is not None:
        cents = estimate_fee([(a[1], a[2]) for a in accounts], rates)
        if cents is not None:
            return cents, "estimate"
    return None, "unknown"


def estimated_fees(campaign: Campaign, ids: list[int]) -> dict[int, int]:
    """influencer → their fee estimate (one post per account on the campaign's platforms at
    the platform CPM, as the candidates page estimates it), for those it can estimate."""
    if campaign.currency != platform_rates.RATE_CURRENCY or not ids:
        return {}
    rates = platform_rates.current_rates()
    found = {}
    for owner, accounts in _accounts(ids, scope_platforms(campaign)).items():
        cents = estimate_fee([(a[1], a[2]) for a in accounts], rates)
        if cents is not None:
            found[owner] = cents
    return found


# --- the list ------------------------------------------------------------------------------

def candidates(campaign: Campaign, *, platform: str | None = None, community: int | None = None,
               max_fee_cents: int | None = None, limit: int = POOL) -> Candidates:
    """The campaign's candidates ranked by score × fit (then score, then id). `max_fee_cents`
    keeps those whose known or estimated fee is within it (unknown fees are left out)."""
    run = scoring.latest_run()
    target = target_of(campaign)
    platforms = scope_platforms(campaign, platform)
    result = Candidates(run=run, targeted=bool(target.dimensions()), platforms=platforms,
                        estimates=campaign.currency == platform_rates.RATE_CURRENCY)
    if run is None:
        return result
    pool = _pool(run, platforms, community, max(1, min(int(limit), POOL)))
    result.pool, result.capped = len(pool), len(pool) >= limit
    if not pool:
        return result
    ids = [row[0] for row in pool]
    accounts = _accounts(ids, platforms)
    shares = _shares(ids, list(target.dimensions()))
    joined = _participants(campaign, ids)
    labels = dict(db.session.execute(
        select(Community.number, Community.label).where(
            Community.run_id == run.id,
            Community.number.in_({row[3] for row in pool if row[3] is not None}))).all())
    rates = platform_rates.current_rates() if result.estimates else None
    for ident, name, score, number in pool:
        mine = accounts.get(ident, [])
        fit, reach, followers, counted = _person(mine, shares, target)
        fee, source = _fee(joined.get(ident), mine, rates)
        if max_fee_cents is not None and (fee is None or fee > max_fee_cents):
            continue
        result.items.append(Candidate(
            influencer_id=ident, name=name, score=float(score), community=number,
            community_label=community_label(number, labels.get(number)), fit=fit,
            reach=reach, followers=followers, platforms=counted, fee_cents=fee,
            fee_source=source, stage=joined[ident][0] if ident in joined else None))
    result.items.sort(key=lambda c: (-c.rank, -c.score, c.influencer_id))
    return result
