"""The services' one error vocabulary (ServiceError, NotFound, NotAllowed, Stale, Conflict),
a workflow step (Transition), and the save of a versioned record under optimistic locking.

Services are plain functions that read and write the database and own their transaction;
views, CLI commands and background jobs all call them, and none of them takes a request.
A refusal is a ServiceError whose message the user can act on.
"""

from dataclasses import dataclass

from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db


class ServiceError(Exception):
    """A refusal the user can act on; the message is shown as is."""


class NotFound(ServiceError):
    pass


class NotAllowed(ServiceError):
    """The user's role does not allow this (the views answer 403)."""


class Stale(ServiceError):
    """A workflow step on a record that changed since the page was opened."""


@dataclass(frozen=True)
class Transition:
    """One step of a workflow (operations, contracts): the statuses it starts from, the
    status it leads to, and the least role that may take it."""

    sources: tuple[str, ...]
    target: str
    role: str


class Conflict(ServiceError):
    """A stale save: someone else changed the record since the form was opened."""

    def __init__(self, current, submitted: dict):
        super().__init__("conflict")
        self.current = current
        self.submitted = submitted


def commit_or_conflict(record, values: dict) -> None:
    """Commit the edit of a versioned `record`; when another save slipped in between our
    read and our UPDATE, roll back and raise Conflict with the record as it is now."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(record)
        raise Conflict(record, values) from None


def check_version(record, values: dict, expected_version: int | None) -> None:
    """Raise Conflict when the form was opened on another version of `record`."""
    if expected_version is None or expected_version != record.version:
        raise Conflict(record, values)


def save_versioned(record, values: dict, expected_version: int | None):
    """Save a form's `values` over a versioned `record` unless someone saved it since the
    form was opened (Conflict, before or during the commit). → the record."""
    check_version(record, values, expected_version)
    for key, value in values.items():
        setattr(record, key, value)
    commit_or_conflict(record, values)
    return record
