"""One row whose token changes with every committed write (app/core/data_version.py): what
a page computed from the data can be kept until the token moves."""

from __future__ import annotations

import secrets

from sqlalchemy import BigInteger, CheckConstraint, Integer, event, insert
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


def new_token() -> int:
    """A random 62-bit token: a database made afresh never repeats an earlier one, so a
    result kept for the old database is never taken for the new one's."""
    return secrets.randbits(62)


class DataVersion(db.Model):
    __tablename__ = "data_version"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[int] = mapped_column(BigInteger)


@event.listens_for(DataVersion.__table__, "after_create")
def _first_token(target, connection, **_kw) -> None:
    connection.execute(insert(target).values(id=1, token=new_token()))
