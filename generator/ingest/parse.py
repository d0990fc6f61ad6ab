"""Parse stage: one dump's bytes -> text -> ``ParsedDump``.

Curators paste a papers listing page into ``dumps/``. Three shapes are understood:

* ``spaced``: header lines, a date line (``Mar 12``), then title and abstract
  lines separated by blank lines;
* ``glued``: the same without blank lines, the first title glued to the header
  (``SubscribeThe N+ Implementation Details...``);
* ``markdown``: a Markdown copy of the page, one block per paper with an upvote
  link, a ``### [Title](https://huggingface.co/papers/<id>)`` heading, the
  abstract wrapped in a link, author/organisation links and a publication date.

Header lines and dates are recognised by what they are (``_BOILERPLATE``,
``dates.parse_date``), never by where they stand. In the plain shapes a line is told to be
a title or an abstract by its own form (``line_kind``); the alternation of the
two is then checked, and every line that does not fit is reported with
``file:line``. Everything here is pure and linear in the size of the text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Literal

from ..models import Diagnostic, Entry, ParsedDump
from .dates import is_possible_date, parse_date

LineKind = Literal["title", "abstract", "either", "noise"]

EXPECTED_LAYOUT = (
    "expected a papers listing: title lines each followed by an abstract line, "
    "or the Markdown copy with '### [Title](...)' headings"
)
EMPTY_MESSAGE = "empty dump: no papers in it"
MAX_DIAGNOSTICS = 200
"""Per dump; beyond this one summary line says how many more there were."""
MAX_LINK_LINES = 400
MAX_LINK_CHARS = 200_000
"""A Markdown link may wrap an abstract over many lines (real ones: a few dozen at
most); one still open past these limits is given up, so memory stays bounded."""

# Every real title is at most 164 characters and every real abstract at least
# 428, so length alone settles most lines; sentence structure settles the rest.
ABSTRACT_MIN_LENGTH = 250
"""A line this long is an abstract whatever else it looks like."""
SHORT_ABSTRACT_MIN_LENGTH = 80
"""Below this even full sentences ending in a full stop could be a title: such a line is "either"."""

# Lines the listing page prints around the papers; matched on the whole
# trimmed line, case-insensitively (Markdown list markers, heading marks and
# link wrapping are peeled off first in the Markdown shape).
_BOILERPLATE = re.compile("|".join(f"(?:{pattern})" for pattern in (
    r"new",
    r"daily papers",
    r"get trending papers in your email inbox(?: once a day)?\s*!?",
    r"subscribe",
    r"by\s*ak and the research community",
    r"daily|weekly|monthly",
)), re.IGNORECASE)
_BOILERPLATE_MAX_LENGTH = 80
_GET_TRENDING = re.compile(r"get trending papers\b.*", re.IGNORECASE)
_ALNUM = re.compile(r"[^\W_]")
_LINK_URL = re.compile(r"[^\s()]+")
_SUBSCRIBE = "subscribe"

_SENTENCE_BREAK = re.compile(r"(\w)\.[\"'\u201d\u2019)\]]*\s+[\"'\u201c\u2018(\[]*(\w)")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~ ])")
_LIST_MARKER = re.compile(r"[-*+][ \t]+")
_HEADING_MARK = re.compile(r"#{1,6}[ \t]+")
_AUTHORS = re.compile(r"-?\s*\d+\s+authors?", re.IGNORECASE)
_UPVOTES = re.compile(r"\d{1,9}")
_ARXIV_ID = re.compile(r"huggingface\.co/papers/(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])")


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


def _numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based number, line) for every ``\\n``-separated line, one at a time."""
    start, number, size = 0, 1, len(text)
    while start <= size:
        end = text.find("\n", start)
        if end < 0:
            end = size
        yield number, text[start:end]
        start, number = end + 1, number + 1


def _quote(text: str, limit: int = 80) -> str:
    return "'" + (text if len(text) <= limit else text[:limit].rstrip() + "\u2026") + "'"


