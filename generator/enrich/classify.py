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
word is looked up once per run in the ``WordIndex`` built from the taxonomy, which
holds every rule by its most telling word; only the few positions where such a word
stands are examined further.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import compress

from ..models import Assignment, Match
from ..config.phrases import JOINER, WORD_SPLIT
from ..config.topics import Taxonomy
from .wordindex import Start, WordIndex, build_index

TITLE_WEIGHT = 3.0
ABSTRACT_WEIGHT = 1.0
ABSTRACT_REPEATS = 2
"""Occurrences of one rule in an abstract that count; more say nothing new."""
THRESHOLD = 3.0
FALLBACK_THRESHOLD = 2.0
"""A paper no topic reaches ``THRESHOLD`` for still gets its strongest topic at this score."""


@dataclass(slots=True)
class _Hits:
    """What one topic's include rules found in one field."""

    counts: dict[int, int]
    """Include rule index -> occurrences."""
    first_word: dict[int, str]
    """Include rule index -> the first word of its first match (all that a regex
    rule, which matches one word, shows as its reason)."""


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


def scan(index: WordIndex, text: str, field_name: str) -> tuple[dict[int, _Hits], set[int]]:
    """What the rules found in ``text``, the ``field_name`` field: topic index ->
    its include rules' hits, and the topics an exclude rule vetoes (which have no hits).
    """
    parts = WORD_SPLIT.split(text)
    words = parts[1::2]
    count = len(words)
    # Most words anchor no rule; only the positions of those that do are
    # visited (map and compress keep this per-word step in C; a word's first
    # sighting fills the cache).
    entries = list(map(index.cache[field_name].__getitem__, words))
    found: list[tuple[int, int, int, int]] = []  # (topic, first word, -length, rule)
    vetoed: set[int] = set()
    # Most of the positions visited anchor only longer phrases whose neighbouring
    # word is not there: that case is kept to a few steps.
    for i in compress(range(count), entries):
        entry = entries[i]
        if entry.single_includes:
            found += [(topic, i, -1, rule) for topic, rule in entry.single_includes]
        if entry.single_vetoes:
            vetoed.update(entry.single_vetoes)
        candidates = entry.other
        for offset, table in entry.by_neighbour:
            if 0 <= i + offset < count and (more := table.get(words[i + offset].lower())):
                candidates += more
        for start in candidates:
            first = i - start.anchor
            if first < 0 or first + start.size > count or not _matches_around(start, words, parts, first):
                continue
            if start.exclude:
                vetoed.add(start.topic)
            else:
                found.append((start.topic, first, -start.size, start.rule))
    if vetoed:
        found = [match for match in found if match[0] not in vetoed]
    hits: dict[int, _Hits] = {}
    # By topic, then left to right, the longest match at a word first: it claims
    # its words, and rules never count the same words twice within one topic.
    for topic, first, minus_length, rule in sorted(found):
        if topic not in hits:
            topic_hits = hits[topic] = _Hits({}, {})
            free_from = 0
        if first < free_from:
            continue
        free_from = first - minus_length
        topic_hits.counts[rule] = topic_hits.counts.get(rule, 0) + 1
        topic_hits.first_word.setdefault(rule, words[first])
    return hits, vetoed

_FIELDS = (("title", TITLE_WEIGHT, 1), ("abstract", ABSTRACT_WEIGHT, ABSTRACT_REPEATS))


def _assign(taxonomy: Taxonomy, topic: int, title: _Hits | None, abstract: _Hits | None) -> Assignment | None:
    """The assignment the hits earn, or None below ``FALLBACK_THRESHOLD``."""
    rules = taxonomy.rules[topic].include
    weighted = [  # points, in abstract, where, rule index
        (field_weight * rules[index].weight * min(count, repeats), where == "abstract", where, index)
        for hits, (where, field_weight, repeats) in zip((title, abstract), _FIELDS) if hits is not None
        for index, count in hits.counts.items()
    ]
    score = sum(item[0] for item in weighted)
    if score < FALLBACK_THRESHOLD:
        return None
    # Shadow rules (weight 0) are no evidence and no reason.
    weighted = sorted((item for item in weighted if item[0]), key=lambda item: (-item[0], item[1]))
    reasons = []
    for _, _, where, index in weighted:
        rule = rules[index]
        hits = title if where == "title" else abstract
        reasons.append(Match(hits.first_word[index] if rule.is_regex else rule.text, where))  # type: ignore[union-attr, arg-type]
    return Assignment(topic=taxonomy.rules[topic].topic.slug, score=round(score, 2), reasons=tuple(reasons))


def classify_one(taxonomy: Taxonomy, index: WordIndex, title: str, abstract: str) -> tuple[Assignment, ...]:
    """One paper's topics, strongest first, ties in the taxonomy's order.

    Every topic reaching ``THRESHOLD``; when none does, the strongest one
    reaching ``FALLBACK_THRESHOLD``, so that a paper whose abstract names a
    topic twice is not left unsorted; otherwise none. A veto in either field
    rules a topic out.
    """
    in_title, title_vetoes = scan(index, title or "", "title")
    in_abstract, abstract_vetoes = scan(index, abstract or "", "abstract")
    found = []
    for topic in sorted((in_title.keys() | in_abstract.keys()) - title_vetoes - abstract_vetoes):
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
    index = build_index(taxonomy)
    return {key: classify_one(taxonomy, index, title, abstract) for key, title, abstract in papers}
