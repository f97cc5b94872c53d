"""A spreadsheet cell's value as the text the import reads: what Excel shows."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.imports.parsing.numbers import parse_count, parse_date, parse_share
from app.imports.parsing.sheet_cells import cell_text, number_text


@pytest.mark.parametrize(("value", "text"), [
    (12000.0, "12000"), (-0.0, "0"), (2.4, "2.4"), (0.1 + 0.2, "0.3"),
    (2.4000000000000004, "2.4"), (0.032, "0.032"), (1e-05, "0.00001"),
    (123456789012345.0, "123456789012345"), (1.234567890123457e19, "12345678901234600000"),
    (float("nan"), ""), (float("inf"), ""),
])
def test_numbers_as_excel_shows_them(value, text):
    assert number_text(value) == text


@pytest.mark.parametrize(("value", "text"), [
    ("Zoé", "Zoé"), ("a\x00b\x1fc\td\ne", "abc\td\ne"), (7, "7"), (True, "TRUE"),
    (False, "FALSE"), (date(2024, 3, 5), "2024-03-05"),
    (datetime(2024, 3, 5), "2024-03-05"), (datetime(2024, 3, 5, 14, 30), "2024-03-05 14:30"),
    (datetime(2024, 3, 5, 14, 30, 5), "2024-03-05 14:30:05"), (time(9, 5), "09:05"),
    (timedelta(hours=26), "1 day, 2:00:00"), (None, ""),
])
def test_cells_as_text(value, text):
    assert cell_text(value) == text


def test_the_import_reads_the_texts_back():
    assert parse_count(cell_text(12000.0)) == 12000
    assert parse_share(cell_text(0.032)) == pytest.approx(0.032)
    assert parse_date(cell_text(datetime(2024, 3, 5))) == date(2024, 3, 5)
    assert parse_date(cell_text(datetime(2024, 3, 5, 14, 30))) == date(2024, 3, 5)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_number_keeps_excels_fifteen_digits_in_plain_notation(value):
    text = number_text(value)
    assert "e" not in text.lower() and not text.endswith(".0")
    assert Decimal(text) == Decimal(repr(float(f"{value:.15g}"))) or (
        float(text) == float(f"{value:.15g}"))
    if value.is_integer() and abs(value) < 1e15:
        assert text == str(int(value))
