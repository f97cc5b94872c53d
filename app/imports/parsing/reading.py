"""Reading a CSV file as people send it: encoding and delimiter detected, streamed row by row.

Plain Python (no Flask). `sniff` looks at the first 64 KiB only; `open_rows` streams the
file through `csv.reader`, so memory stays flat whatever the file size. Every refusal is a
`ReadError` with a one-line message (and `template`/`params` for translation).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from app.core.text import N_

SAMPLE_SIZE = 64 * 1024
FIELD_LIMIT = 1024 * 1024  # one cell; a longer one is a broken quote or not a list
LINE_LIMIT = 4 * FIELD_LIMIT  # one physical line, read at most this much at a time
ROW_LIMIT = 16 * FIELD_LIMIT  # one row over all its physical lines
MAX_COLUMNS = 500
DELIMITERS = (";", ",", "\t", "|")  # in order of preference on ties: French Excel first
DELIMITER_NAMES = {
    "semicolon": ";", "point-virgule": ";", "comma": ",", "virgule": ",", "tab": "\t",
    "tabulation": "\t", "\\t": "\t", "pipe": "|",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

csv.field_size_limit(FIELD_LIMIT)


class ReadError(ValueError):
    """The file cannot be read as a list; the message says why, in one line."""

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What `sniff` found: how to read the file, and how sure it is (0-1)."""

    encoding: str
    delimiter: str
    has_bom: bool
    confidence: float


def _read_sample(source: str | os.PathLike | bytes) -> tuple[bytes, bool]:
    """→ (first bytes, whether the file goes on after them)."""
    if isinstance(source, bytes | bytearray):
        return bytes(source[:SAMPLE_SIZE]), len(source) > SAMPLE_SIZE
    try:
        with open(source, "rb") as file:
            sample = file.read(SAMPLE_SIZE + 1)
    except OSError as error:
        raise ReadError(N_("The file cannot be opened.")) from error
    return sample[:SAMPLE_SIZE], len(sample) > SAMPLE_SIZE


def check_encoding(encoding: str) -> str:
    """A user's encoding choice → Python's codec name, or ReadError."""
    try:
        info = codecs.lookup(encoding.strip())
    except (LookupError, ValueError, TypeError) as error:
        raise ReadError(N_("Unknown encoding “%(name)s”."), name=str(encoding)[:40]) from error
    if not getattr(info, "_is_text_encoding", True):  # "hex", "rot13", "zlib"…
        raise ReadError(N_("Unknown encoding “%(name)s”."), name=str(encoding)[:40])
    name = info.name
    if name in {"utf-8", "utf_8"}:
        return "utf-8-sig"  # a BOM, if any, must not stick to the first header
    return name


def check_delimiter(delimiter: str) -> str:
    """`;`, `,`, tab, `|` or their names → the character, or ReadError."""
    text = delimiter if delimiter in DELIMITERS else delimiter.strip().lower()
    text = DELIMITER_NAMES.get(text, text)
    if text not in DELIMITERS:
        raise ReadError(N_("The delimiter must be ; , | or tab."))
    return text


def _guess_encoding(sample: bytes, truncated: bool) -> tuple[str, bool, float]:
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding, True, 1.0
    try:
        # The sample may end in the middle of a multi-byte character: not final then.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=not truncated)
    except UnicodeError:
        pass
    else:
        return "utf-8-sig", False, 1.0 if any(b > 127 for b in sample) else 0.9
    try:
        sample.decode("cp1252")
    except UnicodeError as error:
        raise ReadError(N_("This is not a text file (CSV): it cannot be read.")) from error
    return "cp1252", False, 0.8


