"""Operations (deliverables): planning, editing, the approval workflow and hand-typed metrics.

The workflow is explicit: a member submits a planned operation, a manager approves it or
requests changes with a comment, and only an approved operation can be marked published
(not before its campaign starts, on a platform where the person has an account); its
participant then goes "live".
Every refusal is a ServiceError the user can read; a role refusal is
`NotAllowed` (the views answer 403). Callers pass the acting user, so the CLI and jobs can
drive the same functions without a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app.campaigns.participants.service import campaign_platforms
from app.campaigns.participants.stages import AfterPublication, follow_publication
from app.codes import COUNT_METRICS
from app.core.errors import (
    Conflict,
    NotAllowed,
    NotFound,
    ServiceError,
    Stale,
    Transition,
    check_version,
)
from app.extensions import db
from app.i18n.formats import day
from app.i18n.labels import label
from app.models import Campaign, Influencer, Operation, Participant, SocialAccount, User
from app.models.base import utcnow
from app.models.campaign import OPERATION_KINDS
from app.models.influencer import PLATFORMS

# What a form may write; status, review and metrics go through their own functions.
FIELDS = ("participant_id", "kind", "platform", "planned_on", "brief", "caption")
# Changing these on an approved operation needs a new approval.
REVIEWED_FIELDS = ("brief", "caption")
EDITABLE = ("planned", "changes_requested", "approved")
# Metric columns as stored: counts, then money in cents.
METRIC_COLUMNS = (*COUNT_METRICS, "revenue_cents", "cost_cents")
METRIC_MAX = 100_000_000_000
TEXT_MAX = {"brief": 10_000, "caption": 5_000}
COMMENT_MAX = 2_000
URL_MAX = 500
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2100, 12, 31)


TRANSITIONS = {
    "submit": Transition(("planned", "changes_requested"), "submitted", "member"),
    "approve": Transition(("submitted",), "approved", "manager"),
    "request_changes": Transition(("submitted",), "changes_requested", "manager"),
    "publish": Transition(("approved",), "published", "member"),
}


def _refusal(action: str, status: str) -> str:
    current = label("operation_status", status)
    return {
        "submit": _("Only a planned operation, or one with changes requested, can be "
                    "submitted for approval (this one is: %(status)s).", status=current),
        "approve": _("Only an operation submitted for approval can be approved (this one "
                     "is: %(status)s).", status=current),
        "request_changes": _("Changes can be requested only on an operation submitted for "
                             "approval (this one is: %(status)s).", status=current),
        "publish": _("Only an approved operation can be marked published (this one is: "
                     "%(status)s).", status=current),
    }[action]


def can(action: str, operation: Operation, user: User) -> bool:
    """Whether `user` may do `action` now: drives which buttons a page shows."""
    if not user.has_role("member"):
        return False
    if action in TRANSITIONS:
        step = TRANSITIONS[action]
        return operation.status in step.sources and user.has_role(step.role)
    return {
        "edit": operation.status in EDITABLE,
        "delete": operation.status != "published",
        "metrics": operation.status == "published",
    }.get(action, False)


# --- reading ------------------------------------------------------------------------------

def get_operation(campaign_id: int, operation_id: int) -> Operation:
    """The operation, only if it belongs to that (live) campaign: ids in URLs are checked."""
    operation = db.session.scalar(
        select(Operation).where(Operation.id == operation_id)
        .options(joinedload(Operation.participant).joinedload(Participant.influencer),
                 joinedload(Operation.campaign)))
    if (operation is None or operation.campaign_id != campaign_id
            or operation.campaign.deleted_at is not None):
        raise NotFound(_("This operation does not exist or was deleted."))
    return operation


@dataclass(frozen=True)
class ParticipantOption:
    id: int
    name: str
    main_platform: str | None


def platform_choices(campaign: Campaign, keep: str | None = None) -> tuple[str, ...]:
    """The platforms an operation of this campaign may be on: the campaign's (every one
    when it names none), and `keep`, the one an edited operation already has."""
    allowed = campaign_platforms(campaign) or PLATFORMS
    return allowed if keep is None or keep in allowed else (*allowed, keep)


def participant_options(campaign_id: int, keep: int | None = None) -> list[ParticipantOption]:
    """Who an operation can be planned for: the campaign's participants not declined (and
    `keep`, the one an edited operation already has), with the platform of their biggest
    account among the campaign's platforms."""
    allowed = set(platform_choices(db.session.get(Campaign, campaign_id)))
    rows = db.session.execute(
        select(Participant.id, Participant.influencer_id, Participant.stage,
               Influencer.display_name)
        .join(Influencer, Influencer.id == Participant.influencer_id)
        .where(Participant.campaign_id == campaign_id)
        .order_by(Influencer.sort_name, Participant.id)).all()
    rows = [r for r in rows if r.stage != "declined" or r.id == keep]
    main: dict[int, tuple[int, str]] = {}
    if rows:
        for influencer_id, platform, followers in db.session.execute(
                select(SocialAccount.influencer_id, SocialAccount.platform,
                       SocialAccount.followers)
                .join(Participant, Participant.influencer_id == SocialAccount.influencer_id)
                .where(Participant.campaign_id == campaign_id)
                .order_by(SocialAccount.id)):
            if platform not in allowed:
                continue
            if influencer_id not in main or (followers or 0) > main[influencer_id][0]:
                main[influencer_id] = (followers or 0, platform)
    return [ParticipantOption(r.id, r.display_name, main.get(r.influencer_id, (0, None))[1])
            for r in rows]


