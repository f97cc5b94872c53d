"""What every PDF Relais renders with WeasyPrint shares: a URL fetcher that serves the
files of one folder and refuses everything else.

A campaign report or a contract holds texts a user typed; autoescaping keeps them text,
and this fetcher is the second wall: even a stylesheet or an image that slipped through
could not make WeasyPrint read the network (http, https, ftp), inline data (data:), or any
file outside the folder the document's own assets live in (file:///etc/passwd). The
fetcher never follows redirects because it never opens a network connection at all.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit


def local_path(url: str, root: Path) -> Path | None:
    """The file a file:// URL names when it is an existing file inside `root`, else None
    (`..`, symbolic links and percent-escapes are resolved before the check)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        return None
    return path


def restricted_fetcher(root: Path, asked: Callable[[str], None] | None = None):
    """A WeasyPrint URL fetcher serving the files under `root` only; every other URL is
    refused (WeasyPrint logs the refusal and renders without the resource). `asked`, when
    given, is told every URL WeasyPrint asks for, served or not (tests use it to prove
    a hostile value asked for nothing)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RootOnly(URLFetcher):
        def fetch(self, url: str, headers=None):
            if asked is not None:
                asked(url)
            path = local_path(url, root)
            if path is None:
                raise ValueError(f"refused: {url[:80]}")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})

    # No handler is ever used (fetch never calls urllib), but say it all the same.
    return RootOnly(allowed_protocols=("file",), allow_redirects=False)
