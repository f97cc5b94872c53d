"""Reading and normalising a big file in a second process, a batch ahead of the writes.

Plain Python (no Flask). An import has two stages: the file → normalised, de-duplicated
batches (app/imports/parsing/batches.py, pure Python, about a third of an import's time), then
those batches → the database (lookups, decisions, writes, in the process that holds the
transaction). Here the first stage runs in a child process while the parent writes the
previous batch: on two cores the reading costs the import only the unpickling of its
batches (~8 µs a row). The batches come back pickled through a pipe, whose small buffer
keeps the child at most a batch ahead, so memory stays flat in both processes.

A thread would not do: the writer takes the interpreter lock back after every SQLite call
and the reading thread hands it over each time (measured slower than one thread). The
child is a fresh interpreter running this module (`python -m app.imports.parsing.parse_ahead`),
not a fork: a forked child would inherit the parent's database connections and the job
worker's threads, and multiprocessing's spawn would run the parent's main script again
and start a resource-tracking process besides. Where no child can be started, the file is
read inline.
"""

from __future__ import annotations

import contextlib
import copyreg
import gc
import io
import logging
import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from app.imports.parsing.batches import Batch, read_batches
from app.imports.parsing.reading import ReadError
from app.imports.parsing.rows import NormalisedRow, RowProblem

log = logging.getLogger("relais.imports")

_BATCH, _END, _READ_ERROR, _CRASH = range(4)
_SIZE = struct.Struct("<Q")  # each message: its length, then its pickle
_ROOT = str(Path(__file__).resolve().parents[3])  # the folder holding the `app` package


def batches_ahead(path: str, encoding: str, delimiter: str, mapping: dict[int, str | None],
                  size: int, command: Sequence[str] | None = None
                  ) -> Iterator[tuple[Batch, int]]:
    """`read_batches`, computed in a child process started at once: the same (batch, lines
    read) pairs, and the same ReadError when the file cannot be read. The caller closes
    the iterator (`contextlib.closing`), which stops the child if it is still running.
    A child that cannot start, or ends before its first word (an interpreter that is not
    Python's, under some servers), leaves the reading to this process.
    (`command`: another child, for tests.)"""
    arguments = (path, encoding, delimiter, mapping, size)
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [_ROOT, os.environ.get("PYTHONPATH")]))}
    try:
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command or [sys.executable or "python3", "-m", "app.imports.parsing.parse_ahead"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment)
    except OSError:
        log.warning("cannot start the import's reading process; reading inline",
                    exc_info=True)
        return read_batches(*arguments)
    try:
        child.stdin.write(pickle.dumps(arguments))
        child.stdin.close()
    except OSError:
        pass  # the child is already gone: reading says so
    return _Received(child, arguments)


class _Received:
    """The child's batches as they arrive; `close` ends the child."""

    def __init__(self, child: subprocess.Popen, arguments: tuple) -> None:
        self.child = child
        self.arguments = arguments
        self.heard = False  # the child has sent a message
        self.inline: Iterator[tuple[Batch, int]] | None = None
        self.closed = False

    def __iter__(self) -> _Received:
        return self

    def __next__(self) -> tuple[Batch, int]:
        if self.inline is not None:
            return next(self.inline)
        message = read_message(self.child.stdout)
        if message is None and not self.heard:
            self.close()
            log.warning("the import's reading process ended at once (exit code %s); "
                        "reading inline", self.child.returncode)
            self.inline = read_batches(*self.arguments)
            return next(self.inline)
        if message is None:
            self.close()
            raise RuntimeError("the import's reading process stopped unexpectedly")
        self.heard = True
        kind, payload = pickle.loads(message)  # noqa: S301 - our own child's output
        if kind == _BATCH:
            return payload
        self.close(finished=True)
        if kind == _END:
            raise StopIteration
        if kind == _READ_ERROR:
            template, params = payload
            raise ReadError(template, **params)
        raise RuntimeError(f"the import's reading process failed: {payload}")

    def close(self, finished: bool = False) -> None:
        """Stop the child, or, once it has sent its last message, let it exit."""
        if self.inline is not None:
            self.inline.close()
        if self.closed:
            return
        self.closed = True
        if finished:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.child.wait(timeout=10)
        if self.child.poll() is None:  # the parent stopped early: a failure, or cancelled
            self.child.kill()
        self.child.stdout.close()
        self.child.wait()


def read_message(stream: BinaryIO) -> bytes | None:
    """One message, or None at the end of the stream (the child is gone). Waits for the
    child: bench/import.py times it."""
    header = stream.read(_SIZE.size)
    if len(header) < _SIZE.size:
        return None
    (length,) = _SIZE.unpack(header)
    message = stream.read(length)
    return message if len(message) == length else None


def _row_args(row: NormalisedRow) -> tuple:
    return NormalisedRow, (row.line, row.person, row.accounts, row.tags, row.same_as, row.texts)


def _problem_args(problem: RowProblem) -> tuple:
    return RowProblem, (problem.line, problem.column, problem.value, problem.reason,
                        problem.template, problem.params)


# The rows travel as their constructor's arguments: a slotted dataclass's own pickling
# state goes through `dataclasses.fields()` once per row on each side, and unpickling a
# batch took the writer 2.7 times as long.
_DISPATCH = {**copyreg.dispatch_table, NormalisedRow: _row_args, RowProblem: _problem_args}


def _dumps(message: tuple) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(message)
    return buffer.getvalue()


def _produce(out: BinaryIO, path: str, encoding: str, delimiter: str,
             mapping: dict[int, str | None], size: int) -> None:
    def send(message: tuple) -> None:
        data = _dumps(message)
        out.write(_SIZE.pack(len(data)))
        out.write(data)
        out.flush()

    # The same collector regime as the writing side (app/imports/service.py): the young
    # generations after each batch, everything every 25 batches.
    gc.disable()
    try:
        for number, item in enumerate(read_batches(path, encoding, delimiter, mapping, size),
                                      1):
            send((_BATCH, item))
            gc.collect(2 if number % 25 == 0 else 1)
        message: tuple = (_END, None)
    except ReadError as error:
        message = (_READ_ERROR, (error.template, error.params))
    except Exception as error:  # noqa: BLE001 - the parent raises it
        message = (_CRASH, f"{type(error).__name__}: {error}"[:300])
    send(message)


if __name__ == "__main__":
    arguments = pickle.load(sys.stdin.buffer)  # noqa: S301 - from the parent process
    messages, sys.stdout = sys.stdout.buffer, sys.stderr  # a stray print cannot corrupt them
    try:
        _produce(messages, *arguments)
    except BrokenPipeError:  # the parent stopped reading (it failed, or was cancelled)
        os._exit(1)
