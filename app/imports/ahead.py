"""Read ahead: run an iterator in a background thread, a few items ahead of its consumer.

The import parses a batch (Python) while the previous one is written (the database
drivers release the GIL while SQLite works or PostgreSQL answers), so the two overlap.
Memory stays bounded: at most `depth` items wait. An exception in the producer is raised
in the consumer; a consumer that stops early (error, `close()`) stops the producer.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()
_POLL = 0.1  # seconds between checks that the consumer is still there


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    waiting: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: object) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        source = iter(items)
        try:
            for item in source:
                if not offer(item):
                    return
        except BaseException as error:  # noqa: BLE001 - handed to the consumer
            offer(_Failure(error))
            return
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()  # an open file inside a generator is closed here, in this thread
        offer(_DONE)

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = waiting.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()
