"""What every dump parser shares: decoding, line kinds, and the collector of entries and problems.

The parsers of each shape (``plain``, ``markdown``, ``textcopy``) read lines
and hand papers to a ``Collector``; it numbers them, keeps the dump's date,
caps the diagnostics, and refuses junk entries (``junk.py``) when it finishes.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ..models import Diagnostic, Entry, ParsedDump
from .dates import is_possible_date
from .junk import refusal
from .normalize import title_key

LineKind = Literal["title", "abstract", "either", "noise"]

EXPECTED_LAYOUT = (
    "expected a papers listing: title lines each followed by an abstract line, "
    "or the Markdown copy with '### [Title](...)' headings"
)
EMPTY_MESSAGE = "empty dump: no papers in it"
MAX_DIAGNOSTICS = 200
"""Per dump; beyond this one summary line says how many more there were."""

# Every real title is at most 164 characters and every real abstract at least
# 428, so length alone settles most lines; sentence structure settles the rest.
ABSTRACT_MIN_LENGTH = 250
"""A line this long is an abstract whatever else it looks like."""
SHORT_ABSTRACT_MIN_LENGTH = 80
"""Below this even full sentences ending in a full stop could be a title: such a line is "either"."""

# Lines the listing page prints around the papers; matched on the whole
# trimmed line, case-insensitively (Markdown list markers, heading marks and
# link wrapping are peeled off first in the Markdown shapes).
_BOILERPLATE = re.compile("|".join(f"(?:{pattern})" for pattern in (
    r"new",
    r"daily papers",
    r"trending papers",
    r"get trending papers in your email inbox(?: once a day)?\s*!?",
    r"subscribe",
    r"by\s*ak and the research community",
    r"daily|weekly|monthly",
)), re.IGNORECASE)
_BOILERPLATE_MAX_LENGTH = 80
_ALNUM = re.compile(r"[^\W_]")
_SENTENCE_BREAK = re.compile(r"(\w)\.[\"'\u201d\u2019)\]]*\s+[\"'\u201c\u2018(\[]*(\w)")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~ ])")


# ---------------------------------------------------------------- decoding

def decode(file: str, data: bytes) -> tuple[str | None, tuple[Diagnostic, ...]]:
    """Bytes of a dump -> its text with ``\\n`` line ends, and what went wrong.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are read. Binary or
    undecodable data gives ``None`` and an error; an empty dump gives ``""``
    and a warning. Never raises.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding, skip = "utf-8", len(codecs.BOM_UTF8)
    elif data.startswith(codecs.BOM_UTF16_LE):
        encoding, skip = "utf-16-le", len(codecs.BOM_UTF16_LE)
    elif data.startswith(codecs.BOM_UTF16_BE):
        encoding, skip = "utf-16-be", len(codecs.BOM_UTF16_BE)
    else:
        encoding, skip = "utf-8", 0
    if encoding == "utf-8" and (nul := data.find(b"\x00")) >= 0:
        head = data[:400]
        # Mostly-ASCII UTF-16 has a NUL in every other byte.
        halves = (head[0::2], head[1::2])
        utf16 = len(head) >= 8 and any(half.count(0) >= 0.9 * len(half) for half in halves)
        guess = "UTF-16 without a byte-order mark? save it as UTF-8" if utf16 else "a binary file?"
        return None, (Diagnostic("error", f"not a text dump: NUL byte at offset {nul} ({guess})", file),)
    try:
        text = data[skip:].decode(encoding)
    except UnicodeDecodeError as problem:
        offset = skip + problem.start
        byte = data[offset] if offset < len(data) else None
        shown = f"byte 0x{byte:02x}" if byte is not None else "truncated data"
        return None, (Diagnostic(
            "error", f"not a text dump: not valid UTF-8 or UTF-16 ({shown} at offset {offset})", file),)
    if (nul := text.find("\x00")) >= 0:
        return None, (Diagnostic(
            "error", f"not a text dump: NUL character at character {nul} (a binary file?)", file),)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return "", (Diagnostic("warning", EMPTY_MESSAGE, file),)
    return text, ()


