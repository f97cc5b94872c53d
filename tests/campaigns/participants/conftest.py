"""Helpers shared by the participants' page tests: the page's address, its text, a campaign."""

from __future__ import annotations

import re

import pytest

from tests import factories


def _url(campaign, rest: str = "") -> str:
    return f"/campaigns/{campaign.id}/participants{rest}"


@pytest.fixture()
def url():
    """`url(campaign, rest: str='')`: the participants page's address (rest appended)."""
    return _url


def _text_of(response) -> str:
    """The page's text with tags dropped and spaces folded (French numbers hold NBSPs)."""
    html = re.sub(r"</?(a|em|strong|span|small|abbr|time)\b[^>]*>", "",
                  response.get_data(as_text=True))
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\u202f", " ")
                    .replace("\xa0", " ").split())


@pytest.fixture()
def text_of():
    """`text_of(response)`: the page's text, tags dropped and spaces folded (NBSPs too)."""
    return _text_of


@pytest.fixture()
def campaign(db):
    return factories.make_campaign(name="Lancement été", budget_cents=300_000)
