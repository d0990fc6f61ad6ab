"""Classify stage: which topics a paper belongs to, and why.

Every include rule of a topic that matches adds to the topic's score:

* in the title, ``TITLE_WEIGHT`` times the rule's weight (a title names what a
  paper is about);
* in the abstract, ``ABSTRACT_WEIGHT`` times the rule's weight for each
  occurrence, counting at most ``ABSTRACT_REPEATS`` occurrences of one rule.

A topic is assigned when its score reaches ``THRESHOLD`` (3). One title match
of a full-weight rule does it; from the abstract alone it takes the topic named
at least three times, in at least two different ways, so a single passing
mention (1 point) never does. A paper that no topic reaches 3 for still gets
its one strongest topic if that scores ``FALLBACK_THRESHOLD`` (2: the abstract
names it twice), so that papers at the edge of the taxonomy are not left
unsorted for want of a third mention. Any exclude rule that matches vetoes the
topic whatever its score. Topics come strongest first, ties in the taxonomy's
order, each with the ``Match``es that earned it.

Within one topic, rules never count the same words twice: reading left to
right, the longest rule that matches at a word claims its words
("post-training quantization" rather than "post-training"), which is what lets
a weight-0 "shadow" rule keep a shorter one from counting.

Speed: each text is split into words once (``WORD_SPLIT``, in C); each distinct
word is looked up once per process in the taxonomy's ``WordIndex``, which holds
every rule by its most telling word; only the few positions where such a word
stands are examined further.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress

from .models import Assignment, Match
from .taxonomy import JOINER, WORD_SPLIT, Start, Taxonomy

TITLE_WEIGHT = 3.0
ABSTRACT_WEIGHT = 1.0
ABSTRACT_REPEATS = 2
"""Occurrences of one rule in an abstract that count; more say nothing new."""
THRESHOLD = 3.0
FALLBACK_THRESHOLD = 2.0
"""A paper no topic reaches ``THRESHOLD`` for still gets its strongest topic at this score."""


@dataclass
class _Hits:
    """What one topic's rules found in one field."""

    counts: dict[int, int]
    """Include rule index -> occurrences."""
    shown: dict[int, str]
    """Include rule index -> the text of its first match."""
    vetoed: bool = False


def _matches_around(start: Start, words: list[str], parts: list[str], first: int) -> bool:
    """Whether ``start``'s variant matches words ``first``... (its anchor word already does).

    ``parts`` is ``WORD_SPLIT.split(text)``: the gap before word ``j`` is
    ``parts[2 * j]``.
    """
    variant = start.variant
    specs = variant.words
    for k in range(start.size):
        if k and not _gap_fits(variant.gaps[k - 1], parts[2 * (first + k)]):
            return False
        if k != start.anchor and not specs[k].matches(words[first + k]):
            return False
    return not variant.tail or parts[2 * (first + start.size)].startswith(variant.tail)


def _gap_fits(wanted: str | None, gap: str) -> bool:
    if wanted is None:
        return gap == " " or JOINER.fullmatch(gap) is not None
    return gap.strip() == wanted