# --- planning and editing -------------------------------------------------------------------

def _clean(campaign: Campaign, data: dict[str, Any], keep: int | None,
           keep_platform: str | None = None) -> dict[str, Any]:
    values = {key: data.get(key) for key in FIELDS}
    for key in ("brief", "caption", "platform"):
        if isinstance(values[key], str):
            values[key] = values[key].strip() or None
    for key, limit in TEXT_MAX.items():
        if values[key] and len(values[key]) > limit:
            raise ServiceError(_("%(field)s is too long (%(n)d characters at most).",
                                 field=label("field", key), n=limit))
    options = {o.id: o for o in participant_options(campaign.id, keep=keep)}
    try:
        chosen = options.get(int(values["participant_id"]))
    except (TypeError, ValueError):
        chosen = None
    if chosen is None:
        raise ServiceError(_("Choose a participant of this campaign who has not declined."))
    values["participant_id"] = chosen.id
    if values["kind"] not in OPERATION_KINDS:
        raise ServiceError(_("Choose the kind of operation."))
    allowed = platform_choices(campaign, keep=keep_platform)
    if not values["platform"]:
        values["platform"] = chosen.main_platform
        if values["platform"] is None:
            raise ServiceError(_("%(name)s has no account on the campaign's platforms yet: "
                                 "choose the platform.", name=chosen.name))
    if values["platform"] not in PLATFORMS:
        raise ServiceError(_("Unknown platform: %(platform)s.", platform=values["platform"]))
    if values["platform"] not in allowed:
        raise ServiceError(_("%(platform)s is not one of the campaign's platforms "
                             "(%(platforms)s).", platform=label("platform", values["platform"]),
                             platforms=", ".join(label("platform", p) for p in allowed)))
    planned = values["planned_on"]
    if planned is not None and not (isinstance(planned, date) and FIRST_DAY <= planned <= LAST_DAY):
        raise ServiceError(_("Type a date between 1970 and 2100."))
    return values


