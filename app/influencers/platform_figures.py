"""One platform's figures in the influencer list: with a platform chosen, the followers and
engagement that the list filters, sorts and shows (and that its exports write) are those of
the person's account on that platform, not the all-platform figures copied onto the
influencer row."""

from __future__ import annotations

from sqlalchemy import and_, exists, func, or_
from sqlalchemy.orm import aliased

from app.models import Influencer, SocialAccount


def platform_account(platform: str):
    """(account, condition): the alias of a person's account on `platform` whose figures
    the list shows, their biggest there (most followers, then the first added; nearly
    always their only one), and the condition tying it to the influencer row."""
    account = aliased(SocialAccount, name="platform_account")
    other = aliased(SocialAccount, name="bigger_account")
    mine, theirs = func.coalesce(account.followers, 0), func.coalesce(other.followers, 0)
    bigger = exists().where(other.influencer_id == account.influencer_id,
                            other.platform == platform,
                            or_(theirs > mine, and_(theirs == mine, other.id < account.id)))
    return account, and_(account.influencer_id == Influencer.id, account.platform == platform,
                         ~bigger)


def main_account(person: Influencer, platform: str) -> SocialAccount | None:
    """`platform_account` of a loaded person."""
    return max((a for a in person.accounts if a.platform == platform), default=None,
               key=lambda a: (a.followers or 0, -(a.id or 0)))


def platform_accounts(person: Influencer, platform: str | None) -> list[SocialAccount]:
    """The accounts a list row stands for: the person's on `platform`, or all of them."""
    return [a for a in person.accounts if platform is None or a.platform == platform]


def page_figures(people: list[Influencer], platform: str | None
                 ) -> dict[int, tuple[int | None, float | None]]:
    """influencer → (followers, engagement) as the list shows them: on `platform`'s
    account when one is chosen, else over every account."""
    if platform is None:
        return {p.id: (p.followers_total, p.engagement_rate) for p in people}
    accounts = {p.id: main_account(p, platform) for p in people}
    return {ident: (a.followers, a.engagement_rate) if a else (None, None)
            for ident, a in accounts.items()}
