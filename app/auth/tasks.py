"""The "forgot password" email, sent from a job: the page that asks for it answers at once,
in the same time whether the address belongs to an account or not."""

from __future__ import annotations

from app.auth import password_reset
from app.jobs import huey, job_app


@huey.task()
def email_reset_link(email: str, locale: str) -> None:
    """Email a link to the active account of `email`, if there is one
    (password_reset.email_link)."""
    with job_app().app_context():
        password_reset.email_link(email, locale)
