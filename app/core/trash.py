"""The trash's two buttons, the same for every kind of record: "move to the trash" and
"restore", as POST views a feature adds to its blueprint (members and above)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for

from app.core.errors import NotFound, ServiceError
from app.security import role_required


@dataclass(frozen=True)
class Trash:
    """How one kind of record goes to the trash and back."""

    key: str  # the id's name in the URL and in `show`'s arguments, e.g. "brand_id"
    load: Callable[..., Any]  # (id, deleted=…) → the record; NotFound when absent
    delete: Callable[[Any], None]  # the services: a ServiceError is a refusal to show
    restore: Callable[[Any], None]
    moved: Callable[[Any], str]  # the messages, in the user's language
    restored: Callable[[Any], str]
    index: str  # where a deleted record leads (the list)
    show: str  # the record's page
    trash_page: str | None = None  # where a refused restore leads (default: the list)


def add_trash_views(bp: Blueprint, trash: Trash) -> None:
    """`<bp>.delete` and `<bp>.restore` at /<id>/delete and /<id>/restore."""

    def delete(**ids: int):
        record = _load(trash, ids[trash.key], deleted=False)
        try:
            trash.delete(record)
        except ServiceError as error:
            flash(str(error), "error")
            return redirect(url_for(trash.show, **{trash.key: record.id}))
        flash(trash.moved(record), "success")
        return redirect(url_for(trash.index))

    def restore(**ids: int):
        record = _load(trash, ids[trash.key], deleted=True)
        try:
            trash.restore(record)
        except ServiceError as error:
            flash(str(error), "error")
            return redirect(url_for(trash.trash_page or trash.index))
        flash(trash.restored(record), "success")
        return redirect(url_for(trash.show, **{trash.key: record.id}))

    for name, view in (("delete", delete), ("restore", restore)):
        view.__name__ = view.__qualname__ = name
        bp.add_url_rule(f"/<int:{trash.key}>/{name}", name, role_required("member")(view),
                        methods=["POST"])


def _load(trash: Trash, record_id: int, deleted: bool) -> Any:
    try:
        return trash.load(record_id, deleted=deleted)
    except NotFound:
        abort(404)
