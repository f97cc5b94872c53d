"""The last two administrators demote or deactivate each other at the same moment, through
a real threaded server: one administrator always remains (it used to be none in half the
runs), and the other is told why not."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from tests.factories import make_user
from tests.race import logged_in, served, together

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
