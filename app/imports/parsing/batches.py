"""A mapped file as batches of normalised, de-duplicated rows: what the importer writes.

Plain Python (no Flask, no database). The import parses in the thread that writes: on the
two-core machines we measure on, a parsing thread (one interpreter lock, handed over at
every SQLite call) or a parsing process (two busy processes each run at two thirds of
their speed there) made the whole import slower, not faster; see bench/README.md.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.collation import search_text_and_sort_key
from app.imports.parsing.dedupe import dedupe_within_file
from app.imports.parsing.reading import open_rows, read_header
from app.imports.parsing.rows import ColumnPlan, NormalisedRow, RowProblem, normalise_row

Batch = list[NormalisedRow | list[RowProblem]]


def read_batches(path: str, encoding: str, delimiter: str, mapping: dict[int, str | None],
                 size: int) -> Iterator[tuple[Batch, int]]:
    """→ (up to `size` normalised rows or problem lists, lines read so far), in file order."""
    rows = open_rows(path, encoding, delimiter)
    total = 0
    try:
        _line, headers = read_header(rows)
        plan = ColumnPlan(headers, mapping)

        def normalised():
            nonlocal total
            for line, cells in rows:
                total += 1
                yield normalise_row(cells, plan, line)

        batch: Batch = []
        for item in dedupe_within_file(normalised()):
            if type(item) is NormalisedRow and item.same_as is None:
                item.texts = created_texts(item)
            batch.append(item)
            if len(batch) >= size:
                yield batch, total
                batch = []
        yield batch, total
    finally:
        rows.close()


def created_texts(row: NormalisedRow) -> tuple[str, str]:
    """The search text and sort key of an influencer created from `row` alone, as
    app.imports.people.Person.denormalised_values computes them: the name shown, the legal
    name, the e-mail, then each account's handle once, in the row's order."""
    name = row.display_name()[:200]
    person = row.person
    words = [name, person.get("legal_name"), person.get("email")]
    seen = set()
    for account in row.accounts:
        key = (account["platform"], account["handle"])
        if key not in seen:
            seen.add(key)
            words.append(account["handle"])
    return search_text_and_sort_key(words)
