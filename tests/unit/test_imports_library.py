"""app/imports is plain Python (design/style.md): it must not pull in Flask, the ORM, the
extensions or Flask-Babel, so that it can be driven without an app, and so that an
import's reading process (parse_ahead.py) stays small (checked in a fresh interpreter,
since the test session has imported everything already)."""

from __future__ import annotations

import subprocess
import sys

MODULES = ("batches", "dedupe", "handles", "mapping", "numbers", "parse_ahead", "reading", "rows",
           "vocabulary")


def test_import_library_does_not_load_the_orm_or_the_extensions():
    code = (
        "import sys\n"
        + "".join(f"import app.imports.{name}\n" for name in MODULES)
        + "print(sorted(m for m in ('flask', 'sqlalchemy', 'flask_sqlalchemy', 'flask_babel',"
        " 'flask_login', 'app.extensions', 'app.models') if m in sys.modules))\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: S603
                           check=True).stdout.strip()
    assert found == "[]"
