"""An account's address obeys the login form's rules: no account is created that could
never log in (`flask users create` and the admin form share users.create_user)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.auth.forms import LoginForm
from app.auth.users import email_problem

ADDRESSES = st.one_of(
    st.emails(), st.text(max_size=40),
    st.builds(lambda local, domain: f"{local}@{domain}", st.text(max_size=12),
              st.sampled_from(["corp.test", "agence.fr", "localhost", "example.com",
                               "exa mple.fr", "xn--bcher-kva.fr", "-x.fr", "é.fr"])),
)


def _login_form_accepts(app, address: str) -> bool:
    with app.test_request_context("/login", method="POST"):
        form = LoginForm(formdata=MultiDict({"email": address, "password": "x"}))
        form.validate()
        return "email" not in form.errors


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(address=ADDRESSES)
def test_accounts_follow_the_login_form(app, address):
    # Surrounding blanks are trimmed before either looks at the address.
    address = address.strip()
    assert (email_problem(address) is None) == _login_form_accepts(app, address)


def test_known_cases(app):
    with app.test_request_context():
        for bad in ("not-an-email", "x@corp.test", "x@localhost", "", "a" * 250 + "@x.fr"):
            assert email_problem(bad) is not None, bad
        assert email_problem("chloe@agence-relais.fr") is None
