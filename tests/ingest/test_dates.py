"""The one date parser: every shape a dump writes a date in, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from generator.ingest.dates import DumpDate, is_possible_date, parse_date, published_date, read_date


@pytest.mark.parametrize("text, expected", [
    ("Mar 12", (3, 12, None)),
    ("Mar. 12", (3, 12, None)),
    ("March 12", (3, 12, None)),
    ("march 12", (3, 12, None)),
    ("Sept 3", (9, 3, None)),
    ("September 3", (9, 3, None)),
    ("Sep 29, 2023", (9, 29, 2023)),
    ("Sep 29 2023", (9, 29, 2023)),
    ("12 Mar 2024", (3, 12, 2024)),
    ("12 March", (3, 12, None)),
    ("12 Mar, 2024", (3, 12, 2024)),
    ("  Oct 4, 2026 ", (10, 4, 2026)),
    ("Feb 30", (2, 30, None)),  # date-shaped: read_date refuses it
])
def test_date_shapes(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "Marzipan 12", "Mart 12", "Ma 12", "Mar", "12", "Mar 123", "Mar 12, 23", "Mar 12, 12345",
    "Subscribe", "Mar 12 and more", "Mar 12, 0042", "", "Sep 29, 2023.", "Mayday 1",
])
def test_not_dates(text):
    assert parse_date(text) is None


def test_impossible_dates_are_refused_by_read_date():
    assert read_date("Feb 30") is None and read_date("Apr 31, 2024") is None and read_date("Jun 0") is None
    assert read_date("Feb 29") == (2, 29, None)  # possible in some year
    assert read_date("Feb 29, 2024") == (2, 29, 2024) and read_date("Feb 29, 2025") is None
    assert not is_possible_date(13, 1, None)


def test_on_a_year():
    assert DumpDate(3, 12, None).on(2025) == dt.date(2025, 3, 12)
    assert DumpDate(3, 12, 2023).on(2025) == dt.date(2023, 3, 12)
    assert DumpDate(2, 29, None).on(2025) is None


@pytest.mark.parametrize("text, shown", [
    ("· Published on Oct 4, 2026", "Oct 4, 2026"),
    ("Published on Oct 4, 2026", "Oct 4, 2026"),
    ("Feb 27, 2025", "Feb 27, 2025"),
    ("Sep 9", "Sep 9"),
    ("\u00b7 Sep 9", "Sep 9"),
])
def test_published_dates(text, shown):
    assert published_date(text)[0] == shown


def test_published_needs_a_date():
    assert published_date("Published on Marzipan 4") is None and published_date("Published by us") is None


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@settings(max_examples=200, deadline=None)
@given(day=st.dates(dt.date(1950, 1, 1), dt.date(2150, 12, 31)), with_year=st.booleans(),
       style=st.sampled_from(["{b} {d}", "{B} {d}", "{d} {b}", "{d} {B}"]))
def test_every_real_date_reads_back(day, with_year, style):
    text = style.format(b=MONTHS[day.month - 1], B=f"{day:%B}", d=day.day)
    if with_year:
        text += f", {day.year}" if style.startswith("{b}") or style.startswith("{B}") else f" {day.year}"
    expected = DumpDate(day.month, day.day, day.year if with_year else None)
    assert read_date(text) == expected
    assert expected.on(day.year) == day
