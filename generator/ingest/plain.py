"""The plain shapes: the listing page copied as text, one line per title and per abstract.

* ``spaced``: header lines, a date line (``Mar 12``), then title and abstract
  lines separated by blank lines;
* ``glued``: the same without blank lines, the first title glued to the header
  (``SubscribeThe N+ Implementation Details...``).

Header lines and dates are recognised by what they are (``is_boilerplate``,
``dates.parse_date``), never by where they stand. A line is told to be a title
or an abstract by its own form (``line_kind``); the alternation of the two is
then checked, and every line that does not fit is reported with ``file:line``.
"""

from __future__ import annotations

import re

from ..models import ParsedDump
from .dates import parse_date
from .lines import Collector, is_boilerplate, line_kind, numbered_lines, quote

_GET_TRENDING = re.compile(r"get trending papers\b.*", re.IGNORECASE)
_SUBSCRIBE = "subscribe"


def parse_plain(file: str, text: str) -> ParsedDump:
    """Spaced and glued dumps: boilerplate, a date, then title/abstract alternation."""
    out = Collector(file)
    title: tuple[str, int] | None = None
    after_get_trending = False
    subscribe_seen = False
    content_started = False
    blank_pending = False
    spaced = False
    for number, raw in numbered_lines(text):
        line = raw.strip()
        if not line:
            blank_pending = content_started
            continue
        if content_started and blank_pending:
            spaced = True
        blank_pending = False
        if is_boilerplate(line):
            out.markers += 1
            after_get_trending = _GET_TRENDING.fullmatch(line) is not None
            subscribe_seen = subscribe_seen or line.lower() == _SUBSCRIBE
            continue
        if (after_get_trending and not subscribe_seen and not out.candidates and title is None
                and line[:len(_SUBSCRIBE)].lower() == _SUBSCRIBE and line[len(_SUBSCRIBE):].strip()):
            # The glued copy runs the Subscribe button into the first title;
            # only right under the "Get trending papers" line is it the button.
            out.markers += 1
            subscribe_seen = True
            line = line[len(_SUBSCRIBE):].strip()
        after_get_trending = False
        if (date := parse_date(line)) is not None:
            out.dump_date(line, number, date)
            continue
        content_started = True
        kind = line_kind(line)
        if kind == "noise":
            out.report.warn(f"unrecognised line {quote(line)} (skipped)", number)
        elif title is None:
            if kind == "abstract":
                out.report.warn(f"abstract where a title should be: {quote(line)} (skipped)", number)
            else:
                title = (line, number)
        elif kind == "title":
            out.no_abstract(*title)
            title = (line, number)
        else:
            out.add(title[0], line, title[1])
            title = None
    if title is not None:
        out.no_abstract(*title)
    return out.finish("spaced" if spaced else "glued")