class _Report:
    """Diagnostics of one dump, capped so a hostile file cannot flood memory."""

    def __init__(self, file: str):
        self.file = file
        self.items: list[Diagnostic] = []
        self.hidden = 0
        self.problems = 0

    def warn(self, message: str, line: int | None) -> None:
        self.problems += 1
        if len(self.items) < MAX_DIAGNOSTICS:
            self.items.append(Diagnostic("warning", message, self.file, line))
        else:
            self.hidden += 1

    def result(self) -> tuple[Diagnostic, ...]:
        if self.hidden:
            more = Diagnostic("warning", f"{self.hidden} more problems like these not listed", self.file)
            return (*self.items, more)
        return tuple(self.items)


class _Collector:
    """State shared by both parsers: entries, the dump's date, diagnostics."""

    def __init__(self, file: str):
        self.file = file
        self.report = _Report(file)
        self.entries: list[Entry] = []
        self.date_text: str | None = None
        self.date_line: int | None = None
        self.markers = 0
        """Header or date lines seen: evidence that this is a listing page at all."""

    def add(self, title: str, abstract: str, line: int, **extra) -> None:
        self.entries.append(Entry(title=title, abstract=abstract, file=self.file, line=line,
                                  position=len(self.entries), **extra))

    def no_abstract(self, title: str, line: int) -> None:
        self.report.warn(f"title with no abstract: {_quote(title, 200)} (skipped)", line)

    def dump_date(self, line: str, number: int, date: tuple[int, int, int | None]) -> None:
        self.markers += 1
        if not is_possible_date(*date):
            self.report.warn(f"impossible date {_quote(line)} (ignored)", number)
        elif self.date_text is None:
            self.date_text, self.date_line = line, number
        else:
            self.report.warn(f"second date line {_quote(line)} (ignored: the dump's date is "
                             f"'{self.date_text}' from line {self.date_line})", number)

    def finish(self, layout: str) -> ParsedDump:
        if not self.entries:
            if not self.markers:
                error = Diagnostic("error", f"layout not recognised; {EXPECTED_LAYOUT}", self.file)
                return ParsedDump(file=self.file, layout="unknown", entries=(), diagnostics=(error,))
            if not self.report.problems:
                layout = "empty"  # nothing but page furniture
            self.report.warn(EMPTY_MESSAGE, None)
        elif not self.markers and self.report.problems > len(self.entries):
            # No header, no date, and more lines out of place than papers found:
            # whatever pairs turned up are more likely accident than listing.
            error = Diagnostic("error", f"layout not recognised ({self.report.problems} lines out of place, "
                                        f"{len(self.entries)} pairs); {EXPECTED_LAYOUT}", self.file)
            return ParsedDump(file=self.file, layout="unknown", entries=(), diagnostics=(error,))
        return ParsedDump(file=self.file, layout=layout, entries=tuple(self.entries),
                          diagnostics=self.report.result(), date_text=self.date_text, date_line=self.date_line)


# ---------------------------------------------------------------- plain shapes