def scan(taxonomy: Taxonomy, text: str, field_name: str) -> dict[int, _Hits]:
    """Topic index -> what its rules found in ``text``, the ``field_name`` field."""
    parts = WORD_SPLIT.split(text)
    words = parts[1::2]
    count = len(words)
    # Most words anchor no rule; only the positions of those that do are
    # visited (map and compress keep this per-word step in C; a word's first
    # sighting fills the cache).
    entries = list(map(taxonomy.index.cache[field_name].__getitem__, words))
    matches: dict[int, list[tuple[int, int, int]]] = {}  # topic -> (first word, -length, rule)
    vetoed: set[int] = set()
    for i in compress(range(count), entries):
        entry = entries[i]
        for start in entry.single:
            if start.exclude:
                vetoed.add(start.topic)
            else:
                matches.setdefault(start.topic, []).append((i, -1, start.rule))
        candidates = entry.other
        for offset, table in entry.by_neighbour.items():
            if 0 <= i + offset < count:
                candidates += table.get(words[i + offset].lower(), ())
        for start in candidates:
            first = i - start.anchor
            if first < 0 or first + start.size > count or not _matches_around(start, words, parts, first):
                continue
            if start.exclude:
                vetoed.add(start.topic)
            else:
                matches.setdefault(start.topic, []).append((first, -start.size, start.rule))
    found = {topic: _Hits({}, {}, vetoed=True) for topic in vetoed}
    for topic, found_matches in matches.items():
        hits = found.setdefault(topic, _Hits({}, {}))
        # Left to right, the longest match at a word claims its words; rules
        # never count the same words twice within one topic.
        free_from = 0
        for first, minus_length, rule in sorted(found_matches):
            if first < free_from:
                continue
            free_from = first - minus_length
            hits.counts[rule] = hits.counts.get(rule, 0) + 1
            if rule not in hits.shown:
                hits.shown[rule] = " ".join("".join(parts[2 * first + 1: 2 * free_from]).split())
    return found


_FIELDS = (("title", TITLE_WEIGHT, 1), ("abstract", ABSTRACT_WEIGHT, ABSTRACT_REPEATS))


def _assign(taxonomy: Taxonomy, topic: int, title: _Hits | None, abstract: _Hits | None) -> Assignment | None:
    """The assignment the hits earn, or None below ``FALLBACK_THRESHOLD`` or when vetoed."""
    if (title and title.vetoed) or (abstract and abstract.vetoed):
        return None
    rules = taxonomy.rules[topic].include
    weighted: list[tuple[float, bool, str, int]] = []  # points, in abstract, where, rule index
    for hits, (where, field_weight, repeats) in zip((title, abstract), _FIELDS):
        if hits is not None:
            for index, count in hits.counts.items():
                points = field_weight * rules[index].weight * min(count, repeats)
                if points:  # shadow rules (weight 0) are no evidence and no reason
                    weighted.append((points, where == "abstract", where, index))
    score = sum(item[0] for item in weighted)
    if score < FALLBACK_THRESHOLD:
        return None
    weighted.sort(key=lambda item: (-item[0], item[1]))
    reasons = []
    for _, _, where, index in weighted:
        rule = rules[index]
        hits = title if where == "title" else abstract
        reasons.append(Match(hits.shown[index] if rule.is_regex else rule.text, where))  # type: ignore[union-attr, arg-type]
    return Assignment(topic=taxonomy.rules[topic].topic.slug, score=round(score, 2), reasons=tuple(reasons))


def classify_one(taxonomy: Taxonomy, title: str, abstract: str) -> tuple[Assignment, ...]:
    """One paper's topics, strongest first, ties in the taxonomy's order.

    Every topic reaching ``THRESHOLD``; when none does, the strongest one
    reaching ``FALLBACK_THRESHOLD``, so that a paper whose abstract names a
    topic twice is not left unsorted; otherwise none.
    """
    in_title = scan(taxonomy, title or "", "title")
    in_abstract = scan(taxonomy, abstract or "", "abstract")
    found = []
    for topic in sorted(set(in_title) | set(in_abstract)):
        assignment = _assign(taxonomy, topic, in_title.get(topic), in_abstract.get(topic))
        if assignment is not None:
            found.append((topic, assignment))
    found.sort(key=lambda item: (-item[1].score, item[0]))
    strong = tuple(a for _, a in found if a.score >= THRESHOLD)
    return strong or tuple(a for _, a in found[:1])


def classify(
    papers: Iterable[tuple[str, str, str]], taxonomy: Taxonomy
) -> dict[str, tuple[Assignment, ...]]:
    """Paper key -> its topics, strongest first, for (key, title, abstract) triples.

    Every key is in the result; a paper no topic claims maps to ``()``.
    """
    return {key: classify_one(taxonomy, title, abstract) for key, title, abstract in papers}
