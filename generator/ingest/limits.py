"""Size limits on dumps, and the characters a title or abstract may not carry.

The parser takes whatever text it is given; these checks sit on either side
of it. Before parsing, a dump larger than ``Limits.dump_bytes`` is refused
without being read (a 200 MB dump once took 6 GB of memory and made a 629 MB
page). After parsing, a dump with more than ``Limits.papers_per_dump`` entries
is refused whole, an entry whose title or abstract is too long is refused
alone, and terminal control and bidi characters are removed from what is
kept. Every refusal and removal is a diagnostic naming the file and line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from ..models import Diagnostic, Entry, ParsedDump


@dataclass(frozen=True)
class Limits:
    """The largest input a build accepts (the plugin's ``limits`` option; see the README)."""

    title_chars: int = 500
    """Real titles are at most about 170 characters: 500 is a wrapped abstract, not a title."""
    abstract_chars: int = 10_000
    """arXiv caps abstracts at 1,920 characters; a few merged by a copy slip still fit."""
    dump_bytes: int = 50_000_000
    """A listing page of a few hundred papers is well under 1 MB."""
    papers_per_dump: int = 5_000
    """A listing page holds a few dozen to a few hundred papers."""


DEFAULT_LIMITS = Limits()

_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Characters that reorder the text around them (Trojan Source): a title could
show its words in an order the dump does not have them in."""


def oversized_dump(file: str, size: int, limits: Limits) -> Diagnostic | None:
    """The error for a dump of ``size`` bytes, if that is over the limit."""
    if size <= limits.dump_bytes:
        return None
    return Diagnostic(
        "error",
        f"the dump is {size:,} bytes, over the limit of {limits.dump_bytes:,} (the 'limits: dump_bytes' "
        "option in mkdocs.yml); split it into several dumps",
        file,
    )


def is_unwanted(char: str) -> bool:
    """A control character other than whitespace, or a bidi control."""
    return char in _BIDI_CONTROLS or (unicodedata.category(char) == "Cc" and not char.isspace())


def without_controls(text: str) -> tuple[str, str]:
    """``text`` without control and bidi characters, and the characters removed."""
    if text.isascii() and text.isprintable():  # the common case: nothing to look at
        return text, ""
    removed = "".join(c for c in text if is_unwanted(c))
    if not removed:
        return text, ""
    return "".join(c for c in text if not is_unwanted(c)), removed


def _named(chars: str) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(chars))


def screen_dump(parsed: ParsedDump, limits: Limits) -> ParsedDump:
    """The parsed dump with the limits applied and unwanted characters removed."""
    if len(parsed.entries) > limits.papers_per_dump:
        error = Diagnostic(
            "error",
            f"the dump holds {len(parsed.entries):,} papers, over the limit of {limits.papers_per_dump:,} "
            "(the 'limits: papers_per_dump' option in mkdocs.yml); split it into several dumps",
            parsed.file,
        )
        return replace(parsed, entries=(), diagnostics=parsed.diagnostics + (error,))
    kept: list[Entry] = []
    problems: list[Diagnostic] = []
    for entry in parsed.entries:
        refusal = _refusal(entry, limits)
        if refusal:
            problems.append(Diagnostic("warning", refusal, entry.file, entry.line))
            continue
        title, from_title = without_controls(entry.title)
        abstract, from_abstract = without_controls(entry.abstract)
        if from_title or from_abstract:
            where = " and ".join(name for name, chars in (("title", from_title), ("abstract", from_abstract)) if chars)
            problems.append(Diagnostic(
                "warning",
                f"removed invisible control characters ({_named(from_title + from_abstract)}) from the {where}",
                entry.file, entry.line,
            ))
            entry = replace(entry, title=title, abstract=abstract)
        kept.append(entry)
    if not problems:
        return parsed
    return replace(parsed, entries=tuple(kept), diagnostics=parsed.diagnostics + tuple(problems))


def _refusal(entry: Entry, limits: Limits) -> str | None:
    for name, text, limit, option in (
        ("title", entry.title, limits.title_chars, "title_chars"),
        ("abstract", entry.abstract, limits.abstract_chars, "abstract_chars"),
    ):
        if len(text) > limit:
            return (f"the {name} is {len(text):,} characters, over the limit of {limit:,} "
                    f"(the 'limits: {option}' option in mkdocs.yml); the paper is left out")
    return None
