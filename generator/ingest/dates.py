"""The one parser of dates as dumps write them.

A listing page prints its own date (``Mar 12``, ``Sep 29, 2023``) and each
paper's (``Feb 27, 2025``, ``Published on Oct 4, 2026``). Every stage that reads
such a date calls this module: the parser (the dump's date line, a paper's
date), the digests (a dump's date when the manifest gives none) and the dump
writer. Shapes understood, with or without a year:

* ``Mar 12``, ``Mar. 12``, ``March 12``, ``Sept 12``, ``Sep 29, 2023``, ``Sep 29 2023``;
* ``12 Mar``, ``12 March 2024``, ``12 Mar, 2024``.

A month is its English name or the first three letters of it (``Sept`` too),
in any case: ``Marzipan 12`` is not a date. ``Feb 30`` is date-shaped but
impossible; ``read_date`` refuses it, ``parse_date`` reports the shape only so
the parser can say *why* a line was not taken as a date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NUMBERS = {name: number for number, name in enumerate(_MONTHS, start=1)}
_MONTH_NAMES = {calendar.month_name[n].lower(): n for n in range(1, 13)} | {"sept": 9} | _MONTH_NUMBERS
_MONTH = r"([A-Za-z]{3,9})\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})"
_MONTH_FIRST = re.compile(rf"{_MONTH}[ \t]+{_DAY}(?:,?[ \t]+{_YEAR})?")
_DAY_FIRST = re.compile(rf"{_DAY}[ \t]+{_MONTH},?(?:[ \t]+{_YEAR})?")
MIN_YEAR, MAX_YEAR = 1900, 2199
"""A four-digit number outside these is not the year of a listing page."""


class DumpDate(NamedTuple):
    """A date as a dump writes it: the year may be missing."""

    month: int
    day: int
    year: int | None

    def on(self, year: int) -> dt.date | None:
        """This date in ``year`` (when it has none of its own); None if that day does not exist."""
        try:
            return dt.date(self.year or year, self.month, self.day)
        except ValueError:
            return None


def _month(name: str) -> int | None:
    return _MONTH_NAMES.get(name.lower())


def parse_date(text: str) -> DumpDate | None:
    """``Mar 12`` -> (3, 12, None), ``Sep 29, 2023`` -> (9, 29, 2023); None if not date-shaped.

    The whole (trimmed) text must be the date. The day is not checked against
    the month: see ``is_possible_date``.
    """
    text = text.strip()
    if not text or len(text) > 24 or not (text[0].isalpha() or text[0].isdigit()):
        return None
    if match := _MONTH_FIRST.fullmatch(text):
        name, day, year = match.groups()
    elif match := _DAY_FIRST.fullmatch(text):
        day, name, year = match.groups()
    else:
        return None
    month = _month(name)
    if month is None:
        return None
    number = int(year) if year else None
    if number is not None and not MIN_YEAR <= number <= MAX_YEAR:
        return None
    return DumpDate(month, int(day), number)


def is_possible_date(month: int, day: int, year: int | None) -> bool:
    """Whether the day exists in that month (Feb 29 only in leap years, or with no year)."""
    if not 1 <= month <= 12:
        return False
    last = calendar.monthrange(year if year else 2000, month)[1]
    return 1 <= day <= last


def read_date(text: str) -> DumpDate | None:
    """A date that exists, from text that is nothing but that date; None otherwise."""
    date = parse_date(text)
    return date if date is not None and is_possible_date(*date) else None


_PUBLISHED = re.compile(r"(?:[\u00b7\u2022][ \t]*)?(?:published(?:[ \t]+on)?[ \t]*:?[ \t]*)?(.+)", re.IGNORECASE)


def published_date(text: str) -> tuple[str, DumpDate] | None:
    """``· Published on Oct 4, 2026`` -> (``Oct 4, 2026``, its date); None if no date is all it says."""
    match = _PUBLISHED.fullmatch(text.strip())
    if match is None:
        return None
    shown = match.group(1).strip()
    date = parse_date(shown)
    return (shown, date) if date is not None else None
