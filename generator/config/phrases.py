"""The phrase grammar of ``topics.yml`` rules, compiled into word patterns.

Rules work on words (runs of letters, digits and underscores), which is what
makes classifying fast: ``classify`` splits a text into words once, and every
rule is compiled here into ``Variant``s that ``enrich.wordindex`` indexes by
their most telling word.

* A *phrase* matches whole words in any letter case. Spaces and hyphens between
  its words are interchangeable and may be left out (``post-training
  quantization`` also finds ``post training quantization`` and ``posttraining
  quantization``); the last word may carry a plural ``s``/``es``; a ``*`` at
  the end of a word stands for any ending (``quantiz*``). Other punctuation in
  a phrase must appear as written (``pass@k``, ``C++``).
* A *regex* is a regular expression that must match one whole word
  (``W\\d+A\\d+`` finds ``W4A8``); letter case is ignored unless it says
  ``(?-i:...)``. ``compile_rule_regex`` is the one place a rule's regex is
  compiled, so the engine can be changed there.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, Literal

from .patterns import compile_word_pattern

Pattern = Any
"""A compiled RE2 pattern (``re2._Regexp``, which has no public type): ``fullmatch`` and ``search``."""

MAX_GLUED_GAPS = 4
"""Phrases with more spaces than this are not also tried with words run together."""

WORD_SPLIT = re.compile(r"(\w+)")
"""``WORD_SPLIT.split(text)`` alternates gaps and words: ``[gap, word, gap, word, ..., gap]``."""
JOINER = re.compile(r"[\s\-\u2010\u2011\u2012\u2013~]+")
"""What may stand between two words written with a space or hyphen in a phrase:
spaces, any hyphen or dash, or the LaTeX tie ``~`` arXiv copies leave (``Byte-~and``)."""


@dataclass(frozen=True)
class Word:
    """One word of a phrase, or the one word a regex rule matches."""

    kind: Literal["exact", "prefix", "regex"]
    text: str
    """Lowercase word or prefix; the source of a regex."""
    plural: bool = False
    """Also matches with ``s``/``es`` appended (the last word of a phrase)."""
    regex: Pattern | None = None

    def matches(self, word: str) -> bool:
        """Whether ``word``, as the text has it, is this word."""
        if self.kind == "regex":
            return self.regex.fullmatch(word) is not None  # type: ignore[union-attr]
        lower = word.lower()
        if self.kind == "prefix":
            return lower.startswith(self.text)
        return lower == self.text or (self.plural and lower in (self.text + "s", self.text + "es"))


@dataclass(frozen=True)
class Variant:
    """One way a rule can appear: its words, and what must stand between them."""

    words: tuple[Word, ...]
    gaps: tuple[str | None, ...] = ()
    """Between consecutive words: None for a space or hyphen (``JOINER``), else the exact text."""
    tail: str = ""
    """Text that must follow the last word (``++`` of ``C++``)."""



def phrase_variants(phrase: str) -> tuple[Variant, ...]:
    """The variants a phrase rule stands for (see the module docstring).

    Raises:
        ValueError: the phrase has no word to match.
    """
    parts = WORD_SPLIT.split(phrase.strip())
    words, gaps = parts[1::2], parts[0::2]
    if not words:
        raise ValueError("it has no letters or digits to match")
    inner = [None if JOINER.fullmatch(gap) or gap == "" else gap.strip() or None for gap in gaps[1:-1]]
    tail = gaps[-1].strip()
    if gaps[-1].startswith("*"):  # "quantiz*": the star belongs to the last word
        tail = gaps[-1][1:].strip()
    specs = []
    for i, word in enumerate(words):
        star = gaps[i + 1].startswith("*")
        if star and i + 1 < len(words):
            inner[i] = None  # "predict* loss": a star then a space
        last = i == len(words) - 1
        specs.append(Word("prefix" if star else "exact", word.lower(), plural=last and not star and word[-1].isalpha()))
    variants = [Variant(tuple(specs), tuple(inner), tail)]
    # Words written apart may also be written together ("post-training" ->
    # "posttraining"): every way of gluing neighbours joined by a space or hyphen.
    joinable = [i for i, gap in enumerate(inner) if gap is None and specs[i].kind == "exact" == specs[i + 1].kind]
    if len(joinable) <= MAX_GLUED_GAPS:
        for count in range(1, len(joinable) + 1):
            for glued in itertools.combinations(joinable, count):
                variants.append(_glue(specs, inner, set(glued), tail))
    return tuple(variants)


def _glue(specs: list[Word], gaps: list[str | None], glued: set[int], tail: str) -> Variant:
    words, kept = [specs[0]], []
    for i, gap in enumerate(gaps):
        nxt = specs[i + 1]
        if i in glued:
            words[-1] = Word("exact", words[-1].text + nxt.text, plural=nxt.plural)
        else:
            words.append(nxt)
            kept.append(gap)
    return Variant(tuple(words), tuple(kept), tail)


def compile_rule_regex(text: str) -> Pattern:
    """A regex rule's pattern, ignoring letter case; the one place rule regexes are compiled.
    RE2 compiles it (``patterns``), so no rule can take exponential time on a dump's words.

    Raises:
        ValueError: the regex does not compile, or uses what RE2 lacks (the message says why).
    """
    return compile_word_pattern(text)


def regex_variants(text: str) -> tuple[Variant, ...]:
    """The one variant a regex rule stands for: a single word the pattern matches whole.

    Raises:
        ValueError: the regex does not compile.
    """
    return (Variant((Word("regex", text, regex=compile_rule_regex(text)),)),)
