"""Counts, percentages and dates as people type them, French and English."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.imports.parsing.numbers import (
    COUNT_MAX,
    ValueProblem,
    parse_count,
    parse_date,
    parse_share,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12000", 12000), ("12 000", 12000), ("12\u00a0000", 12000), ("12\u202f000", 12000),
        ("12,000", 12000), ("12.000", 12000), ("1.234.567", 1234567), ("1,234,567", 1234567),
        ("1 234 567", 1234567), ("12'000", 12000), ("9,5 M", 9_500_000), ("9.5M", 9_500_000),
        ("12k", 12000), ("12 k", 12000), ("12K", 12000), ("1,2 Md", 1_200_000_000),
        ("1.2B", 1_200_000_000), ("3 millions", 3_000_000), ("15 K abonnés", 15000),
        ("1.5k", 1500), ("1,5k", 1500), ("12 400 abonnés", 12400), ("2 M followers", 2_000_000),
        ("1,234", 1234), ("12000.0", 12000), ("12 000,00", 12000), ("0", 0), ("  42 ", 42),
        ("1,2345k", 1234), ("+12", 12),
        ("", None), ("  ", None), ("-", None), ("n/a", None), ("NC", None), ("—", None),
        (None, None),
    ],
)
def test_parse_count(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1,5", "not a whole number"), ("12.5", "not a whole number"), ("-5", "negative"),
        ("−5", "negative"), ("abc", "not a number"), ("12 apples", "not a number"),
        ("12 3456", "not a number"), ("1,2,3", "not a number"), ("1e5", "not a number"),
        ("12 zillion", "not a number"), ("3 Md 4", "not a number"),
        ("99999999999", "too large"), ("5 Md", "too large"), ("1..2", "not a number"),
    ],
)
def test_parse_count_refuses_with_a_short_reason(text, reason):
    with pytest.raises(ValueProblem) as error:
        parse_count(text)
    assert str(error.value) == reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3,2 %", 0.032), ("3.2%", 0.032), ("3,2%", 0.032), ("0.032", 0.032), ("0,032", 0.032),
        ("32", 0.32), ("100 %", 1.0), ("0 %", 0.0), ("1", 1.0), ("45,25 %", 0.4525),
        ("12 pct", 0.12), ("3,2\u00a0%", 0.032), ("", None), ("n/a", None), (None, None),
        (".5", 0.5),
    ],
)
def test_parse_share(text, expected):
    assert parse_share(text) == pytest.approx(expected) if expected is not None \
        else parse_share(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [("101 %", "more than 100 %"), ("250", "more than 100 %"), ("-1 %", "negative"),
     ("abc", "not a percentage"), ("3,2 %%", "not a percentage"), ("1 2 %", "not a number")],
)
def test_parse_share_refuses(text, reason):
    with pytest.raises(ValueProblem) as error:
        parse_share(text)
    assert str(error.value) == reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/03/2024", date(2024, 3, 5)), ("5/3/2024", date(2024, 3, 5)),
        ("05-03-2024", date(2024, 3, 5)), ("05.03.2024", date(2024, 3, 5)),
        ("2024-03-05", date(2024, 3, 5)), ("2024-03-05T10:30:00Z", date(2024, 3, 5)),
        ("2024-03-05 10:30", date(2024, 3, 5)), ("2024-03-05T10:30:00+01:00", date(2024, 3, 5)),
        ("05/03/2024 14:30", date(2024, 3, 5)), ("12/05/85", date(1985, 5, 12)),
        ("29/02/2024", date(2024, 2, 29)), ("", None), ("-", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [("31/02/2024", "no such day"), ("2024-13-01", "no such day"),
     ("29/02/2023", "no such day"), ("05/03/2024/1", "not a date (dd/mm/yyyy)"),
     ("March 5", "not a date (dd/mm/yyyy)"), ("45123", "not a date (dd/mm/yyyy)"),
     ("01/01/1850", "year out of range"), ("2024-03-05Tnope", "not a date (dd/mm/yyyy)")],
)
def test_parse_date_refuses(text, reason):
    with pytest.raises(ValueProblem) as error:
        parse_date(text)
    assert str(error.value) == reason


def _styles(n: int) -> list[str]:
    english = f"{n:,}"
    return [
        str(n), english, english.replace(",", "."), english.replace(",", " "),
        english.replace(",", "\u00a0"), english.replace(",", "\u202f"),
        f"{english} abonnés", f" {n} ",
    ]


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=COUNT_MAX))
def test_counts_written_in_any_style_read_back(n):
    for text in _styles(n):
        assert parse_count(text) == n, text


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.sampled_from(
    [("k", 1000), (" K", 1000), (" M", 1_000_000), ("M", 1_000_000), (" Md", 10**9)]))
def test_counts_with_a_suffix_read_back(tenths, suffix):
    text, multiplier = suffix
    value = tenths * multiplier // 10
    if value > COUNT_MAX:
        return
    for written in (f"{tenths / 10:g}{text}", f"{tenths / 10:g}{text}".replace(".", ",")):
        assert parse_count(written) == value, written


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10000))
def test_percentages_read_back(hundredths):
    percent = hundredths / 100
    for text in (f"{percent:g} %", f"{percent:g}%".replace(".", ","), f"{percent / 100:.6f}"):
        assert parse_share(text) == pytest.approx(percent / 100), text


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_read_back(day):
    for text in (day.strftime("%d/%m/%Y"), day.isoformat(), day.strftime("%d.%m.%Y"),
                 day.strftime("%d-%m-%Y"), f"{day.isoformat()}T08:00:00Z"):
        assert parse_date(text) == day, text


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_random_text_is_a_value_or_a_value_problem(assert_value_or_problem, text):
    assert_value_or_problem(text)
