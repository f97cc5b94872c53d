"""Helpers shared by the campaign page tests."""

from __future__ import annotations

import pytest


def _html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture()
def html():
    """`html(response)`: the response's body as text."""
    return _html
