"""The contracts' background job: every contract of a campaign as one ZIP."""

from __future__ import annotations

from app.contracts import batches
from app.jobs import huey, job_app


@huey.task()
def render_contract_batch(batch_id: int) -> None:
    """The ZIP of a campaign's contracts (batches.run): the row
    carries the progress the page polls."""
    with job_app().app_context():
        batches.run(batch_id)
