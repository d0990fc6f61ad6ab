"""Adding a dump: its file name, its date, its manifest entry. Pure functions; ``cli`` does the I/O.

``python -m generator add`` and ``check`` of a file outside ``dumps/`` both use
``plan_dump``, so ``check`` shows exactly what ``add`` would give the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from slugify import slugify

from ..ingest.parse import is_possible_date, parse_date
from ..models import Diagnostic, InputError

_NUMBER = re.compile(r"^(\d+)_")
_UNREADABLE_STEM = re.compile(r"^[\d-]*$|^(?=.*\d)[0-9a-f]{8,}$")
"""File-name slugs that say nothing (``5f68fdda7be0eca0``, ``2``): the first title names the file instead."""
_GENERIC_STEMS = {"untitled", "papers", "daily-papers", "dump", "new", "download", "page", "text"}
NAME_MAX = 48


@dataclass(frozen=True)
class DumpPlan:
    """What adding one file to ``dumps/`` gives it."""

    name: str
    """The file name in ``dumps/``: ``005_efficient-attention.txt``."""
    date: dt.date | None
    title: str | None
    notes: tuple[str, ...] = ()
    """How the date was found, for the curator to read."""


def content_digest(data: bytes) -> str:
    """The identity of a dump's content: the same page saved twice has the same digest."""
    return hashlib.sha256(data).hexdigest()


def text_digest(text: str) -> str:
    """The identity of a dump's text, whatever its encoding and line ends were."""
    return hashlib.sha256("\n".join(line.rstrip() for line in text.strip().split("\n")).encode()).hexdigest()


def next_number(existing: Sequence[str]) -> tuple[int, int]:
    """The next free dump number after every ``NNN_`` name, and the digits to write it with."""
    numbers = [(int(m.group(1)), len(m.group(1))) for name in existing if (m := _NUMBER.match(name))]
    if not numbers:
        return 0, 3
    return max(n for n, _ in numbers) + 1, max(width for _, width in numbers)


def readable_slug(source_name: str, first_title: str | None) -> str:
    """The file name's words (without a number prefix), or the first title's when those say nothing."""
    stem = source_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    slug = slugify(_NUMBER.sub("", stem), max_length=NAME_MAX, word_boundary=True)
    if (not slug or _UNREADABLE_STEM.match(slug) or slug in _GENERIC_STEMS) and first_title:
        slug = slugify(first_title, max_length=NAME_MAX, word_boundary=True) or slug
    return slug or "dump"


def dump_name(existing: Sequence[str], source_name: str, first_title: str | None, suffix: str) -> str:
    number, width = next_number(existing)
    return f"{number:0{max(width, 3)}d}_{readable_slug(source_name, first_title)}{suffix.lower()}"


def date_from_line(date_text: str, today: dt.date) -> tuple[dt.date | None, str]:
    """A dump's own date line as a date, and a note saying how its year was found.

    The one place ``add`` reads a date line (switch it to ``ingest.dates`` when that lands).
    A line without a year gets the latest such date not after ``today``: a dump is
    copied from the page on the day it appears, or soon after.
    """
    found = parse_date(date_text)
    if found is None or not is_possible_date(*found):
        return None, f"its date line '{date_text}' is not a date"
    month, day, year = found
    if year is not None:
        return dt.date(year, month, day), f"date {dt.date(year, month, day).isoformat()} from its date line '{date_text}'"
    year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
    while not is_possible_date(month, day, year):  # Feb 29: the latest leap year
        year -= 1
    date = dt.date(year, month, day)
    return date, (f"date {date.isoformat()} from its date line '{date_text}', which has no year: "
                  f"{year} inferred (the latest {date_text} not after today); pass --date to change it")


def plan_dump(
    existing: Sequence[str],
    source_name: str,
    suffix: str,
    first_title: str | None,
    date_text: str | None,
    today: dt.date,
    date: dt.date | None = None,
    title: str | None = None,
) -> DumpPlan:
    """Name and manifest entry for a dump being added; ``date``/``title`` are the curator's own."""
    name = dump_name(existing, source_name, first_title, suffix)
    notes: list[str] = []
    if date is not None:
        notes.append(f"date {date.isoformat()} as given")
    elif date_text:
        date, note = date_from_line(date_text, today)
        notes.append(note)
    if date is None and title is None:
        notes.append("no date: pass --date YYYY-MM-DD (or --title TITLE for an undated collection)")
    return DumpPlan(name=name, date=date, title=title, notes=tuple(notes))


def _round_trip():
    from ruamel.yaml import YAML  # round-trip: the curator's comments and order survive

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def with_manifest_entry(manifest_file: str, text: str, name: str, date: dt.date | None, title: str | None) -> str:
    """The manifest's text with ``name``'s entry added (or replaced), everything else as it was.

    Raises:
        InputError: the manifest is not YAML, or not a mapping with a ``dumps`` mapping.
    """
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    yaml = _round_trip()
    try:
        document = yaml.load(text) if text.strip() else None
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InputError(Diagnostic("error", "not valid YAML", manifest_file, mark.line + 1 if mark else None)) from None
    if document is None:
        document = CommentedMap()
    if not isinstance(document, Mapping):
        raise InputError(Diagnostic("error", "must be a mapping with a 'dumps' key", manifest_file))
    dumps = document.get("dumps")
    if dumps is None:
        dumps = document["dumps"] = CommentedMap()
    if not isinstance(dumps, Mapping):
        raise InputError(Diagnostic("error", "'dumps' must be a mapping of file names", manifest_file))
    entry = CommentedMap()
    if date is not None:
        entry["date"] = date
    if title is not None:
        entry["title"] = title
    dumps[name] = entry
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()
