"""Access matrix generated from `app.url_map`: every route, present and future.

Anonymous → login (302, or 401 under /api/); a viewer → 403 on every write; every view
carries `role_required`; nothing that changes state answers GET.
"""

from __future__ import annotations

import uuid

import pytest

PUBLIC = {"static", "main.vendor", "main.health", "auth.login",
          # A visitor chooses the login page's language.
          "language.switch",
          # A forgotten password: the single-use link in the address is the credential.
          "auth.forgot", "auth.reset",
          # A signer is not a user: the single-use link in the address is the credential.
          "signing.page", "signing.document", "signing.sign", "signing.signed_copy"}
# Writes any logged-in user may make: on their own account only.
OWN_ACCOUNT_WRITES = {"auth.logout", "admin.profile", "admin.change_password",
                      # and one's own saved views of the influencer list
                      "influencers.save_view", "influencers.rename_view",
                      "influencers.delete_view"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
STATE_CHANGING_WORDS = ("delete", "erase", "restore", "logout", "purge", "bulk", "deactivate")


def _dummy_url(app, rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__.lower()
        if "int" in converter or "float" in converter:
            values[name] = 999999
        elif "uuid" in converter:
            values[name] = uuid.UUID(int=0)
        else:
            values[name] = "x"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC),
                  key=lambda r: (r.rule, r.endpoint))


def _went_to_login(response, path: str) -> bool:
    if path.startswith("/api/"):
        return response.status_code == 401
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


@pytest.mark.slow
def test_anonymous_is_sent_to_login_everywhere(app, client):
    endpoints = {rule.endpoint for rule in _rules(app)}
    assert {"brands.edit", "admin.set_active", "influencers.show"} <= endpoints  # not vacuous
    failures = []
    for rule in _rules(app):
        url = _dummy_url(app, rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if not _went_to_login(response, url):
                failures.append(f"{method} {url} ({rule.endpoint}) → {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.slow
def test_viewer_gets_403_on_every_write(app, viewer_client):
    failures = []
    for rule in _rules(app):
        if rule.endpoint in OWN_ACCOUNT_WRITES:
            continue
        url = _dummy_url(app, rule)
        for method in sorted(rule.methods - SAFE_METHODS):
            response = viewer_client.open(url, method=method)
            if response.status_code != 403:
                failures.append(f"{method} {url} ({rule.endpoint}) → {response.status_code}")
    assert not failures, "\n".join(failures)


def test_every_view_declares_its_role(app):
    missing = []
    for rule in _rules(app):
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "auth.logout":
            continue  # any logged-in user, whatever the role
        if getattr(view, "required_role", None) is None:
            missing.append(rule.endpoint)
    assert not missing, f"views without @role_required: {sorted(set(missing))}"


def test_writes_need_more_than_viewer_except_own_account(app):
    lenient = []
    for rule in _rules(app):
        if not rule.methods - SAFE_METHODS or rule.endpoint in OWN_ACCOUNT_WRITES:
            continue
        role = getattr(app.view_functions[rule.endpoint], "required_role", None)
        if role in (None, "viewer"):
            lenient.append(rule.endpoint)
    assert not lenient, f"write routes open to viewers: {sorted(set(lenient))}"


def test_no_state_change_on_get(app):
    offenders = [
        f"{rule.endpoint} {rule.rule}" for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and any(word in (rule.endpoint + rule.rule).lower() for word in STATE_CHANGING_WORDS)
    ]
    assert not offenders, f"state-changing routes answering GET: {offenders}"


def test_the_public_routes_are_exactly_these(app, client):
    assert client.get("/health").status_code == 200
    assert client.get("/login").status_code == 200
    assert client.get("/vendor/nothing.js").status_code == 404
