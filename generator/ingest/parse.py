"""Parse stage: one dump's bytes -> text -> ``ParsedDump``.

Curators paste a papers listing page into ``dumps/``, copied by whatever tool
they had. ``parse_dump`` tells the shape from the text and hands it to its
reader:

* ``plain.py``: ``spaced`` and ``glued``, title and abstract lines alternating;
* ``markdown.py``: every copy with a ``###`` heading per paper (a scraper's
  Markdown, a fenced page with reference links, trending cards, a notebook
  export);
* ``textcopy.py``: an HTML-to-text copy with each paper's URL on its own line.

Every reader reports what it skips with ``file:line`` and hands its papers to
``lines.Collector``, which refuses junk (``junk.py``) with an error. Dates are
read by ``dates.py``. Everything here is pure and linear in the size of the text.
"""

from __future__ import annotations

import re

from ..models import Diagnostic, ParsedDump
from .dates import is_possible_date, parse_date
from .lines import (
    ABSTRACT_MIN_LENGTH, EMPTY_MESSAGE, EXPECTED_LAYOUT, MAX_DIAGNOSTICS, SHORT_ABSTRACT_MIN_LENGTH, decode,
    is_boilerplate, line_kind, unescape_markdown,
)
from .links import arxiv_id_from_url, split_link
from .markdown import MAX_LINK_CHARS, MAX_LINK_LINES, MarkdownParser
from .plain import parse_plain
from .textcopy import TextCopyParser, is_text_copy

__all__ = [
    "ABSTRACT_MIN_LENGTH", "EMPTY_MESSAGE", "EXPECTED_LAYOUT", "MAX_DIAGNOSTICS", "MAX_LINK_CHARS", "MAX_LINK_LINES",
    "SHORT_ABSTRACT_MIN_LENGTH", "arxiv_id_from_url", "decode", "is_boilerplate", "is_possible_date", "line_kind",
    "parse_date", "parse_dump", "unescape_markdown",
]

_MARKDOWN_SIGN = re.compile(r"^[ \t]*(?:###[ \t]+\[|\[subscribe\]\()", re.MULTILINE | re.IGNORECASE)
_PAPER_HEADING = re.compile(r"^[ \t]{0,3}###[ \t]+\S", re.MULTILINE)
_REFERENCE_HEADING = re.compile(r"^[ \t]{0,3}###[ \t]+\[.*\]\[[^\]\n]*\][ \t]*$", re.MULTILINE)
_MARKDOWN_COMPANION = re.compile(
    r"^(?:#[ \t]+\S.*|[-*+][ \t]+\d+[ \t]+authors?|\[LINK:.*|---|```.*|~~~.*)$", re.MULTILINE | re.IGNORECASE)
_OPEN_HEADING = re.compile(r"^[ \t]{0,3}###[ \t]+\[[^\]\n]*$", re.MULTILINE)


def _is_markdown(text: str) -> bool:
    """A Markdown copy has ``###`` paper headings: one linking to ``/papers``, one whose link is a
    reference or wraps onto the next line, or several; or a ``[Subscribe](...)`` link.

    Checked on whole lines, so one title that merely starts with ``### [`` in a
    plain dump does not turn the dump into Markdown.
    """
    if "###" not in text and "](" not in text:
        return False  # no sign can be anywhere: skip the line-by-line regex (most of parsing a plain dump)
    for sign in _MARKDOWN_SIGN.finditer(text):
        end = text.find("\n", sign.start())
        line = text[sign.start():end if end >= 0 else len(text)].strip()
        link = split_link(line)
        if link and (line.startswith("[") or "/papers" in link[1]):
            return True
    if "###" not in text:
        return False
    if _REFERENCE_HEADING.search(text) or _OPEN_HEADING.search(text):
        return True
    headings = _PAPER_HEADING.finditer(text)
    if next(headings, None) is None:
        return False
    # One heading is Markdown when other Markdown is around it: a page title, a
    # notebook's "- 8 authors" or "[LINK: ...]", front matter or a fence.
    return next(headings, None) is not None or _MARKDOWN_COMPANION.search(text) is not None


def parse_dump(file: str, text: str) -> ParsedDump:
    """The papers in one dump's text, in order, with every problem as a diagnostic.

    ``layout`` is ``spaced``, ``glued``, ``markdown``, ``textcopy``, ``empty``
    (nothing but whitespace or page furniture), or ``unknown`` (not a listing:
    one error). An entry that would be junk is refused with an error. Never raises.
    """
    if not text.strip():
        return ParsedDump(file=file, layout="empty", entries=())
    try:
        # A text copy has no paper headings; a stray "[Subscribe](...)" line in it must not make it Markdown.
        if _PAPER_HEADING.search(text) is None and is_text_copy(text):
            return TextCopyParser(file).run_over(text)
        if _is_markdown(text):
            return MarkdownParser(file).run(text)
        return parse_plain(file, text)
    except Exception as bug:  # noqa: BLE001 - a parser bug must not take the build down without a word
        error = Diagnostic("error", f"the dump parser failed ({type(bug).__name__}: {bug}); please report it", file)
        return ParsedDump(file=file, layout="unknown", entries=(), diagnostics=(error,))