# ---------------------------------------------------------------- what a line is

def is_boilerplate(line: str) -> bool:
    """True for the page's own header lines (``Subscribe``, ``new``...), trimmed."""
    return len(line) <= _BOILERPLATE_MAX_LENGTH and _BOILERPLATE.fullmatch(line) is not None


def line_kind(line: str) -> LineKind:
    """What a trimmed line of a plain dump looks like on its own.

    ``abstract``: long, or several sentences ending in a full stop;
    ``title``: no full stop ending it or a sentence inside it (``?`` and ``!``
    are allowed: ``Upsample or Upweight? Balanced Training...`` is a title); ``either``: too
    short or too odd to call (accepted wherever the alternation expects it);
    ``noise``: no letter or digit at all.
    """
    length = len(line)
    if length >= ABSTRACT_MIN_LENGTH:
        return "abstract"
    if not _ALNUM.search(line):
        return "noise"
    ends_sentence = line.endswith(".") and not line.endswith("..")
    breaks = any(m.group(2)[0].isupper() or m.group(2)[0].isdigit() for m in _SENTENCE_BREAK.finditer(line))
    if ends_sentence and breaks and length >= SHORT_ABSTRACT_MIN_LENGTH:
        return "abstract"
    if not ends_sentence and not breaks:
        return "title"
    return "either"


def unescape_markdown(text: str) -> str:
    """Undo the backslash escapes a Markdown copy adds (``\\*`` -> ``*``, ``\\ `` -> space)."""
    return _ESCAPED.sub(r"\1", text)


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based number, line) for every ``\\n``-separated line, one at a time."""
    start, number, size = 0, 1, len(text)
    while start <= size:
        end = text.find("\n", start)
        if end < 0:
            end = size
        yield number, text[start:end]
        start, number = end + 1, number + 1


def quote(text: str, limit: int = 80) -> str:
    return "'" + (text if len(text) <= limit else text[:limit].rstrip() + "\u2026") + "'"


class Report:
    """Diagnostics of one dump, capped so a hostile file cannot flood memory."""

    def __init__(self, file: str):
        self.file = file
        self.items: list[Diagnostic] = []
        self.hidden = 0
        self.problems = 0
        self.refused = 0

    def warn(self, message: str, line: int | None) -> None:
        self.problems += 1
        self._keep(Diagnostic("warning", message, self.file, line))

    def error(self, message: str, line: int | None) -> None:
        """An entry refused: the strict build fails, the plain one names what it dropped."""
        self.refused += 1
        self._keep(Diagnostic("error", message, self.file, line))

    def _keep(self, diagnostic: Diagnostic) -> None:
        if len(self.items) < MAX_DIAGNOSTICS:
            self.items.append(diagnostic)
        else:
            self.hidden += 1

    def result(self) -> tuple[Diagnostic, ...]:
        # In file order: some are only known when the dump is finished (refusals, lone cards).
        items = sorted(self.items, key=lambda d: d.line if d.line is not None else float("inf"))
        if self.hidden:
            more = Diagnostic("warning", f"{self.hidden} more problems like these not listed", self.file)
            return (*items, more)
        return tuple(items)


@dataclass
class Candidate:
    """A paper as a parser read it, before duplicates are folded and junk refused."""

    title: str
    line: int
    abstract: str | None = None
    arxiv_id: str | None = None
    upvotes: int | None = None
    published: str | None = None
    author_count: int | None = None
    cut_off: bool = False
    """The copy ended (or said "[Content truncated]") inside this paper's abstract."""

    def identity(self) -> str:
        return "a:" + self.arxiv_id if self.arxiv_id else "t:" + title_key(self.title)


