"""`flask users create`: exit 0 on success, non-zero with a one-line reason otherwise."""

from __future__ import annotations

from sqlalchemy import select

from app.models import User
from app.security import verify_password

GOOD = "une phrase assez longue"


def create(runner, *args, password=GOOD):
    return runner.invoke(args=["users", "create", *args], input=password + "\n")


def test_create_admin_with_password_from_stdin(runner, db):
    result = create(runner, "--role", "admin", "Chloe@Agence-Relais.fr")
    assert result.exit_code == 0, result.output
    assert "Created admin chloe@agence-relais.fr" in result.output
    user = db.session.scalar(select(User).where(User.email == "chloe@agence-relais.fr"))
    assert user.role == "admin" and user.active
    assert verify_password(user.password_hash, GOOD)


def test_default_role_is_member_and_options_apply(runner, db):
    result = create(runner, "--name", "Chloé Durand", "--locale", "fr", "chloe@agence.fr")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.role, user.name, user.locale) == ("member", "Chloé Durand", "fr")


def test_password_stdin_flag(runner, db):
    result = create(runner, "--password-stdin", "chloe@agence.fr")
    assert result.exit_code == 0, result.output


def test_weak_password_is_refused_with_one_line(runner, db):
    result = create(runner, "--role", "admin", "chloe@agence.fr", password="password")
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and "common" in lines[0]
    assert db.session.scalar(select(User)) is None


def test_short_and_empty_passwords_are_refused(runner, db):
    for password in ("", "abc"):
        result = create(runner, "chloe@agence.fr", password=password)
        assert result.exit_code != 0
        assert "at least 8" in result.output


def test_duplicate_email_is_refused(runner, db):
    assert create(runner, "chloe@agence.fr").exit_code == 0
    result = create(runner, "CHLOE@agence.fr")
    assert result.exit_code != 0
    assert "already exists" in result.output


def test_unknown_role_is_refused(runner, db):
    result = create(runner, "--role", "god", "chloe@agence.fr")
    assert result.exit_code != 0
    assert db.session.scalar(select(User)) is None


def test_help(runner):
    result = runner.invoke(args=["users", "create", "--help"])
    assert result.exit_code == 0
    assert "--role" in result.output and "EMAIL" in result.output
    assert runner.invoke(args=["--help"]).exit_code == 0


def test_addresses_the_login_form_refuses_are_refused(runner, db):
    for address in ("not-an-email", "x@corp.test", "chloe@", "@agence.fr", "a" * 250 + "@x.fr"):
        result = create(runner, address)
        assert result.exit_code != 0, address
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and ("not valid" in lines[0] or "too long" in lines[0]), address
    assert db.session.scalar(select(User)) is None
