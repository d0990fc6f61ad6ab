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
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from markupsafe import Markup, escape

from ..ingest.normalize import clean_text
from ..models import Assignment, Paper, Topic
from .document import as_html
from .text import added_by_curator, reason_summary, sentence_spans

_SEPARATOR = re.compile(r"[\s-]+")


def _phrase_words(phrase: str) -> list[str]:
    return [w for w in _SEPARATOR.split(phrase.strip()) if w]


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = _phrase_words(phrase)
    parts = []
    for n, word in enumerate(words):
        star = word.endswith("*")
        part = re.escape(word.rstrip("*")) + (r"\w*" if star else "")
        if n == len(words) - 1 and not star:
            part += "(?:e?s)?"
        parts.append(part)
    return re.compile(r"(?<!\w)" + r"[\s-]?".join(parts) + r"(?!\w)", re.I)


def _phrases(assignments: Iterable[Assignment], where: str) -> list[str]:
    return list(dict.fromkeys(m.phrase for a in assignments for m in a.reasons if m.where == where))


@lru_cache(maxsize=4096)
def _leading_literal(phrase: str) -> str:
    """What every match of ``phrase_pattern(phrase)`` starts with, in lower case ("" if nothing)."""
    words = _phrase_words(phrase)
    return words[0].rstrip("*").lower() if words else ""


@lru_cache(maxsize=256)
def _phrase_spans(text: str, phrase: str) -> tuple[tuple[int, int], ...]:
    """``phrase_pattern(phrase).finditer(text)`` as (start, -end) pairs.

    Cached: a paper page asks for the same phrase in the same text several times
    (each topic's evidence, then the marked title and abstract). A case-blind
    pattern is tried at every position of an abstract, the largest cost of
    rendering a paper page; in ASCII text (where lower-casing is exactly the
    pattern's case folding) it is tried only where its first word occurs,
    which finds the same matches (a property test compares the two).
    """
    pattern, literal = phrase_pattern(phrase), _leading_literal(phrase)
    if not (literal and text.isascii() and literal.isascii()):
        return tuple((m.start(), -m.end()) for m in pattern.finditer(text))
    lowered, spans, resume = text.lower(), [], 0
    at = lowered.find(literal)
    while at != -1:
        if at >= resume and (found := pattern.match(text, at)):
            spans.append((found.start(), -found.end()))
            resume = found.end()
        at = lowered.find(literal, at + 1)
    return tuple(spans)


def match_spans(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Where ``phrases`` match in ``text``: sorted, without overlaps (the earlier, then
    the longer, wins). Patterns are compiled once per phrase, not per paper."""
    found = sorted(span for p in phrases for span in _phrase_spans(text, p))
    spans: list[tuple[int, int]] = []
    for start, negative_end in found:
        if not spans or start >= spans[-1][1]:
            spans.append((start, -negative_end))
    return spans


def matched_words(assignments: Iterable[Assignment], where: str, text: str) -> list[str]:
    """The distinct words (as written in ``text``) that the rules of ``assignments`` matched there."""
    found: dict[str, str] = {}
    for start, end in match_spans(text, _phrases(assignments, where)):
        found.setdefault(text[start:end].casefold(), text[start:end])
    return list(found.values())


def highlight(text: str, spans: Sequence[tuple[int, int]], offset: int = 0) -> Markup:
    """``text`` escaped, with each span (positions in the text ``offset`` characters earlier) marked."""
    # Plain strings joined once: building a Markup per piece was most of the cost.
    pieces, at = [], 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if start < at or end > len(text):
            continue
        pieces += (str(escape(text[at:start])), "<mark>", str(escape(text[start:end])), "</mark>")
        at = end
    pieces.append(str(escape(text[at:])))
    return Markup("".join(pieces))


def marked(text: str, assignments: Sequence[Assignment], where: str) -> Markup:
    """A field of the paper, readable, with the words its topics matched there marked."""
    text = clean_text(text)
    return highlight(text, match_spans(text, _phrases(assignments, where)))


def topic_evidence(assignment: Assignment, title: str, abstract: str) -> dict[str, list[str]]:
    """For one topic: the words it matched in the title and in the abstract."""
    return {where: matched_words([assignment], where, clean_text(text))
            for where, text in (("title", title), ("abstract", abstract))}


EVIDENCE_SENTENCES = 3
"""Sentences of the abstract shown with their matches marked; the page has the rest."""


def evidence_sentences(abstract: str, assignments: Sequence[Assignment]) -> Markup:
    """The first few sentences of the abstract that hold a match, marked, joined by an ellipsis."""
    phrases = _phrases(assignments, "abstract")
    if not phrases:
        return Markup("")
    text = clean_text(abstract)
    spans = match_spans(text, phrases)
    chosen, next_span = [], 0
    for begin, end in sentence_spans(text):
        if next_span == len(spans) or len(chosen) == EVIDENCE_SENTENCES:
            break
        inside = []  # the spans within this sentence (one across its end is in neither)
        while next_span < len(spans) and spans[next_span][0] < end:
            if spans[next_span][0] >= begin and spans[next_span][1] <= end:
                inside.append(spans[next_span])
            next_span += 1
        if inside:
            chosen.append(highlight(text[begin:end], inside, offset=begin))
    return Markup(" … ").join(chosen)


def topic_reasons(paper: Paper, assigned: Sequence[Assignment], topics: Mapping[str, Topic]) -> Markup:
    """The "Why these topics" list: one ``<li>`` per topic, its name, then the words it
    matched in the title and in the abstract (or that the curator added it, or the
    rules that earned it when their words cannot be found again), one per line.

    In Python rather than as a loop in ``paper.html.j2``: at 10,000 papers Jinja's
    loops and filter calls here were a third of the time of rendering paper pages.
    Values are escaped as a template prints them (``as_html``).
    """
    items = []
    for assignment in assigned:
        name = topics[assignment.topic].name if assignment.topic in topics else assignment.topic
        out = ["<li><strong>", str(as_html(name)), "</strong>:"]
        # A topic the curator added shows only that (``reason_summary`` says so).
        found = {"title": [], "abstract": []} if added_by_curator(assignment) else topic_evidence(
            assignment, paper.title, paper.abstract)
        if found["title"]:
            out += [" in the title ", _quoted(found["title"])]
        if found["title"] and found["abstract"]:
            out.append(";")
        if found["abstract"]:
            out += [" in the abstract ", _quoted(found["abstract"])]
        if not found["title"] and not found["abstract"]:
            out += [" ", str(as_html(reason_summary(assignment)))]
        out.append("</li>")
        items.append("".join(out))
    return Markup("\n".join(items))


def _quoted(words: Iterable[str]) -> str:
    return ", ".join(f"“{as_html(word)}”" for word in words)
