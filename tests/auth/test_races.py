"""The last two administrators demote or deactivate each other at the same moment, through
a real threaded server: one administrator always remains (it used to be none in half the
runs), and the other is told why not."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from tests.factories import PASSWORD, make_user
from tests.race import Session, logged_in, served, together

pytestmark = pytest.mark.slow

# What each of the two does to the other: demote, deactivate, or one of each.
MOVES = {"role": ("role", {"role": "member"}), "active": ("active", {"active": "0"})}
ROUNDS = [("role", "role"), ("active", "active"), ("role", "active"), ("active", "role")] * 2


def _admins() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True)))


def test_the_last_two_admins_removing_each_other_leave_one(app, db):
    first, second = make_user("admin"), make_user("admin")
    make_user("member")
    with served(app) as base:
        for moves in ROUNDS:
            for user in (first, second):
                user.role, user.active = "admin", True
            db.session.commit()
            pairs = ((first, second), (second, first))
            sessions = [logged_in(base, actor) for actor, _ in pairs]
            calls = []
            for session, (_, target), move in zip(sessions, pairs, moves, strict=True):
                segment, data = MOVES[move]
                calls.append(lambda s=session, p=f"/admin/users/{target.id}/{segment}",
                             d=data: s.request(p, d))
            answers = together(calls)
            # 403: the other was faster, and this one is no longer an administrator.
            assert all(a[0] in (302, 403) for a in answers), [a[:2] for a in answers]
            assert _admins() == 1, moves


def test_one_person_logging_in_on_several_devices_at_once_gets_in_everywhere(app, db):
    """The login used to save the account as a versioned record: the second of two
    simultaneous logins lost the version check and was answered 409, not logged in."""
    user = make_user("member")
    version = user.version
    with served(app) as base:
        for _ in range(3):
            sessions = [Session(base) for _ in range(4)]
            answers = together([lambda s=s: s.request(
                "/login", {"email": user.email, "password": PASSWORD}) for s in sessions])
            assert [a[0] for a in answers] == [302] * 4, [a[:2] for a in answers]
            assert all(s.request("/influencers/")[0] == 200 for s in sessions)
    db.session.expire_all()
    assert db.session.get(User, user.id).last_login_at is not None
    assert db.session.get(User, user.id).version == version  # an edit form stays current
