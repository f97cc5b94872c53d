"""The influencer list's results kept between requests, until the data changes.

A list page's queries and rows (the page of people, its count, its figures and scores,
the rows' HTML) only change with the data, the page's query string, the reader (their
own people, whether they may select rows) and the language. Each web worker keeps the
last pages it served under the data's token (app/core/data_version.py), read at the start
of the request: the first write committed anywhere gives a new token, and the next
request computes afresh. The page's context (the team, the latest scoring run, the tags,
the reader's saved views) is kept the same way, per reader and language; the filter form
and the page around the rows are built on every request.

`RELAIS_LIST_CACHE_SIZE` pages are kept per worker (0: none, the benchmarks' way to measure the
queries themselves); a page holds its rows' HTML, about 40 KB for 25 rows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app

EXTENSION = "relais.list_cache"


class ResultCache:
    """Results under one data token: a new token empties it; the least recently used
    result goes first when it is full."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.token: int | None = None
        self.results: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = 0

    def get(self, token: int | None, key: Hashable, compute: Callable[[], Any]) -> Any:
        if token is None or self.size <= 0:
            return compute()
        with self.lock:
            if token == self.token and key in self.results:
                self.results.move_to_end(key)
                self.hits += 1
                return self.results[key]
        result = compute()
        with self.lock:
            if token != self.token:
                self.token = token
                self.results.clear()
            self.results[key] = result
            while len(self.results) > self.size:
                self.results.popitem(last=False)
        return result


def cache() -> ResultCache:
    app = current_app._get_current_object()  # noqa: SLF001 - the app itself, to keep state on
    kept = app.extensions.get(EXTENSION)
    if kept is None:
        kept = app.extensions[EXTENSION] = ResultCache(app.config["LIST_CACHE_SIZE"])
    return kept


def kept(token: int | None, key: Hashable, compute: Callable[[], Any]) -> Any:
    """`compute()`, or what it returned for `key` under `token` (data_version.token(),
    read before anything the result depends on)."""
    return cache().get(token, key, compute)
