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

import unicodedata

# Letters that Unicode does not decompose but a French reader takes for two letters (or one
# without its stroke); apostrophes typed by phones ("d’Ormesson") meet the keyboard's.
_SPELLED_OUT = str.maketrans({
    "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
    "’": "'", "‘": "'", "ʼ": "'",
})
SORT_KEY_LENGTH = 200  # the names' own length: a few folded ligatures may lengthen one


def fold(text: str) -> str:
    """`text` case-folded, without accents or ligatures: "Œuvre Édith" → "oeuvre edith"."""
    if text.isascii():
        return text.lower()  # the common case, ten times faster; the same result
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_SPELLED_OUT)


def sort_key(name: str | None) -> str:
    """The stored key that orders names as a French reader expects: accents and case set
    aside (É with E), ligatures spelled out, spaces collapsed; articles are kept ("Le
    Louvre" under L). Ties (Édith, Edith) are broken by the record's id."""
    return " ".join(fold(name or "").split())[:SORT_KEY_LENGTH]


def search_text(words: list[str | None]) -> str:
    """What a substring search reads: the words folded, joined by spaces."""
    return " ".join([fold(str(w)) for w in words if w])
