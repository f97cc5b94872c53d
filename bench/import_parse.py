"""Parsing stage of the CSV import: sniff, stream, normalise and de-duplicate a big file.

    python -m bench.import_parse                   # 100 000 rows
    python -m bench.import_parse --rows 1000000    # peak memory must stay flat (< 300 MB)

Generates a French-Excel-like file (cp1252, `;`, CRLF, "9,5 M", "12 400", "3,2 %",
dd/mm/yyyy) with 10 % duplicate people and 2 % bad rows into a temporary directory, then
times `sniff` + `open_rows` + `normalise_row` + `dedupe_within_file` over it and prints
rows/s and the process's peak memory (ru_maxrss). No database: the end-to-end bar
(≥ 20 000 rows/s with the writes) needs this stage well above it (≥ 60 000 rows/s).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import tempfile
import time
from pathlib import Path

from app.imports.parsing.dedupe import dedupe_within_file
from app.imports.parsing.mapping import suggest_mapping
from app.imports.parsing.reading import open_rows, sniff
from app.imports.parsing.rows import ColumnPlan, NormalisedRow, normalise_row

HEADERS = ["Prénom", "Nom", "Réseau", "Compte", "Abonnés", "Taux d'engagement", "E-mail",
           "Ville", "Pays", "Catégorie", "Statut", "% Femmes", "18-24", "25-34",
           "Date des statistiques", "Remarques"]
FIRST = ["Camille", "Léa", "Zoé", "Chloé", "Hugo", "Noé", "Inès", "Maël", "Jérôme", "Anaïs"]
LAST = ["Dupont", "Lœvenbruck", "Martin", "Bérénice", "Lefèvre", "Müller", "Garçon", "Roux"]
PLATFORMS = ["Instagram", "Insta", "TikTok", "YouTube", "YT", "Twitter", "Twitch"]
CITIES = ["Paris", "Besançon", "Lyon", "Orléans", "Saint-Étienne", "Genève", "Liège"]
COUNTRIES = ["France", "FR", "Belgique", "Suisse", "United Kingdom", "Canada"]
TAGS = ["beauté", "mode", "voyage", "food", "tech", "sport", "maman", "écologie"]
STATUSES = ["Prospect", "Contacté", "Engagée", "Ambassadrice", "", "Ne pas contacter"]
BAD = [(4, "beaucoup"), (6, "camille@"), (8, "Atlantide"), (5, "140 %"), (14, "31/02/2024")]


def _followers(rng: random.Random) -> str:
    n = int(rng.lognormvariate(10, 1.6))
    style = rng.randrange(4)
    if style == 0 and n >= 1_000_000:
        return f"{n / 1_000_000:.1f} M".replace(".", ",")
    if style == 1 and n >= 10_000:
        return f"{n // 1000}k"
    if style == 2:
        return f"{n:,}".replace(",", "\u00a0")
    return str(n)


def _row(rng: random.Random, person: int) -> list[str]:
    first, last = FIRST[person % len(FIRST)], LAST[person % len(LAST)]
    handle = f"@{first[:2]}_{last[:2]}{person}".lower().encode("ascii", "ignore").decode()
    return [
        first, last, PLATFORMS[person % len(PLATFORMS)], handle, _followers(rng),
        f"{rng.uniform(0.3, 9):.1f} %".replace(".", ","),
        f"contact{person}@exemple.fr" if rng.random() < 0.7 else "",
        rng.choice(CITIES), rng.choice(COUNTRIES), ", ".join(rng.sample(TAGS, 2)),
        rng.choice(STATUSES), f"{rng.randint(20, 80)} %", f"{rng.randint(5, 40)},5 %",
        f"{rng.randint(5, 40)} %", f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2025",
        "Vu au salon; “très pro”, budget 1 500 €" if rng.random() < 0.1 else "",
    ]


def generate(path: Path, rows: int, seed: int = 3) -> None:
    """French Excel CSV: 10 % of rows repeat an earlier person, 2 % carry a bad value."""
    rng = random.Random(seed)
    with open(path, "w", encoding="cp1252", newline="") as file:
        writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADERS)
        people = 0
        for _ in range(rows):
            roll = rng.random()
            if roll < 0.10 and people:
                row = _row(rng, rng.randrange(people))  # same person, new figures
            else:
                row = _row(rng, people)
                people += 1
            if roll > 0.98:
                column, value = rng.choice(BAD)
                row[column] = value
            writer.writerow(row)


def parse(path: Path) -> dict[str, int]:
    found = sniff(path)
    rows = open_rows(path, found.encoding, found.delimiter)
    _, headers = next(rows)
    plan = ColumnPlan(headers, suggest_mapping(headers))
    counts = {"rows": 0, "accepted": 0, "duplicates": 0, "rejected": 0}

    def normalised():
        for line, cells in rows:
            counts["rows"] += 1
            yield normalise_row(cells, plan, line)

    for item in dedupe_within_file(normalised()):
        if isinstance(item, NormalisedRow):
            counts["accepted"] += 1
            counts["duplicates"] += item.same_as is not None
        else:
            counts["rejected"] += 1
    return counts


def read_only(path: Path) -> int:
    """The reading stage alone (sniff + open_rows), to split the figure by stage."""
    return sum(1 for _ in open_rows(path)) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "influenceurs.csv"
        started = time.perf_counter()
        generate(path, args.rows)
        size = path.stat().st_size
        print(f"generated {args.rows:,} rows ({size / 1e6:.1f} MB, cp1252, ';') "
              f"in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        counts = parse(path)
        elapsed = time.perf_counter() - started
        started = time.perf_counter()
        read_only(path)
        reading = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = counts["rows"] / elapsed
    print(f"parsed {counts['rows']:,} rows in {elapsed:.2f} s: {rate:,.0f} rows/s "
          f"({'OK' if rate >= 60_000 else 'UNDER'} the 60 000 rows/s aim)")
    print(f"  of which reading (sniff + open_rows): {reading / counts['rows'] * 1e6:.1f} µs/row, "
          f"normalise + dedupe: {(elapsed - reading) / counts['rows'] * 1e6:.1f} µs/row")
    print(f"accepted {counts['accepted']:,} (of which {counts['duplicates']:,} duplicates "
          f"of an earlier row), rejected {counts['rejected']:,}")
    print(f"peak memory of the process (ru_maxrss): {peak_mb:.0f} MB "
          f"({'OK' if peak_mb < 300 else 'OVER'} the 300 MB bar)")


if __name__ == "__main__":
    main()
