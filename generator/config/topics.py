"""The curated taxonomy: ``topics.yml`` read and validated into frozen values.

The file is the curator's, so every mistake in it becomes an ``InputError``
naming the file and the line to fix. What a phrase or regex rule matches is
``config.phrases``; how ``classify`` looks rules up is ``enrich.wordindex``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Topic
from .phrases import Variant, phrase_variants, regex_variants
from .yamlnodes import ConfigNode, parse_yaml_config

SLUG_FORMAT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOPIC_KEYS = ("slug", "name", "description", "area", "include", "exclude")
REQUIRED_TOPIC_KEYS = ("slug", "name", "description")
INCLUDE_RULE_KEYS = ("phrase", "regex", "weight", "where")
EXCLUDE_RULE_KEYS = ("phrase", "regex", "where")
WHERE_VALUES = ("title", "abstract", "anywhere")
MAX_WEIGHT = 10.0


@dataclass(frozen=True)
class Rule:
    """One include or exclude line of a topic."""

    text: str
    """As the curator wrote it: the phrase, or the regex source."""
    is_regex: bool
    weight: float
    """Points per match (before the field's factor). 0 makes a *shadow*: a longer
    phrase that claims its words so that a shorter rule inside it does not count
    (``post-training quantization`` hiding ``post-training`` from fine-tuning)."""
    line: int
    where: str = "anywhere"
    """``title``, ``abstract`` or ``anywhere``: the fields the rule looks at."""
    variants: tuple[Variant, ...] = ()


@dataclass(frozen=True)
class TopicRules:
    """A topic and the rules that assign (include) or veto (exclude) it."""

    topic: Topic
    include: tuple[Rule, ...]
    exclude: tuple[Rule, ...]
    line: int


@dataclass(frozen=True)
class Taxonomy:
    """Every topic in reading order, with its rules."""

    file: str
    rules: tuple[TopicRules, ...]

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(r.topic for r in self.rules)


def _parse_rule(node: ConfigNode, allowed_keys: Sequence[str]) -> Rule:
    """A rule is a bare phrase, or a mapping with ``phrase`` or ``regex`` (and ``weight``, ``where``)."""
    weight, where = 1.0, "anywhere"
    if node.is_scalar():
        text, is_regex = node.as_str().strip(), False
    else:
        node.as_mapping(allowed=allowed_keys)
        phrase, regex = node.get("phrase"), node.get("regex")
        if (phrase is None) == (regex is None):
            raise node.error("a rule needs exactly one of 'phrase' or 'regex'")
        text, is_regex = (regex.as_str(), True) if regex is not None else (phrase.as_str().strip(), False)  # type: ignore[union-attr]
        if (weight_node := node.get("weight")) is not None:
            weight = _as_weight(weight_node)
        if (where_node := node.get("where")) is not None:
            where = where_node.as_str().strip()
            if where not in WHERE_VALUES:
                raise where_node.error(f"'where' must be one of: {', '.join(WHERE_VALUES)}")
    try:
        variants = regex_variants(text) if is_regex else phrase_variants(text)
    except ValueError as exc:
        problem = "does not compile" if is_regex else "cannot match anything"
        raise node.error(f"the {'regex' if is_regex else 'phrase'} {text!r} {problem}: {exc}") from None
    return Rule(text=text, is_regex=is_regex, weight=weight, line=node.line, where=where, variants=variants)


def _as_weight(node: ConfigNode) -> float:
    value = node.as_number(f"'weight' must be a number from 0 to {MAX_WEIGHT:g}")
    if not 0 <= value <= MAX_WEIGHT:
        raise node.error(f"'weight' must be a number from 0 to {MAX_WEIGHT:g}")
    return value


def _parse_rules(node: ConfigNode | None, allowed_keys: Sequence[str]) -> tuple[Rule, ...]:
    if node is None:
        return ()
    rules: list[Rule] = []
    seen: dict[tuple[tuple[Variant, ...], str], int] = {}
    for item in node.as_list():
        rule = _parse_rule(item, allowed_keys)
        key = (rule.variants, rule.where)
        if key in seen:
            raise item.error(f"{rule.text!r} matches the same as the rule on line {seen[key]}")
        seen[key] = rule.line
        rules.append(rule)
    return tuple(rules)


def _parse_topic(node: ConfigNode) -> TopicRules:
    node.as_mapping(allowed=TOPIC_KEYS, required=REQUIRED_TOPIC_KEYS)
    slug_node = node.get("slug")
    assert slug_node is not None  # required above
    slug = slug_node.as_str()
    if not SLUG_FORMAT.match(slug):
        raise slug_node.error(
            f"the slug {slug!r} must be lowercase letters and digits in words joined by single hyphens"
        )
    topic = Topic(
        slug=slug,
        name=node.get("name").as_str().strip(),  # type: ignore[union-attr]
        description=" ".join(node.get("description").as_str().split()),  # type: ignore[union-attr]
        area=" ".join(area.as_str().split()) if (area := node.get("area")) is not None else None,
    )
    return TopicRules(
        topic=topic,
        include=_parse_rules(node.get("include"), INCLUDE_RULE_KEYS),
        exclude=_parse_rules(node.get("exclude"), EXCLUDE_RULE_KEYS),
        line=node.line,
    )


def _check_area(item: ConfigNode, topic: Topic, previous: Topic | None, first_line: dict[str, int]) -> None:
    """Areas are all or nothing, and each area's topics stand together, as the site lists them."""
    if previous is not None and (topic.area is None) != (previous.area is None):
        raise item.error(
            f"the topic '{topic.slug}' {'has no' if topic.area is None else 'has an'} 'area' and the one "
            f"before it {'has' if topic.area is None else 'has none'}: give every topic an area, or none"
        )
    if topic.area is None:
        return
    if previous is not None and topic.area != previous.area and topic.area in first_line:
        raise item.get("area").error(  # type: ignore[union-attr]
            f"the area '{topic.area}' was begun on line {first_line[topic.area]}: "
            "put the topics of one area next to each other"
        )
    first_line.setdefault(topic.area, item.line)


def parse_taxonomy(file: str, text: str) -> Taxonomy:
    """Read and check the taxonomy file; its topics keep the order they are written in.

    Raises:
        InputError: invalid YAML, unknown or missing keys, a duplicate or malformed
            slug, a regex that does not compile, areas given to only some topics or
            split apart, or a value of the wrong type;
            always with ``file`` and the line to fix.
    """
    root = parse_yaml_config(file, text, allowed={"topics"})
    listing = root.get("topics")
    if listing is None:
        raise root.error("missing key 'topics' (the list of topics)")
    topics: list[TopicRules] = []
    slugs: dict[str, int] = {}
    areas: dict[str, int] = {}
    for item in listing.as_list():
        topic = _parse_topic(item)
        _check_area(item, topic.topic, topics[-1].topic if topics else None, areas)
        slug = topic.topic.slug
        if slug in slugs:
            raise item.get("slug").error(  # type: ignore[union-attr]
                f"the slug '{slug}' is already used by the topic on line {slugs[slug]}"
            )
        slugs[slug] = topic.line
        topics.append(topic)
    if not topics:
        raise listing.error("'topics' must list at least one topic")
    return Taxonomy(file=file, rules=tuple(topics))
