"""Services: plain functions that read and write the database and own the transaction.

Views, CLI commands and background jobs all call these; none of them takes a request.
"""


class ServiceError(Exception):
    """A refusal the user can act on; the message is shown as is."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """A stale save: someone else changed the record since the form was opened."""

    def __init__(self, current, submitted: dict):
        super().__init__("conflict")
        self.current = current
        self.submitted = submitted
