"""The example metrics file of a campaign: one row per operation (its number, participant,
platform, handle, kind and planned date) and empty metric columns, for teams to fill in a
spreadsheet and import back (app/campaigns/operations/metrics_import.py reads it)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from sqlalchemy import select

from app.codes import METRICS
from app.core.csv_output import neutralise_formula
from app.extensions import db
from app.imports.parsing.handles import HandleError, platform_from_name
from app.models import Influencer, Operation, Participant, SocialAccount


def template_rows(campaign_id: int) -> Iterator[tuple[int, str, str, str, str, date | None]]:
    """(operation id, participant, platform, handle, kind, planned date) per operation."""
    handles: dict[tuple[int, str], str] = {}
    for influencer_id, platform, handle in db.session.execute(
            select(SocialAccount.influencer_id, SocialAccount.platform, SocialAccount.handle)
            .join(Participant, Participant.influencer_id == SocialAccount.influencer_id)
            .where(Participant.campaign_id == campaign_id).order_by(SocialAccount.id)):
        handles.setdefault((influencer_id, platform), handle)
    query = (select(Operation.id, Influencer.display_name, Influencer.id, Operation.platform,
                    Operation.kind, Operation.planned_on)
             .join(Participant, Participant.id == Operation.participant_id)
             .join(Influencer, Influencer.id == Participant.influencer_id)
             .where(Operation.campaign_id == campaign_id)
             .order_by(Operation.planned_on.is_(None), Operation.planned_on, Operation.id))
    for op_id, name, influencer_id, platform, kind, planned_on in db.session.execute(query):
        yield op_id, name, platform, handles.get((influencer_id, platform), ""), kind, planned_on


def _platform_cell(platform: str, show_code) -> str:
    """The platform's name in the user's language when the import reads it back as the same
    platform, its code otherwise."""
    shown = str(show_code("platform", platform))
    try:
        return shown if platform_from_name(shown) == platform else platform
    except HandleError:
        return platform


def write_template(out: io.TextIOBase, campaign_id: int, headers: list[str], delimiter: str,
                   show_date, show_code) -> int:
    """The example CSV: one row per operation, metric columns left empty. `headers` name the
    six identifying columns then the metrics (in the user's language); `show_date` and
    `show_code(group, code)` format the cells. → the number of operations written."""
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([neutralise_formula(h) for h in headers])
    count = 0
    for op_id, name, platform, handle, kind, planned_on in template_rows(campaign_id):
        writer.writerow([op_id, neutralise_formula(name or ""),
                         _platform_cell(platform, show_code), neutralise_formula(handle),
                         neutralise_formula(str(show_code("operation_kind", kind))),
                         show_date(planned_on) if planned_on else "",
                         *([""] * len(METRICS))])
        count += 1
    return count
