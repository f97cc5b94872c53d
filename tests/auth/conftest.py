"""The auth tests' shared fixtures: the signing tests' SMTP sink (a real SMTP conversation
over TCP), the mails it received, and the reset links' jobs held in the queue."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from app.jobs import huey


@pytest.fixture()
def received(smtp):
    """The messages the sink received, parsed: `received()` → [EmailMessage]."""
    return lambda: [message_from_bytes(data, policy=policy.default)
                    for _envelope, data in smtp.messages]


@pytest.fixture()
def queued():
    """Jobs wait in the queue instead of running inline: `huey.pending()` lists them."""
    huey.immediate = False
    try:
        yield huey
    finally:
        huey.flush()
        huey.immediate = True
