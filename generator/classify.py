"""Classify stage: which topics a paper belongs to, and why.

Every include rule of a topic that matches adds to the topic's score:

* in the title, ``TITLE_WEIGHT`` times the rule's weight (a title names what a
  paper is about);
* in the abstract, ``ABSTRACT_WEIGHT`` times the rule's weight for each
  occurrence, counting at most ``ABSTRACT_REPEATS`` occurrences of one rule.

A topic is assigned when its score reaches ``THRESHOLD``. With the default
weights one title match is enough, while a single passing mention in the
abstract (score 1) is not: the abstract must mention the topic twice, or in two
different phrases. Any exclude rule that matches title or abstract vetoes the
topic whatever the score. A paper may get any number of topics; they come
strongest first, ties in the taxonomy's order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .models import Assignment, Match
from .taxonomy import Taxonomy, TopicRules

TITLE_WEIGHT = 3.0
ABSTRACT_WEIGHT = 1.0
ABSTRACT_REPEATS = 2
"""Occurrences of one rule in an abstract that count; more say nothing new."""
THRESHOLD = 2.0


def _hits(pattern: re.Pattern[str] | None, text: str) -> dict[int, tuple[int, str]]:
    """Rule index -> (occurrences, first matched text) for one field."""
    found: dict[int, tuple[int, str]] = {}
    if pattern is None or not text:
        return found
    for match in pattern.finditer(text):
        index = int(match.lastgroup[1:])  # type: ignore[index]  # groups are named r<index>
        count, first = found.get(index, (0, match.group()))
        found[index] = (count + 1, first)
    return found


def _vetoed(topic: TopicRules, title: str, abstract: str) -> bool:
    return bool(
        (topic.exclude_title is not None and topic.exclude_title.search(title))
        or (topic.exclude_abstract is not None and topic.exclude_abstract.search(abstract))
    )


def score_topic(topic: TopicRules, title: str, abstract: str) -> Assignment | None:
    """The topic's assignment for one paper, or None when the evidence falls short."""
    in_title = _hits(topic.include_title, title)
    in_abstract = _hits(topic.include_abstract, abstract)
    if not in_title and not in_abstract:
        return None
    weighted: list[tuple[float, int, Match]] = []
    for index, (_, first) in in_title.items():
        rule = topic.include[index]
        weighted.append((TITLE_WEIGHT * rule.weight, 0, Match(_shown(rule, first), "title")))
    for index, (count, first) in in_abstract.items():
        rule = topic.include[index]
        points = ABSTRACT_WEIGHT * rule.weight * min(count, ABSTRACT_REPEATS)
        weighted.append((points, 1, Match(_shown(rule, first), "abstract")))
    score = sum(points for points, _, _ in weighted)
    if score < THRESHOLD or _vetoed(topic, title, abstract):
        return None
    weighted.sort(key=lambda item: (-item[0], item[1]))
    return Assignment(topic=topic.topic.slug, score=score, reasons=tuple(m for _, _, m in weighted))


def _shown(rule, matched: str) -> str:
    """A phrase is shown as the curator wrote it; a regex by the text it found."""
    return " ".join(matched.split()) if rule.is_regex else rule.text


def classify(
    papers: Iterable[tuple[str, str, str]], taxonomy: Taxonomy
) -> dict[str, tuple[Assignment, ...]]:
    """Paper key -> its topics, strongest first, for (key, title, abstract) triples.

    Every key is in the result; a paper no topic claims maps to ``()``.
    """
    order = {rules.topic.slug: i for i, rules in enumerate(taxonomy.rules)}
    result: dict[str, tuple[Assignment, ...]] = {}
    for key, title, abstract in papers:
        found = [a for rules in taxonomy.rules if (a := score_topic(rules, title or "", abstract or ""))]
        found.sort(key=lambda a: (-a.score, order[a.topic]))
        result[key] = tuple(found)
    return result
