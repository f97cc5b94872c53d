"""bench/load_list compares Relais with a reference page of the same weight: the reference
app must render about the byte size it is asked for, and no database."""

from __future__ import annotations

import pytest

from bench import reference_app


@pytest.mark.parametrize("size", [20_000, 45_000, 125_000])
def test_the_reference_page_weighs_what_it_is_asked(size):
    client = reference_app.create_app(size).test_client()
    page = client.get("/influencers/")
    assert page.status_code == 200
    assert abs(len(page.data) - size) < 600  # within one table row
    assert b"Marie-H\xc3\xa9l\xc3\xa8ne Dupont &amp; Cie" in page.data  # escaped, as Jinja does
