"""Files the browser saves: one way to answer with an attachment.

Every download carries personal or contractual data, so none is kept by proxies or the
browser cache (`Cache-Control: no-store`). File names are ours (numbers, ids, slugs),
never a user's text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, Response


def attachment(body: bytes | str | Iterable[bytes], mimetype: str, filename: str
               ) -> Response:
    """`body` (bytes, or an iterable streamed as it is read) saved as `filename`."""
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })


def json_attachment(data: Any, filename: str) -> Response:
    """`data` as readable JSON (UTF-8, accents kept, indented) saved as `filename`."""
    return attachment(json.dumps(data, ensure_ascii=False, indent=2), "application/json",
                      filename)


def in_own_context(app: Flask, body: Iterator[bytes]) -> Iterator[bytes]:
    """A streamed body whose first piece needs no database (a header) and whose rest is read
    under an application context of its own (a session, no request): the server reads a
    body after the request's context is gone. Not stream_with_context: it re-enters the
    request's context objects, which fails when the body is read from another contextvars
    context, as the test client does after reading the first piece itself."""
    yield next(body)
    with app.app_context():
        yield from body
