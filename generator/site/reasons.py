""""Why these topics", in the paper's own words: the text each rule matched, marked
in the title and abstract, rather than the rule as the curator wrote it.

A ``Match`` names a phrase rule as written (``quantiz*``, ``post-training
quantization``) or, for a regex rule, the word it matched. ``phrase_pattern``
reads a phrase as topics.yml defines it (words in any case; spaces and
hyphens interchangeable or left out; a plural ``s``/``es`` on the last word; a
trailing ``*`` for any ending) so the words it matched can be found again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from markupsafe import Markup, escape

from ..ingest.normalize import clean_text
from ..models import Assignment

_SEPARATOR = re.compile(r"[\s-]+")


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = [w for w in _SEPARATOR.split(phrase.strip()) if w]
    parts = []
    for n, word in enumerate(words):
        star = word.endswith("*")
        part = re.escape(word.rstrip("*")) + (r"\w*" if star else "")
        if n == len(words) - 1 and not star:
            part += "(?:e?s)?"
        parts.append(part)
    return re.compile(r"(?<!\w)" + r"[\s-]?".join(parts) + r"(?!\w)", re.I)


def matched_words(assignments: Iterable[Assignment], where: str, text: str) -> list[str]:
    """The distinct words (as written in ``text``) that the rules of ``assignments`` matched there."""
    found: dict[str, str] = {}
    for assignment in assignments:
        for match in assignment.reasons:
            if match.where == where:
                for hit in phrase_pattern(match.phrase).finditer(text):
                    found.setdefault(hit.group(0).casefold(), hit.group(0))
    return list(found.values())


def highlight(text: str, words: Sequence[str]) -> Markup:
    """``text`` escaped, with each of ``words`` in it marked (longest first, no overlaps)."""
    if not words:
        return Markup(escape(text))
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                         + r")(?!\w)", re.I)
    pieces, end = [], 0
    for hit in pattern.finditer(text):
        pieces.append(escape(text[end:hit.start()]))
        pieces.append(Markup("<mark>%s</mark>") % hit.group(0))
        end = hit.end()
    pieces.append(escape(text[end:]))
    return Markup("").join(pieces)


def topic_evidence(assignment: Assignment, title: str, abstract: str) -> dict[str, list[str]]:
    """For one topic: the words it matched in the title and in the abstract."""
    return {where: matched_words([assignment], where, clean_text(text))
            for where, text in (("title", title), ("abstract", abstract))}


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]][.!?])\s+(?=[A-Z])")
EVIDENCE_SENTENCES = 3
"""Sentences of the abstract shown with their matches marked; the page has the rest."""


def evidence_sentences(text: str, words: Sequence[str]) -> Markup:
    """The first few sentences of ``text`` that hold one of ``words``, marked, joined by an ellipsis."""
    text = clean_text(text)
    if not words:
        return Markup("")
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)
    chosen = [s for s in _SENTENCE_END.split(text) if pattern.search(s)][:EVIDENCE_SENTENCES]
    return Markup(" … ").join(highlight(s, words) for s in chosen)