def _decode_sample(sample: bytes, encoding: str, truncated: bool) -> str:
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(sample, final=not truncated)
    except UnicodeError as error:
        raise ReadError(
            N_("The file cannot be read as %(encoding)s: choose another encoding."),
            encoding=encoding,
        ) from error
    _check_text(text[:SAMPLE_SIZE])
    return text


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise ReadError(N_("This is not a text file (CSV): it contains binary data."))
    controls = sum(1 for c in text if c < " " and c not in "\t\r\n")
    if controls > max(8, len(text) // 100):
        raise ReadError(N_("This is not a text file (CSV): it contains binary data."))


def _field_counts(text: str, delimiter: str, truncated: bool) -> list[int]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    counts = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                counts.append(len(row))
            if len(counts) > 200:
                break
    except csv.Error:
        return []
    if truncated and len(counts) > 1:
        counts.pop()  # the sample cut the last row short
    return counts


def _guess_delimiter(text: str, truncated: bool) -> tuple[str, float]:
    """The candidate splitting complete rows into the same number (> 1) of cells."""
    scores = []
    for rank, delimiter in enumerate(DELIMITERS):
        counts = _field_counts(text, delimiter, truncated)
        if not counts:
            continue
        width, rows = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        consistency = rows / len(counts)
        header_agrees = counts[0] == width
        scores.append((consistency + (0.5 if header_agrees else 0), -rank, delimiter))
    if not scores:
        return ";", 0.0
    scores.sort(reverse=True)
    best = scores[0]
    confidence = min(1.0, best[0] / 1.5)
    if len(scores) > 1 and scores[1][0] == best[0]:
        confidence /= 2  # a tie settled by preference only
    return best[2], round(confidence, 2)


def sniff(source: str | os.PathLike | bytes, encoding: str | None = None,
          delimiter: str | None = None) -> Sniffed:
    """The encoding and delimiter of a file (path) or of its first bytes."""
    sample, truncated = _read_sample(source)
    if not sample.strip():
        raise ReadError(N_("The file is empty."))
    has_bom = any(sample.startswith(bom) for bom, _ in _BOMS)
    if encoding:
        chosen, confidence = check_encoding(encoding), 1.0
    else:
        chosen, has_bom, confidence = _guess_encoding(sample, truncated)
    text = _decode_sample(sample, chosen, truncated).lstrip("\ufeff")
    if delimiter:
        return Sniffed(chosen, check_delimiter(delimiter), has_bom, confidence)
    found, delimiter_confidence = _guess_delimiter(text, truncated)
    return Sniffed(chosen, found, has_bom, round(min(confidence, delimiter_confidence), 2))


class _Lines:
    """Physical lines of the text stream, checked as they come (length, NUL, encoding)."""

    __slots__ = ("stream", "path", "encoding", "number", "row_chars", "at_end")

    def __init__(self, stream: io.TextIOBase, path: str | os.PathLike, encoding: str) -> None:
        self.stream = stream
        self.path = path
        self.encoding = encoding
        self.number = 0
        self.row_chars = 0
        self.at_end = False

    def __iter__(self) -> Iterator[str]:
        readline = self.stream.readline
        while True:
            try:
                line = readline(LINE_LIMIT)
            except UnicodeError as error:
                raise ReadError(
                    N_("Line %(line)d cannot be read as %(encoding)s: choose another encoding."),
                    line=_undecodable_line(self.path, self.encoding, self.number + 1),
                    encoding=self.encoding,
                ) from error
            if not line:
                self.at_end = True
                return
            self.number += 1
            self.row_chars += len(line)
            if len(line) >= LINE_LIMIT or self.row_chars > ROW_LIMIT:
                raise ReadError(N_("Line %(line)d is too long."), line=self.number)
            if "\x00" in line:
                raise ReadError(
                    N_("Line %(line)d contains binary data: this is not a text file (CSV)."),
                    line=self.number,
                )
            yield line


def _undecodable_line(path: str | os.PathLike, encoding: str, fallback: int) -> int:
    """The physical line holding the first undecodable byte.

    The text stream decodes ahead in chunks, so it cannot tell; on this error path only
    the file is read again, line by line, to name the right line.
    """
    if encoding.startswith(("utf-16", "utf-32")):
        return fallback
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as file:
        for number, chunk in enumerate(iter(lambda: file.readline(LINE_LIMIT), b""), 1):
            try:
                decoder.decode(chunk)
            except UnicodeError:
                return number
    return fallback


def open_rows(path: str | os.PathLike, encoding: str | None = None,
              delimiter: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """Stream the non-blank rows of a CSV file as (line number, cells); the header first.

    The line number is the physical line where the row starts. Rows with a different
    number of cells than the header are yielded as they are (the caller reports them).
    Raises ReadError (lazily, while iterating) when the file cannot be read.
    """
    found = sniff(path, encoding, delimiter)
    with open(path, "rb") as raw:
        stream = io.TextIOWrapper(raw, encoding=found.encoding, errors="strict", newline="")
        lines = _Lines(stream, path, found.encoding)
        yield from _rows(lines, found.delimiter)


def _rows(lines: _Lines, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(iter(lines), delimiter=delimiter)
    start, seen_header = 1, False
    try:
        for cells in reader:
            if lines.at_end and cells:
                # The reader asked for more lines to close a quoted cell and met the end.
                raise ReadError(N_("A quote opened on line %(line)d is never closed."),
                                line=start)
            line, start = start, lines.number + 1
            lines.row_chars = 0
            if not any(cells) or not "".join(cells).strip():
                continue  # blank line, or only delimiters (Excel's empty rows)
            if len(cells) > MAX_COLUMNS:
                raise ReadError(N_("Line %(line)d has more than %(n)d columns."),
                                line=line, n=MAX_COLUMNS)
            if not seen_header:
                cells[0] = cells[0].lstrip("\ufeff")
                seen_header = True
            yield line, cells
    except csv.Error as error:  # a cell over FIELD_LIMIT, mostly
        raise ReadError(N_("Line %(line)d cannot be read: %(reason)s."),
                        line=start, reason=str(error)[:80]) from error
    if not seen_header:
        raise ReadError(N_("The file is empty."))


def read_header(rows: Iterator[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    """The first row of `open_rows` (the headers), or ReadError when there is none."""
    try:
        return next(rows)
    except StopIteration as error:  # pragma: no cover - _rows raises first
        raise ReadError(N_("The file is empty.")) from error
