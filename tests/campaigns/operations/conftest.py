"""The operations' tests: a small campaign to import metrics into (the service, the page and
the command), and readers of what was stored.

Léa has an Instagram and a TikTok account and three operations (two on 14 March, one per
platform); Hugo has one TikTok operation. Another campaign holds an operation of Hugo's that
no file of the first campaign may touch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from app.codes import METRICS
from app.models import AuditEvent, Operation, SocialAccount
from tests.factories import make_campaign, make_influencer, make_operation, make_participant


@dataclass
class Setting:
    campaign_id: int
    other_campaign_id: int
    insta: int  # Léa, Instagram post, planned 14/03
    tiktok: int  # Léa, TikTok video, planned 14/03
    story: int  # Léa, Instagram story, planned 20/03, published 21/03
    hugo: int  # Hugo, TikTok video, planned 15/03
    elsewhere: int  # Hugo, in the other campaign


@pytest.fixture()
def build_setting(db):
    """Builds the campaigns above (operations by id): `build_setting(currency="USD")`."""

    def build(currency: str = "EUR") -> Setting:
        lea = make_influencer(display_name="Léa Martin", accounts=[
            {"platform": "instagram", "handle": "lea.mode", "followers": 52_000},
            {"platform": "tiktok", "handle": "lea.tt", "followers": 12_000}])
        hugo = make_influencer(display_name="Hugo Run", accounts=[
            {"platform": "tiktok", "handle": "hugo.run", "followers": 8_000}])
        campaign = make_campaign(name="Printemps", currency=currency)
        other = make_campaign(name="Autre")
        p_lea = make_participant(campaign=campaign, influencer=lea, stage="live")
        p_hugo = make_participant(campaign=campaign, influencer=hugo, stage="live")
        p_other = make_participant(campaign=other, influencer=hugo)
        march = 3
        return Setting(
            campaign_id=campaign.id, other_campaign_id=other.id,
            insta=make_operation(p_lea, platform="instagram", kind="post",
                                 planned_on=date(2025, march, 14)).id,
            tiktok=make_operation(p_lea, platform="tiktok", kind="video",
                                  planned_on=date(2025, march, 14)).id,
            story=make_operation(p_lea, platform="instagram", kind="story",
                                 planned_on=date(2025, march, 20),
                                 published_on=date(2025, march, 21)).id,
            hugo=make_operation(p_hugo, platform="tiktok", kind="video",
                                planned_on=date(2025, march, 15)).id,
            elsewhere=make_operation(p_other, platform="tiktok",
                                     planned_on=date(2025, march, 15)).id,
        )

    return build


@pytest.fixture()
def s(build_setting) -> Setting:
    """The campaigns above, in euros."""
    return build_setting()


@pytest.fixture()
def metrics_file(tmp_path):
    """Writes a file into the test's folder and gives its path:
    `metrics_file("operation_id;likes\\n12;5\\n", "cp1252", name="stats.csv")`."""

    def write(text: str | bytes, encoding: str = "utf-8", name: str = "metrics.csv") -> str:
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
        return str(path)

    return write


@pytest.fixture()
def stored_metrics(db):
    """The stored metrics of an operation (money in cents), read afresh."""

    def read(operation_id: int) -> dict[str, int | None]:
        db.session.expire_all()
        op = db.session.get(Operation, operation_id)
        return {m: getattr(op, f"{m}_cents" if m in ("revenue", "cost") else m)
                for m in METRICS}

    return read


@pytest.fixture()
def measured(stored_metrics):
    """Only the metrics of an operation that are set."""
    return lambda operation_id: {k: v for k, v in stored_metrics(operation_id).items()
                                 if v is not None}


@pytest.fixture()
def snapshot(db):
    """Every operation's metrics and bookkeeping columns, to prove nothing changed."""

    def take() -> list[tuple]:
        db.session.expire_all()
        columns = [getattr(Operation, f"{m}_cents" if m in ("revenue", "cost") else m)
                   for m in METRICS]
        return [tuple(row) for row in db.session.execute(
            select(Operation.id, Operation.version, Operation.metrics_source,
                   Operation.metrics_updated_at, *columns).order_by(Operation.id))]

    return take


@pytest.fixture()
def audit_count(db):
    """The number of audit events, read afresh."""

    def count() -> int:
        db.session.expire_all()
        return db.session.scalar(select(func.count()).select_from(AuditEvent))

    return count


@pytest.fixture()
def publishable(db):
    """`publishable(operation)`: gives the operation's influencer an account on the
    operation's platform (an operation is published only where the person has one)."""

    def give(operation: Operation) -> Operation:
        influencer = operation.participant.influencer
        if not any(a.platform == operation.platform for a in influencer.accounts):
            influencer.accounts.append(SocialAccount(
                platform=operation.platform, handle=f"{operation.platform}.{influencer.id}"))
            db.session.commit()
        return operation

    return give