def _parse_plain(file: str, text: str) -> ParsedDump:
    """Spaced and glued dumps: boilerplate, a date, then title/abstract alternation."""
    out = _Collector(file)
    title: tuple[str, int] | None = None
    after_get_trending = False
    subscribe_seen = False
    content_started = False
    blank_pending = False
    spaced = False
    for number, raw in _numbered_lines(text):
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
        if (after_get_trending and not subscribe_seen and not out.entries and title is None
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
            out.report.warn(f"unrecognised line {_quote(line)} (skipped)", number)
        elif title is None:
            if kind == "abstract":
                out.report.warn(f"abstract where a title should be: {_quote(line)} (skipped)", number)
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


# ---------------------------------------------------------------- Markdown shape

def _split_link(line: str) -> tuple[str, str] | None:
    """``[text](url)`` ending the line -> (raw text after ``[``, url); None if the line is no such link."""
    if not line.endswith(")"):
        return None
    close = line.rfind("](")
    if close < 0:
        return None
    url = line[close + 2:-1]
    if not _LINK_URL.fullmatch(url):
        return None
    backslashes = len(line[:close]) - len(line[:close].rstrip("\\"))
    if backslashes % 2:
        return None
    return line[:close], url


def _drop_line_break(line: str) -> str:
    """A copied hard line break is a backslash (or two) ending the line."""
    if line.endswith("\\\\"):
        return line[:-2].rstrip()
    if line.endswith("\\"):
        return line[:-1].rstrip()
    return line


def _plain_markdown(line: str) -> str:
    """Heading marks, list markers and link wrapping peeled off, escapes undone."""
    if match := _HEADING_MARK.match(line):
        line = line[match.end():]
    elif match := _LIST_MARKER.match(line):
        line = line[match.end():]
    if line.startswith("[") and (link := _split_link(line)):
        line = link[0][1:]
    return unescape_markdown(line).strip()


def arxiv_id_from_url(url: str) -> str | None:
    """``https://huggingface.co/papers/2309.17453v2`` -> ``2309.17453``."""
    match = _ARXIV_ID.search(url)
    return match.group(1) if match else None


class _MarkdownPaper:
    """The paper block being read: from its heading to the next heading."""

    def __init__(self, title: str, line: int, url: str, upvotes: int | None):
        self.title, self.line, self.url, self.upvotes = title, line, url, upvotes
        self.arxiv_id = arxiv_id_from_url(url)
        self.abstract: str | None = None
        self.published: str | None = None


class _MarkdownParser:
    def __init__(self, file: str):
        self.out = _Collector(file)
        self.paper: _MarkdownPaper | None = None
        self.upvotes: tuple[int, int] | None = None
        """(count, line) of an upvote link waiting for its heading."""
        self.block: list[str] = []
        """Lines of a ``[...`` link still waiting for its ``](url)``."""
        self.block_line = 0
        self.block_chars = 0

    def run(self, text: str) -> ParsedDump:
        for number, raw in _numbered_lines(text):
            line = raw.strip()
            if self.block:
                if not line:
                    self.give_up_block()
                    continue
                self.block.append(line)
                self.block_chars += len(line)
                if link := _split_link(line):
                    self.link_block(link[1])
                elif len(self.block) >= MAX_LINK_LINES or self.block_chars >= MAX_LINK_CHARS:
                    self.give_up_block()
                continue
            if line:
                self.line(line, number)
        if self.block:
            self.give_up_block()
        self.close_paper()
        if self.upvotes:
            self.out.report.warn("upvote count with no paper after it (skipped)", self.upvotes[1])
        return self.out.finish("markdown")

    def start_block(self, line: str, number: int) -> None:
        self.block, self.block_line, self.block_chars = [line], number, len(line)

    def give_up_block(self) -> None:
        """A ``[`` that no ``](url)`` closed: one warning covering every line it took."""
        last = self.block_line + len(self.block) - 1
        span = f"line {last}" if last == self.block_line else f"lines {self.block_line}-{last}"
        self.out.report.warn(f"link starting here is never closed: {_quote(self.block[0])} ({span} skipped)",
                             self.block_line)
        self.block = []

    def close_paper(self) -> None:
        paper, self.paper = self.paper, None
        if paper is None:
            return
        if paper.abstract is None:
            self.out.no_abstract(paper.title, paper.line)
            return
        self.out.add(paper.title, paper.abstract, paper.line, arxiv_id=paper.arxiv_id,
                     upvotes=paper.upvotes, published=paper.published)

    def line(self, line: str, number: int) -> None:
        report = self.out.report
        if line.startswith("###") and (link := _split_link(line)) and link[0][3:].lstrip().startswith("["):
            self.close_paper()
            title = unescape_markdown(link[0][3:].lstrip()[1:]).strip()
            upvotes = None
            if self.upvotes:
                upvotes, self.upvotes = self.upvotes[0], None
            if title:
                self.paper = _MarkdownPaper(title, number, link[1], upvotes)
            else:
                report.warn("heading with an empty title (skipped)", number)
            return
        if line.startswith(("![", "[![")) or line in ("\u00b7", "\u2022"):
            return  # thumbnails and the dot between authors and date
        if line.startswith("[") and not line.startswith("[!"):
            link = _split_link(line)
            if link is None:
                self.start_block(line, number)
                return
            text = unescape_markdown(link[0][1:]).strip()
            if _UPVOTES.fullmatch(text):
                if self.upvotes:
                    report.warn("upvote count with no paper after it (skipped)", self.upvotes[1])
                self.upvotes = (int(text), number)
                return
            self.start_block(line, number)
            self.link_block(link[1])
            return
        plain = _plain_markdown(line)
        if is_boilerplate(plain):
            self.out.markers += 1
            return
        if (date := parse_date(plain)) is not None:
            if self.paper is None:
                self.out.dump_date(plain, number, date)
            elif not is_possible_date(*date):
                report.warn(f"impossible date {_quote(plain)} (ignored)", number)
            elif self.paper.published is None:
                self.paper.published = plain
            else:
                report.warn(f"unexpected date {_quote(plain)} (skipped)", number)
            return
        report.warn(f"unrecognised line {_quote(line)} (skipped)", number)

    def link_block(self, url: str) -> None:
        """A complete ``[...](url)``, perhaps over several lines: abstract or furniture."""
        lines, self.block = self.block, []
        number = self.block_line
        parts = [_drop_line_break(part) for part in lines[:-1]]
        parts.append(lines[-1][:lines[-1].rfind("](")])
        text = unescape_markdown(" ".join(parts)[1:]).strip()
        if len(lines) == 1 and (_AUTHORS.fullmatch(text) or is_boilerplate(text)):
            self.out.markers += is_boilerplate(text)
            return
        paper = self.paper
        if paper is not None and paper.abstract is None and "/papers" in url:
            other = arxiv_id_from_url(url)
            if other and paper.arxiv_id and other != paper.arxiv_id:
                self.out.report.warn(f"abstract links to paper {other} but its heading to {paper.arxiv_id}",
                                     number)
            if text:
                paper.abstract = text
                return
        if paper is not None and len(lines) == 1 and line_kind(text) != "abstract":
            return  # an organisation or submitter link inside the paper's block
        if line_kind(text) == "abstract":
            self.out.report.warn(f"abstract where a title should be: {_quote(text)} (skipped)", number)
        else:
            self.out.report.warn(f"unrecognised line {_quote(lines[0])} (skipped)", number)


# ---------------------------------------------------------------- entry point

_MARKDOWN_SIGN = re.compile(r"^[ \t]*(?:###[ \t]+\[|\[subscribe\]\()", re.MULTILINE | re.IGNORECASE)


def _is_markdown(text: str) -> bool:
    """A Markdown copy has a paper heading linking to ``/papers`` or a ``[Subscribe](...)`` link.

    Checked on whole lines, so a title that merely starts with ``### [`` in a
    plain dump does not turn the dump into Markdown.
    """
    if "###" not in text and "](" not in text:
        return False  # no sign can be anywhere: skip the line-by-line regex (most of parsing a plain dump)
    for sign in _MARKDOWN_SIGN.finditer(text):
        end = text.find("\n", sign.start())
        line = text[sign.start():end if end >= 0 else len(text)].strip()
        link = _split_link(line)
        if link and (line.startswith("[") or "/papers" in link[1]):
            return True
    return False


def parse_dump(file: str, text: str) -> ParsedDump:
    """The papers in one dump's text, in order, with every problem as a diagnostic.

    ``layout`` is ``spaced``, ``glued``, ``markdown``, ``empty`` (nothing but
    whitespace or page furniture), or ``unknown`` (not a listing: one error).
    Never raises.
    """
    if not text.strip():
        return ParsedDump(file=file, layout="empty", entries=())
    try:
        if _is_markdown(text):
            return _MarkdownParser(file).run(text)
        return _parse_plain(file, text)
    except Exception as bug:  # noqa: BLE001 - a parser bug must not take the build down without a word
        error = Diagnostic("error", f"the dump parser failed ({type(bug).__name__}: {bug}); please report it", file)
        return ParsedDump(file=file, layout="unknown", entries=(), diagnostics=(error,))
