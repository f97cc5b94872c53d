"""What the one-file imports (relationships, campaign metrics) share: the reasons of
rejected rows in a chosen language, and the file as one transaction."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from app.core.errors import ServiceError
from app.extensions import db
from app.imports.parsing.reading import ReadError

# (template, params) → the reason's text. English by default (CLI, JSON); the web passes
# gettext so that a reason reads in the user's language.
Describe = Callable[[str, dict[str, Any]], str]


def as_english(template: str, params: dict[str, Any]) -> str:
    return template % params if params else template


@contextlib.contextmanager
def all_or_nothing() -> Iterator[None]:
    """Any failure in the block rolls the whole file back; a file that cannot be read is
    refused (a ServiceError with the reading error's message)."""
    try:
        yield
    except ReadError as error:
        db.session.rollback()
        raise ServiceError(str(error)) from error
    except BaseException:
        db.session.rollback()
        raise
