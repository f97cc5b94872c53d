"""Files the browser saves: one way to answer with an attachment.

Every download carries personal or contractual data, so none is kept by proxies or the
browser cache (`Cache-Control: no-store`). File names are ours (numbers, ids, slugs),
never a user's text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from flask import Response


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
