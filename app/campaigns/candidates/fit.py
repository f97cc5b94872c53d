"""A campaign's candidates: the best-scored people of the latest scoring run, ranked by
score × audience fit to the campaign's target.

The pool is the top POOL scores of the latest run among active people (not trashed, not
"do not contact"), read through the score index, so the page costs the same at 100 000
influencers as at 100; the fit is then computed for that pool only, from the latest audience
snapshot of each account, in a handful of bulk queries (accounts, shares, participants,
community labels, platform rates and fee floors).

The fit (app/scoring/engine/fit.py documents the formula): per account, the geometric mean of
its per-dimension shares on target, so a measured good match scores high. A targeted
dimension an account's audience does not describe is estimated, never taken as a perfect
match: its prior is the median of the pool's accounts that measure it — on the same platform
when at least PRIOR_MIN_ACCOUNTS of them do, else on any — and the fit is badged "estimated".
The priors are worked out over the whole pool before the fee filter, so the candidates page
and the ambassador proposal give everyone the same fit.

Accounts counted: those on the platforms in scope — the platform filter when one is chosen,
else the campaign's target platforms, else all. A person's fit is the mean of their accounts'
fits weighted by real audience (followers × credibility); their effective reach is Σ
followers × credibility × the joint share on target (the product of the shares, priors
included): the target people they reach.

Fees: fees.py (known, or estimated from the CPM with a floor per platform and tier).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import exists, select

from app.campaigns.candidates import fees as candidate_fees
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
from app.scoring.engine.fit import (
    PRIOR_MIN_ACCOUNTS,
    Account,
    Fit,
    Target,
    audience_fit,
    effective_reach,
    median_priors,
    priors_for,
    with_priors,
)

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
    prior_accounts: int = PRIOR_MIN_ACCOUNTS  # measured accounts a platform's own prior needs


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


def _measured(accounts: dict[int, list[tuple]], shares, target: Target
              ) -> tuple[dict[int, list[Fit]], dict[str | None, dict[str, float]]]:
    """Each account's measured fit (influencer → one per account, in order) and the priors
    of the unknown dimensions, from the pool's accounts that measure them."""
    measured = {owner: [audience_fit(shares.get(account[0]), target) for account in mine]
                for owner, mine in accounts.items()}
    priors = median_priors((account[1], fit) for owner, mine in accounts.items()
                           for account, fit in zip(mine, measured[owner], strict=True))
    return measured, priors


def _person(accounts: list[tuple], measured: list[Fit], priors, target: Target
            ) -> tuple[Fit, float, int, tuple[str, ...]]:
    fits = [(with_priors(fit, priors_for(priors, platform)), followers, credibility)
            for (_id, platform, followers, credibility), fit in
            zip(accounts, measured, strict=True)]
    reach = effective_reach(Account(followers, credibility, fit) for fit, followers, credibility
                            in fits)
    followers = sum(f for _fit, f, _c in fits if isinstance(f, int) and f > 0)
    platforms = tuple(dict.fromkeys(a[1] for a in accounts))
    if not fits:  # no account in scope: the priors across platforms
        return audience_fit(None, target, priors_for(priors, None)), reach, followers, platforms
    return _combined(fits, target), reach, followers, platforms


def _weighted(pairs: list[tuple[float, float]]) -> float:
    return sum(value * w for value, w in pairs) / sum(w for _v, w in pairs)


def _combined(fits: list[tuple[Fit, int | None, float | None]], target: Target) -> Fit:
    """A person's fit over their accounts, each weighted by its real audience (followers ×
    credibility; equal weights when none is known): `joint` is then effective reach / real
    audience. A dimension is estimated when any weighed account lacks it; its prior shown is
    the weighted mean of those accounts' priors."""
    if len(fits) == 1:  # most people: the account's own fit
        return fits[0][0]
    weights = [effective_reach([Account(followers, credibility, 1.0)])
               for _fit, followers, credibility in fits]
    if not any(weights):
        weights = [1.0] * len(fits)
    weighed = [(fit, w) for (fit, _f, _c), w in zip(fits, weights, strict=True) if w > 0]
    factors: dict[str, float] = {}
    priors: dict[str, float] = {}
    for dimension in target.dimensions():
        known = [(fit.factors[dimension], w) for fit, w in weighed if dimension in fit.factors]
        guessed = [(fit.priors[dimension], w) for fit, w in weighed if dimension in fit.priors]
        if known:
            factors[dimension] = _weighted(known)
        if guessed:
            priors[dimension] = _weighted(guessed)
    value = _weighted([(fit.value, w) for fit, w in weighed])
    joint = _weighted([(fit.joint, w) for fit, w in weighed])
    return Fit(value=min(1.0, max(0.0, value)), factors=factors, unknown=tuple(priors),
               priors=priors, joint=min(1.0, max(0.0, joint)))


def _participants(campaign: Campaign, ids: list[int]) -> dict[int, tuple]:
    """influencer → (stage, proposed fee, agreed fee) for those in the campaign."""
    rows = db.session.execute(
        select(Participant.influencer_id, Participant.stage, Participant.proposed_fee_cents,
               Participant.agreed_fee_cents)
        .where(Participant.campaign_id == campaign.id, Participant.influencer_id.in_(ids)))
    return {owner: (stage, proposed, agreed) for owner, stage, proposed, agreed in rows}


def estimated_fees(campaign: Campaign, ids: list[int]) -> dict[int, int]:
    """influencer → their fee estimate (one post per account on the campaign's platforms, as
    the candidates page estimates it), for those it can estimate."""
    if not ids:
        return {}
    return candidate_fees.estimated_fees(campaign, _accounts(ids, scope_platforms(campaign)))


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
    measured, priors = _measured(accounts, shares, target)
    pricing = candidate_fees.current_pricing() if result.estimates else None
    for ident, name, score, number in pool:
        mine = accounts.get(ident, [])
        fit, reach, followers, counted = _person(mine, measured.get(ident, []), priors, target)
        fee, source = candidate_fees.fee_of(joined.get(ident), mine, pricing)
        if max_fee_cents is not None and (fee is None or fee > max_fee_cents):
            continue
        result.items.append(Candidate(
            influencer_id=ident, name=name, score=float(score), community=number,
            community_label=community_label(number, labels.get(number)), fit=fit,
            reach=reach, followers=followers, platforms=counted, fee_cents=fee,
            fee_source=source, stage=joined[ident][0] if ident in joined else None))
    result.items.sort(key=lambda c: (-c.rank, -c.score, c.influencer_id))
    return result
