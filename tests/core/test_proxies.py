"""RELAIS_PROXIES: behind N reverse proxies the client's address comes from
X-Forwarded-For (login limits, signing evidence); without it the header is ignored, so
nobody can choose the address recorded for them."""

from __future__ import annotations

import pytest
from flask import request

from app import config as settings
from app import create_app


@pytest.mark.parametrize(("proxies", "expected"), [(0, "10.0.0.2"), (1, "203.0.113.9")])
def test_the_client_address_is_taken_from_the_trusted_proxy_only(tmp_path, database_url,
                                                                   proxies, expected):
    config = settings.TestConfig(str(tmp_path), database_url)
    config.RELAIS_PROXIES = proxies
    app = create_app(config)
    app.add_url_rule("/_address", "address", lambda: request.remote_addr or "")
    response = app.test_client().get(
        "/_address", environ_base={"REMOTE_ADDR": "10.0.0.2"},
        headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"})
    assert response.get_data(as_text=True) == expected
