"""read_ahead: the items in order, the producer's errors raised in the consumer, and a
consumer that stops early stops the producer (no thread left behind)."""

from __future__ import annotations

import threading

import pytest

from app.imports.ahead import read_ahead


def test_items_arrive_in_order():
    assert list(read_ahead(iter(range(1000)), depth=3)) == list(range(1000))


def test_empty_source():
    assert list(read_ahead([])) == []


def test_producer_error_is_raised_in_consumer_after_the_good_items():
    def source():
        yield 1
        yield 2
        raise ValueError("broken line 3")

    seen = []
    with pytest.raises(ValueError, match="broken line 3"):
        for item in read_ahead(source()):
            seen.append(item)
    assert seen == [1, 2]


def test_consumer_stopping_early_stops_and_closes_the_producer():
    closed = threading.Event()
    produced = []

    def source():
        try:
            for n in range(10_000):
                produced.append(n)
                yield n
        finally:
            closed.set()

    before = threading.active_count()
    items = read_ahead(source(), depth=2)
    assert next(items) == 0
    items.close()
    assert closed.is_set()  # the generator's finally ran (e.g. its file was closed)
    assert len(produced) < 10  # at most depth + a few items ahead, not the whole source
    assert threading.active_count() == before


def test_consumer_error_stops_the_producer():
    before = threading.active_count()
    with pytest.raises(RuntimeError):
        for item in read_ahead(iter(range(10_000))):
            if item == 5:
                raise RuntimeError("database went away")
    assert threading.active_count() == before
