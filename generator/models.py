"""The data every pipeline stage passes on: small, frozen, and free of I/O.

parse -> normalize -> merge -> classify -> render works over these types only,
so each stage can be tested on values built by hand.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .enrich.related import Related

Level = Literal["warning", "error"]


@dataclass(frozen=True)
class Diagnostic:
    """Something the curator must hear about, pinned to a file and maybe a line."""

    level: Level
    message: str
    file: str
    """Path as the curator knows it, relative to the project (``dumps/000_x.txt``)."""
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return printable(f"{where}: {self.message}")


_UNPRINTABLE = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


def printable(text: str) -> str:
    """``text`` safe for a terminal: control, format and bidi characters written
    as escapes (``\\x1b``, ``\\u202e``), so that a message quoting a dump can neither
    drive the terminal nor reorder what it shows."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        c if unicodedata.category(c) not in _UNPRINTABLE else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


class InputError(Exception):
    """Input the build cannot go on with; carries the diagnostic that names the file."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


@dataclass(frozen=True)
class Entry:
    """One occurrence of a paper in one dump, exactly as the dump gave it."""

    title: str
    abstract: str
    file: str
    line: int
    """1-based line of the title in the dump."""
    position: int
    """0-based order of the entry within its dump."""
    arxiv_id: str | None = None
    upvotes: int | None = None
    published: str | None = None
    """Publication date as written in the dump (``Sep 29, 2023``), if it had one."""
    author_count: int | None = None
    """How many authors the dump says the paper has (``- 8 authors``), if it says."""


@dataclass(frozen=True)
class ParsedDump:
    """What the parser made of one dump file."""

    file: str
    layout: str
    """``spaced``, ``glued``, ``markdown``, ``textcopy``, ``empty``, ``unknown`` or ``unreadable``."""
    entries: tuple[Entry, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    date_text: str | None = None
    """The dump's own date line (``Mar 12``), if it had one."""
    date_line: int | None = None


@dataclass(frozen=True)
class DumpInfo:
    """A dump with the date and title the curator gave it in the manifest."""

    parsed: ParsedDump
    date: dt.date | None
    title: str | None


@dataclass(frozen=True)
class Paper:
    """One distinct paper, merged from every entry that names it."""

    key: str
    """Identity: the normalised title (see ``normalize.title_key``)."""
    slug: str
    """URL segment under ``papers/``; never changes once the paper exists."""
    title: str
    abstract: str
    """Raw text of the longest abstract seen; cleaned only when rendered."""
    entries: tuple[Entry, ...]
    """Every sighting, ordered by file then line."""
    arxiv_id: str | None = None
    upvotes: int | None = None
    published: str | None = None
    author_count: int | None = None


@dataclass(frozen=True)
class Digest:
    """One issue of the digest: the dumps of one date, or one undated collection."""

    id: str
    """URL segment under ``digests/``: ISO date, or a slug for a collection."""
    title: str
    date: dt.date | None
    files: tuple[str, ...]
    paper_keys: tuple[str, ...]
    """Papers in the order the dumps list them, each once."""


@dataclass(frozen=True)
class Match:
    """One rule phrase that matched a paper, and where."""

    phrase: str
    where: Literal["title", "abstract", "curator"]


@dataclass(frozen=True)
class Assignment:
    """A paper's membership in a topic, with the evidence for it."""

    topic: str
    score: float
    reasons: tuple[Match, ...]


@dataclass(frozen=True)
class Topic:
    """A topic readers browse by, as the taxonomy file describes it."""

    slug: str
    name: str
    description: str
    area: str | None = None
    """The group of topics it is listed under (``area:`` in the taxonomy file), if any."""


@dataclass(frozen=True)
class Curation:
    """The curator's word on one paper, from the curation file."""

    add_topics: tuple[str, ...] = ()
    remove_topics: tuple[str, ...] = ()
    featured: bool = False
    note: str | None = None
    """Curator-written Markdown; the only text that is rendered as Markdown."""
    hidden: bool = False


@dataclass(frozen=True)
class Site:
    """Everything gathered before a single page is rendered."""

    papers: tuple[Paper, ...]
    """Published papers, sorted by slug."""
    digests: tuple[Digest, ...]
    """Newest first; undated collections last, by title."""
    topics: tuple[Topic, ...]
    assignments: dict[str, tuple[Assignment, ...]]
    """Paper key -> its topics, strongest first."""
    curation: dict[str, Curation] = field(default_factory=dict)
    """Paper key -> the curator's overrides that applied to it."""
    related: dict[str, tuple[Related, ...]] = field(default_factory=dict)
    """Paper key -> the most similar papers, most similar first."""