def date_warning(campaign: Campaign, planned_on: date | None) -> str | None:
    """A date outside the campaign's dates is allowed (plans slip) but said."""
    if planned_on is None:
        return None
    if campaign.starts_on and planned_on < campaign.starts_on:
        return _("The planned date is before the campaign starts (%(day)s).",
                 day=campaign.starts_on.isoformat())
    if campaign.ends_on and planned_on > campaign.ends_on:
        return _("The planned date is after the campaign ends (%(day)s).",
                 day=campaign.ends_on.isoformat())
    return None


def plan_operation(campaign: Campaign, data: dict[str, Any], user: User) -> Operation:
    _require(user, "member")
    values = _clean(campaign, data, keep=None)
    operation = Operation(campaign_id=campaign.id, status="planned", created_by_id=user.id,
                          **values)
    db.session.add(operation)
    db.session.commit()
    return operation


def update_operation(operation: Operation, data: dict[str, Any], expected_version: int | None,
                     user: User) -> bool:
    """Save the form; True when the edit sent an approved operation back for approval."""
    _require(user, "member")
    if operation.status not in EDITABLE:
        raise ServiceError(_("This operation is %(status)s: it can no longer be edited.",
                             status=label("operation_status", operation.status)))
    values = _clean(operation.campaign, data, keep=operation.participant_id,
                    keep_platform=operation.platform)
    check_version(operation, values, expected_version)
    resubmit = operation.status == "approved" and any(
        (getattr(operation, key) or None) != values[key] for key in REVIEWED_FIELDS)
    for key, value in values.items():
        setattr(operation, key, value)
    if resubmit:
        operation.status = "submitted"
        operation.submitted_at, operation.submitted_by_id = utcnow(), user.id
    _commit(operation, values)
    return resubmit


def delete_operation(operation: Operation, user: User) -> None:
    _require(user, "member")
    if operation.status == "published":
        raise ServiceError(_("A published operation cannot be deleted: its metrics count in "
                             "the campaign's results."))
    db.session.delete(operation)
    db.session.commit()


# --- the workflow ----------------------------------------------------------------------------

def _require(user: User, role: str) -> None:
    if not user.has_role(role):
        raise NotAllowed(_("You do not have the rights to do this."))


def _check(operation: Operation, action: str, user: User, expected_version: int | None) -> None:
    step = TRANSITIONS[action]
    _require(user, step.role)
    if operation.status not in step.sources:
        raise ServiceError(_refusal(action, operation.status))
    if expected_version is not None and expected_version != operation.version:
        raise Stale(_("Someone changed this operation since you opened it; check it again "
                      "before going on."))


def _step(operation: Operation, action: str, user: User, expected_version: int | None) -> None:
    _check(operation, action, user, expected_version)
    operation.status = TRANSITIONS[action].target


def _commit(operation: Operation, values: dict | None = None) -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(operation)
        if values is not None:
            raise Conflict(operation, values) from None
        raise Stale(_("Someone changed this operation at the same time; check it again "
                      "before going on.")) from None


def submit(operation: Operation, user: User, expected_version: int | None = None) -> None:
    _step(operation, "submit", user, expected_version)
    operation.submitted_at, operation.submitted_by_id = utcnow(), user.id
    _commit(operation)


def approve(operation: Operation, user: User, expected_version: int | None = None) -> None:
    _step(operation, "approve", user, expected_version)
    operation.reviewed_at, operation.reviewed_by_id = utcnow(), user.id
    operation.review_comment = None
    _commit(operation)


def request_changes(operation: Operation, user: User, comment: str | None,
                    expected_version: int | None = None) -> None:
    comment = (comment or "").strip()
    _check(operation, "request_changes", user, expected_version)
    if not comment:
        raise ServiceError(_("Say what should change: the comment is required."))
    if len(comment) > COMMENT_MAX:
        raise ServiceError(_("The comment is too long (%(n)d characters at most).",
                             n=COMMENT_MAX))
    _step(operation, "request_changes", user, expected_version)
    operation.reviewed_at, operation.reviewed_by_id = utcnow(), user.id
    operation.review_comment = comment
    _commit(operation)


