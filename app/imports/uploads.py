"""An uploaded file, as the import pages keep it: a safe name to show, a temporary copy."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator

from werkzeug.datastructures import FileStorage

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")


def display_name(filename: str | None) -> str:
    """The uploaded file's name, for display only: no folders, no control characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("", name).strip()
    return name[:255] or "import.csv"


@contextlib.contextmanager
def saved_upload(storage: FileStorage) -> Iterator[str]:
    """The upload in a temporary file whose name we choose, never one built from the user's
    file name; deleted on the way out, whatever happened."""
    handle, temporary = tempfile.mkstemp(prefix="relais-upload-", suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as out:
            shutil.copyfileobj(storage.stream, out, 1024 * 1024)
        yield temporary
    finally:
        os.unlink(temporary)
