"""Names in French order and text without accents: the sort keys stored beside names and
the folded text that searches compare, the same on SQLite and PostgreSQL.

Neither database sorts "Édith" among the E's by itself (SQLite compares bytes, PostgreSQL
follows whatever collation the server was created with), and neither folds accents in a
LIKE. So both sides are folded here, in Python: a name's key is stored in its own indexed
`sort_name` column (compared byte for byte: "C" on PostgreSQL), and the search text and
every needle are folded alike. Plain Python (no import but the standard library): the
models, the import's bulk writer and the migrations use it.
"""

from __future__ import annotations

import functools
import sys
import unicodedata

# Letters that Unicode does not decompose but a French reader takes for two letters (or one
# without its stroke); apostrophes typed by phones ("d’Ormesson") meet the keyboard's.
SPELLED_OUT = str.maketrans({
    "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    "’": "'", "‘": "'", "ʼ": "'",
})
SORT_KEY_LENGTH = 200  # the names' own length: a few folded ligatures may lengthen one


@functools.cache
def _folding() -> dict[int, str | None]:
    """One translation table: every combining mark of Unicode (the accents NFKD sets
    apart) removed, the letters of SPELLED_OUT spelled out. Built on first use (~50 ms,
    912 marks); `translate` then runs in C, where a per-character test ran in Python."""
    table: dict[int, str | None] = {code: None for code in range(sys.maxunicode + 1)
                                    if unicodedata.combining(chr(code))}
    table.update(SPELLED_OUT)
    return table


def fold(text: str) -> str:
    """`text` case-folded, without accents or ligatures: "Œuvre Édith" → "oeuvre edith"."""
    if text.isascii():
        return text.lower()  # the common case, ten times faster; the same result
    return unicodedata.normalize("NFKD", text.casefold()).translate(_folding())


def sort_key(name: str | None) -> str:
    """The stored key that orders names as a French reader expects: accents and case set
    aside (É with E), ligatures spelled out, spaces collapsed; articles are kept ("Le
    Louvre" under L). Ties (Édith, Edith) are broken by the record's id."""
    return _sort_key_of(fold(name or ""))


def _sort_key_of(folded: str) -> str:
    """The sort key of a folded name: spaces collapsed, cut to the column's length."""
    return " ".join(folded.split())[:SORT_KEY_LENGTH]


def search_text(words: list[str | None]) -> str:
    """What a substring search reads: the words folded, joined by spaces."""
    return " ".join([fold(str(w)) for w in words if w])


def search_text_and_sort_key(words: list[str | None]) -> tuple[str, str]:
    """`search_text(words)` and `sort_key(words[0])`, each distinct word folded once (a
    name often comes again as the legal name)."""
    folded: dict[str, str] = {}
    for word in words:
        if word and word not in folded:
            folded[word] = fold(str(word))
    name = words[0] if words else None
    return (" ".join([folded[w] for w in words if w]),
            _sort_key_of(folded[name]) if name else "")