def published_url_problem(url: str | None) -> str | None:
    if not url or not url.strip():
        return _("Give the address of the publication.")
    url = url.strip()
    parts = urlsplit(url)
    if (parts.scheme.lower() not in {"http", "https"} or not parts.hostname
            or any(c.isspace() for c in url)):
        return _("Type a full http:// or https:// address, e.g. https://www.instagram.com/p/…")
    if len(url) > URL_MAX:
        return _("The address is too long (%(n)d characters at most).", n=URL_MAX)
    return None


def published_on_problem(published_on: date | None) -> str | None:
    if published_on is None:
        return _("Give the date of the publication.")
    if published_on > date.today() + timedelta(days=1):
        return _("The publication date cannot be in the future.")
    if published_on < FIRST_DAY:
        return _("Type a date between 1970 and 2100.")
    return None


def publication_problem(operation: Operation, published_on: date) -> str | None:
    """Why this operation cannot be published on that day, or None: not before its
    campaign starts, and only on a platform where the person has an account."""
    starts_on = operation.campaign.starts_on
    if starts_on and published_on < starts_on:
        return _("The operation cannot be published before the campaign starts (on "
                 "%(day)s).", day=day(starts_on, "long"))
    has_account = db.session.scalar(
        select(func.count()).select_from(SocialAccount)
        .where(SocialAccount.influencer_id == operation.participant.influencer_id,
               SocialAccount.platform == operation.platform))
    if not has_account:
        return _("%(name)s has no %(platform)s account: add it to their profile, or plan "
                 "the operation on another platform.",
                 name=operation.participant.influencer.display_name,
                 platform=label("platform", operation.platform))
    return None


def publish(operation: Operation, user: User, url: str | None, published_on: date | None,
            metrics: dict[str, int | None] | None = None,
            expected_version: int | None = None) -> AfterPublication:
    """Mark an approved operation published, with its metrics when they are known; its
    participant goes "live" in the same transaction. → what happened to the participant."""
    _check(operation, "publish", user, expected_version)
    problem = (published_url_problem(url) or published_on_problem(published_on)
               or publication_problem(operation, published_on))
    if problem:
        raise ServiceError(problem)
    clean_metrics = _clean_metrics(metrics) if metrics else {}
    _step(operation, "publish", user, expected_version)
    operation.published_url, operation.published_on = url.strip(), published_on
    if any(v is not None for v in clean_metrics.values()):
        _set_metrics(operation, clean_metrics)
    after = follow_publication(operation.participant, user.id, utcnow())
    _commit(operation)
    return after


def _clean_metrics(values: dict[str, int | None]) -> dict[str, int | None]:
    clean: dict[str, int | None] = {}
    for name in METRIC_COLUMNS:
        value = values.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 0 <= value <= METRIC_MAX):
            raise ServiceError(_("%(metric)s: type a whole number, 0 or more.",
                                 metric=label("metric", name.removesuffix("_cents"))))
        clean[name] = value
    return clean


def _set_metrics(operation: Operation, values: dict[str, int | None]) -> None:
    for name, value in values.items():
        setattr(operation, name, value)
    known = any(v is not None for v in values.values())
    operation.metrics_source = "manual" if known else None
    operation.metrics_updated_at = utcnow()


def record_metrics(operation: Operation, user: User, values: dict[str, int | None],
                   expected_version: int | None = None) -> None:
    """Typed metrics replace the stored ones: an empty field is "not known" (None), 0 is
    zero. Only for published operations: before that there is nothing to measure."""
    _require(user, "member")
    if operation.status != "published":
        raise ServiceError(_("Metrics can be entered once the operation is published."))
    clean = _clean_metrics(values)
    if expected_version is not None and expected_version != operation.version:
        raise Stale(_("Someone changed this operation since you opened it; check the "
                      "metrics again before saving."))
    _set_metrics(operation, clean)
    _commit(operation)