class Collector:
    """State shared by every parser: entries, the dump's date, diagnostics."""

    def __init__(self, file: str):
        self.file = file
        self.report = Report(file)
        self.candidates: list[Candidate] = []
        self.date_text: str | None = None
        self.date_line: int | None = None
        self.markers = 0
        """Header or date lines seen: evidence that this is a listing page at all."""

    def add(self, title: str, abstract: str, line: int, **extra) -> None:
        self.candidates.append(Candidate(title, line, abstract, **extra))

    def offer(self, candidate: Candidate) -> None:
        self.candidates.append(candidate)

    def no_abstract(self, title: str, line: int) -> None:
        self.report.warn(f"title with no abstract: {quote(title, 200)} (skipped)", line)

    def dump_date(self, line: str, number: int, date: tuple[int, int, int | None]) -> None:
        self.markers += 1
        if not is_possible_date(*date):
            self.report.warn(f"impossible date {quote(line)} (ignored)", number)
        elif self.date_text is None:
            self.date_text, self.date_line = line, number
        else:
            self.report.warn(f"second date line {quote(line)} (ignored: the dump's date is "
                             f"'{self.date_text}' from line {self.date_line})", number)

    def _fold_repeats(self) -> list[Candidate]:
        """One candidate per paper: a page that shows a paper twice (a compact card and
        the full one) gives it once, with the fullest text and every detail either had.

        Two sightings are one paper when they name the same arXiv id, or neither
        names one and their titles are the same, and their abstracts agree.
        """
        kept: dict[str, Candidate] = {}
        order: list[Candidate] = []
        for candidate in self.candidates:
            key = candidate.identity()
            first = kept.get(key)
            if first is None or not _same_text(first.abstract, candidate.abstract):
                kept.setdefault(key, candidate)
                order.append(candidate)
                continue
            if len(candidate.abstract or "") > len(first.abstract or ""):
                first.abstract, first.cut_off, first.line = candidate.abstract, candidate.cut_off, candidate.line
                first.title = candidate.title
            for name in ("upvotes", "published", "author_count"):
                if getattr(first, name) is None:
                    setattr(first, name, getattr(candidate, name))
        return order

    def _entries(self, fold: bool) -> list[Entry]:
        entries: list[Entry] = []
        for candidate in self._fold_repeats() if fold else self.candidates:
            if candidate.abstract is None:
                self.no_abstract(candidate.title, candidate.line)
                continue
            if reason := refusal(candidate.title, candidate.abstract, candidate.cut_off):
                self.report.error(f"refused {quote(candidate.title)}: {reason} (not published)", candidate.line)
                continue
            entries.append(Entry(
                title=candidate.title, abstract=candidate.abstract, file=self.file, line=candidate.line,
                position=len(entries), arxiv_id=candidate.arxiv_id, upvotes=candidate.upvotes,
                published=candidate.published, author_count=candidate.author_count))
        return entries

    def finish(self, layout: str, fold: bool = False) -> ParsedDump:
        """The dump as parsed. ``fold``: the shape may show one paper twice (see ``_fold_repeats``)."""
        entries = self._entries(fold)
        found = len(entries) + self.report.refused
        if not found:
            if not self.markers:
                error = Diagnostic("error", f"layout not recognised; {EXPECTED_LAYOUT}", self.file)
                return ParsedDump(file=self.file, layout="unknown", entries=(), diagnostics=(error,))
            if not self.report.problems:
                layout = "empty"  # nothing but page furniture
            self.report.warn(EMPTY_MESSAGE, None)
        elif not self.markers and self.report.problems > found:
            # No header, no date, and more lines out of place than papers found:
            # whatever pairs turned up are more likely accident than listing.
            error = Diagnostic("error", f"layout not recognised ({self.report.problems} lines out of place, "
                                        f"{found} pairs); {EXPECTED_LAYOUT}", self.file)
            return ParsedDump(file=self.file, layout="unknown", entries=(), diagnostics=(error,))
        return ParsedDump(file=self.file, layout=layout, entries=tuple(entries),
                          diagnostics=self.report.result(), date_text=self.date_text, date_line=self.date_line)


def _same_text(a: str | None, b: str | None) -> bool:
    """Whether two sightings' abstracts are one text: equal, missing, or one the start of the other
    (a compact card's "…" summary)."""
    if a is None or b is None:
        return True
    a, b = a.rstrip("\u2026. "), b.rstrip("\u2026. ")
    return a.startswith(b) or b.startswith(a)
