"""The same person twice in one file: recognised by identity keys, merged, never a twin.

Plain Python (no Flask). `dedupe_within_file` streams: it keeps only the keys seen, never
the rows, so memory grows with the number of people, not with their data. Each key is
kept as its 64-bit hash next to the line of the person's first row, in two flat arrays
(open addressing, at most half full): 12 to 24 bytes a key, against ~100 in a dict —
a million-row file (1.7M keys) costs ~50-70 MB instead of ~200 MB.

It yields every row in file order and marks a later row of the same person with `same_as`
(the line of the first one); the importer merges it into that person's record with the
update rules (`merge_rows` does the same in memory: blanks filled, later figures win).
A row whose keys point at two different earlier people is refused: merging would fuse
two people.

Hash collisions could merge two different people; with 64-bit hashes the chance is about
n² / 3.7e19 (1e-7 for a million keys), which we accept for bounded memory.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator

from app.core.text import N_
from app.imports.parsing.rows import ACCOUNT_COUNTS, ACCOUNT_SHARES, NormalisedRow, RowProblem

Item = NormalisedRow | list[RowProblem]


class KeyTable:
    """64-bit key hash → line of the first row (an int), in two arrays (linear probing)."""

    __slots__ = ("hashes", "groups", "mask", "used")

    def __init__(self, capacity: int = 1 << 14) -> None:
        # Zero-filled by repetition: no temporary bytes object as big as the array.
        self.hashes = array("q", [0]) * capacity  # 0 marks an empty slot
        self.groups = array("i", [0]) * capacity  # line numbers fit in 31 bits
        self.mask = capacity - 1
        self.used = 0

    def find(self, key_hash: int) -> int:
        """The group of a key hash, or 0 when unseen. `key_hash` must not be 0."""
        hashes, mask = self.hashes, self.mask
        slot = key_hash & mask
        while True:
            found = hashes[slot]
            if found == key_hash:
                return self.groups[slot]
            if not found:
                return 0
            slot = (slot + 1) & mask

    def add(self, key_hash: int, group: int) -> None:
        """Record an unseen key hash (callers `find` first)."""
        hashes, mask = self.hashes, self.mask
        slot = key_hash & mask
        while hashes[slot]:
            slot = (slot + 1) & mask
        hashes[slot] = key_hash
        self.groups[slot] = group
        self.used += 1
        if self.used * 2 > mask:
            self._grow()

    def _grow(self) -> None:
        old = zip(self.hashes, self.groups, strict=True)
        self.__init__((self.mask + 1) * 4 if self.mask < 1 << 20 else (self.mask + 1) * 2)
        for key_hash, group in old:
            if key_hash:
                self.add(key_hash, group)


def dedupe_within_file(rows: Iterable[Item]) -> Iterator[Item]:
    """Mark rows of a person already seen in the file (`same_as`); problem lists pass through."""
    table = KeyTable()  # Python's hash: 64-bit, stable within the process, all we need
    for item in rows:
        if not isinstance(item, NormalisedRow):
            yield item
            continue
        hashes = [hash(key) or 1 for key in item.identity_keys()]
        found = [table.find(h) for h in hashes]
        if not any(found):  # the common case: someone new
            for key_hash in hashes:
                table.add(key_hash, item.line)
            yield item
            continue
        earlier = set(found) - {0}
        if len(earlier) > 1:
            first, second = sorted(earlier)[:2]
            template = N_("this row matches two different people (lines %(first)d and "
                          "%(second)d)")
            params = {"first": first, "second": second}
            yield [RowProblem(item.line, "", "", template % params, template, params)]
            continue
        group = earlier.pop() if earlier else item.line
        if group != item.line:
            item.same_as = group
        for key_hash, seen in zip(hashes, found, strict=True):
            if not seen:
                table.add(key_hash, group)
        yield item


def merge_rows(earlier: NormalisedRow, later: NormalisedRow) -> NormalisedRow:
    """Two rows of the same person: blanks are filled, the later figures win."""
    person = {**later.person, **earlier.person}  # earlier values kept, later fill blanks
    accounts = {(a["platform"], a["handle"]): dict(a) for a in earlier.accounts}
    for account in later.accounts:
        key = (account["platform"], account["handle"])
        if key in accounts:
            kept = accounts[key]
            figures = {k: v for k, v in account.items() if v is not None}
            kept.update({k: v for k, v in figures.items()
                         if k in (*ACCOUNT_COUNTS, *ACCOUNT_SHARES, "figures_on", "audience")
                         or kept.get(k) is None})
        else:
            accounts[key] = dict(account)
    tags = list(earlier.tags)
    folded = {t.casefold() for t in tags}
    tags += [t for t in later.tags if t.casefold() not in folded]
    return NormalisedRow(earlier.line, person, list(accounts.values()), tags, earlier.same_as)
