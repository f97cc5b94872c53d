"""Malformed requests are 400, never 500: multipart parts without a readable name (none,
a trailing backslash, an unterminated quote), NUL characters, and a fuzz of raw multipart
bodies POSTed to every POST route of the app, with CSRF protection on and off."""

from __future__ import annotations

import functools
import gc

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    PASSWORD,
    make_brand,
    make_contract,
    make_influencer,
    make_operation,
    make_participant,
    make_user,
)

BOUNDARY = "xYzZy"
CASES = {
    "no name": b'Content-Disposition: form-data',
    "trailing backslash": b'Content-Disposition: form-data; name="csrf_token\\"',
    "unterminated name": b'Content-Disposition: form-data; name="csrf_token',
    "NUL in the name": b'Content-Disposition: form-data; name="na\x00me"',
    "file without a name": b'Content-Disposition: form-data; filename="scan.pdf"',
}
PARAMS = {"token": "x" * 43, "action": "approve"}
SKIPPED = {"/logout"}  # would end the session every later request relies on


def _body(*parts: tuple[bytes, bytes], boundary: str = BOUNDARY) -> bytes:
    out = b""
    for header, value in parts:
        out += b"--" + boundary.encode() + b"\r\n" + header + b"\r\n\r\n" + value + b"\r\n"
    return out + b"--" + boundary.encode() + b"--\r\n"


def _post(client, url: str, body: bytes, boundary: str = BOUNDARY):
    return client.post(url, data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


@functools.cache
def _post_urls(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.rule not in SKIPPED:
            values = {name: PARAMS.get(name, 1) for name in rule.arguments}
            with app.test_request_context():
                urls.append(url_for(rule.endpoint, **values))
    return sorted(set(urls))


@pytest.fixture(params=[False, True], ids=["csrf off", "csrf on"])
def csrf(app, request):
    app.config["WTF_CSRF_ENABLED"] = request.param
    yield request.param
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture()
def admin(app, db, csrf):
    """An admin logged in (CSRF off for the login itself), with a record of each kind at
    id 1 so that the routes' views are reached."""
    make_brand()
    influencer = make_influencer(accounts=[{"platform": "instagram", "handle": "lea",
                                            "followers": 10}])
    make_operation(make_participant(influencer=influencer))
    make_contract()
    user = make_user("admin")
    saved, app.config["WTF_CSRF_ENABLED"] = app.config["WTF_CSRF_ENABLED"], False
    client = app.test_client()
    assert client.post("/login", data={"email": user.email,
                                       "password": PASSWORD}
                       ).status_code == 302
    app.config["WTF_CSRF_ENABLED"] = saved
    return client


@pytest.mark.parametrize("case", CASES)
def test_a_malformed_part_is_a_400_on_login(client, csrf, case):
    response = _post(client, "/login", _body((CASES[case], b"x"),
                                             (b'Content-Disposition: form-data; name="email"',
                                              b"a@example.org")))
    assert response.status_code == 400


@pytest.mark.parametrize("case", CASES)
def test_a_malformed_part_is_a_400_on_every_post_route(app, admin, case):
    body = _body((CASES[case], b"x"))
    for url in _post_urls(app):
        assert _post(admin, url, body).status_code == 400, url


def test_a_nul_in_a_value_or_the_query_is_a_400(admin):
    body = _body((b'Content-Disposition: form-data; name="name"', b"Se\x00phora"))
    assert _post(admin, "/brands/new", body).status_code == 400
    assert admin.post("/brands/new?q=a%00b", data={"name": "x"}).status_code == 400


_NAMES = st.one_of(
    st.sampled_from(["csrf_token", "version", "name", "scan", "email", "confirm", ""]),
    st.text(max_size=12))
_VALUES = st.one_of(st.binary(max_size=40), st.text(max_size=40).map(
    lambda t: t.encode("utf-8", "surrogatepass")))


@st.composite
def _header(draw) -> bytes:
    name = draw(_NAMES).encode("utf-8", "surrogatepass")
    forms = [
        b'Content-Disposition: form-data; name="' + name + b'"',
        b'Content-Disposition: form-data; name="' + name,
        b'Content-Disposition: form-data; name="' + name + b'\\"',
        b"Content-Disposition: form-data; name=" + name,
        b"Content-Disposition: form-data",
        b'Content-Disposition: form-data; name="' + name + b'"; filename="'
        + draw(st.binary(max_size=12)) + b'"',
        b'Content-Disposition: form-data; name="' + name
        + b'"\r\nContent-Type: ' + draw(st.binary(max_size=12)),
        draw(st.binary(max_size=40)),
    ]
    return draw(st.sampled_from(forms))


_BODIES = st.one_of(
    st.builds(lambda parts, boundary: (_body(*parts, boundary=boundary), boundary),
              st.lists(st.tuples(_header(), _VALUES), max_size=4),
              st.sampled_from([BOUNDARY, "a", "--", "b" * 70, "é"])),
    st.tuples(st.binary(max_size=200), st.just(BOUNDARY)),
)


# Werkzeug leaves the buffer of a truncated file part unclosed (freed by the garbage
# collector, no file descriptor below 500 KB): collected inside the test, and ignored.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzzed_multipart_bodies_never_crash_a_post_route(app, admin, data):
    url = data.draw(st.sampled_from(_post_urls(app)))
    body, boundary = data.draw(_BODIES)
    response = _post(admin, url, body, boundary)
    assert response.status_code < 500, (url, body)


def teardown_function(function) -> None:
    if function.__name__ == "test_fuzzed_multipart_bodies_never_crash_a_post_route":
        gc.collect()  # Werkzeug's leftovers (above) collected while the warning is ignored
