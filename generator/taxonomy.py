"""The curated taxonomy: ``topics.yml`` read, validated and compiled for ``classify``.

The file is the curator's, so every mistake in it becomes an ``InputError``
naming the file and the line to fix. Rules are compiled here, once, into one
regular expression per topic, so that classifying is a single scan per field.

A *phrase* rule is matched as whole words, case-insensitively; spaces and
hyphens between its words are interchangeable and may be left out
(``post-training quantization`` also finds ``post training quantization`` and
``posttraining quantization``); a final word may carry a plural ``s``/``es``;
``*`` at the end of a word stands for any ending (``quantiz*``). A *regex* rule
is a Python regular expression, also case-insensitive unless it says
``(?-i:...)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from yaml import ScalarNode

from .models import Topic
from .yamlconfig import ConfigNode, parse_yaml_config

SLUG_FORMAT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOPIC_KEYS = ("slug", "name", "description", "include", "exclude")
REQUIRED_TOPIC_KEYS = ("slug", "name", "description")
INCLUDE_RULE_KEYS = ("phrase", "regex", "weight", "where")
EXCLUDE_RULE_KEYS = ("phrase", "regex", "where")
WHERE_VALUES = ("title", "abstract", "anywhere")
MAX_WEIGHT = 10.0

# What may stand between the words of a phrase: nothing, spaces, or a hyphen
# of any kind (ASCII, Unicode hyphens and dashes, and the LaTeX tie ``~`` that
# arXiv copies leave behind, as in ``Byte-~and``).
_WORD_JOINER = r"[\s\-\u2010\u2011\u2012\u2013~]*"
_WORD_SPLIT = re.compile(r"[\s\-\u2010\u2011\u2012\u2013]+")
_FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class Rule:
    """One include or exclude line of a topic."""

    text: str
    """As the curator wrote it: the phrase, or the regex source."""
    is_regex: bool
    pattern: str
    """The regular expression the rule stands for."""
    weight: float
    line: int
    where: str = "anywhere"
    """``title``, ``abstract`` or ``anywhere``: the fields the rule looks at."""

    def applies_to(self, field: str) -> bool:
        return self.where in ("anywhere", field)


@dataclass(frozen=True)
class TopicRules:
    """A topic and its rules, compiled into one pattern per field for include and exclude.

    In the include patterns the rule at index ``i`` of ``include`` is the named
    group ``r<i>``, so a match says which rule it came from. A pattern is None
    when no rule looks at that field.
    """

    topic: Topic
    include: tuple[Rule, ...]
    exclude: tuple[Rule, ...]
    include_title: re.Pattern[str] | None
    include_abstract: re.Pattern[str] | None
    exclude_title: re.Pattern[str] | None
    exclude_abstract: re.Pattern[str] | None
    line: int


@dataclass(frozen=True)
class Taxonomy:
    """Every topic in reading order, with its compiled rules."""

    file: str
    rules: tuple[TopicRules, ...]

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(r.topic for r in self.rules)


def phrase_pattern(phrase: str) -> str:
    """The regular expression a phrase rule stands for (see the module docstring)."""
    words = [w for w in _WORD_SPLIT.split(phrase.strip()) if w]
    parts = []
    for word in words:
        if word.endswith("*") and len(word) > 1:
            parts.append(re.escape(word.rstrip("*")) + r"\w*")
        else:
            parts.append(re.escape(word))
    body = _WORD_JOINER.join(parts)
    last = words[-1]
    if last[-1].isalpha():
        body += "(?:s|es)?"
    start = r"(?<!\w)" if (words[0][0].isalnum() or words[0][0] == "_") else ""
    end = r"(?!\w)" if (last[-1].isalnum() or last[-1] in "_*") else ""
    return f"{start}{body}{end}"


def _parse_rule(node: ConfigNode, allowed_keys: Sequence[str]) -> Rule:
    """A rule is a bare phrase, or a mapping with ``phrase`` or ``regex`` (and ``weight``)."""
    weight, where = 1.0, "anywhere"
    if isinstance(node.node, ScalarNode):
        text, is_regex = node.as_str(), False
    else:
        node.as_mapping(allowed=allowed_keys)
        phrase, regex, weight_node = node.get("phrase"), node.get("regex"), node.get("weight")
        if (phrase is None) == (regex is None):
            raise node.error("a rule needs exactly one of 'phrase' or 'regex'")
        text, is_regex = (regex.as_str(), True) if regex is not None else (phrase.as_str(), False)  # type: ignore[union-attr]
        if weight_node is not None:
            weight = _as_weight(weight_node)
        if (where_node := node.get("where")) is not None:
            where = where_node.as_str().strip()
            if where not in WHERE_VALUES:
                raise where_node.error(f"'where' must be one of: {', '.join(WHERE_VALUES)}")
    if is_regex:
        pattern = text
        try:
            re.compile(pattern, _FLAGS)
        except re.error as exc:
            raise node.error(f"the regex {text!r} does not compile: {exc}") from None
    else:
        if not re.search(r"\w", text):
            raise node.error(f"the phrase {text!r} has no letters or digits to match")
        pattern = phrase_pattern(text)
    return Rule(text=text.strip() if not is_regex else text, is_regex=is_regex, pattern=pattern,
                weight=weight, line=node.line, where=where)


def _as_weight(node: ConfigNode) -> float:
    value = node._value()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= MAX_WEIGHT:
        raise node.error(f"'weight' must be a number above 0 and at most {MAX_WEIGHT:g}")
    return float(value)


def _parse_rules(node: ConfigNode | None, allowed_keys: Sequence[str]) -> tuple[Rule, ...]:
    if node is None:
        return ()
    rules: list[Rule] = []
    seen: dict[tuple[str, str], int] = {}
    for item in node.as_list():
        rule = _parse_rule(item, allowed_keys)
        if (rule.pattern, rule.where) in seen:
            raise item.error(f"{rule.text!r} is already given on line {seen[rule.pattern, rule.where]}")
        seen[rule.pattern, rule.where] = rule.line
        rules.append(rule)
    return tuple(rules)


def _combine(rules: Sequence[Rule], field: str, node: ConfigNode) -> re.Pattern[str] | None:
    """One pattern for the rules that look at ``field``; group ``r<i>`` is ``rules[i]``."""
    # Longer rules first, so that at one position "quantization-aware training"
    # wins over "quantization" and the reason shown is the more telling one.
    order = sorted((i for i, rule in enumerate(rules) if rule.applies_to(field)), key=lambda i: -len(rules[i].text))
    if not order:
        return None
    source = "|".join(f"(?P<r{i}>{rules[i].pattern})" for i in order)
    try:
        return re.compile(source, _FLAGS)
    except re.error as exc:  # e.g. a regex that uses group numbers of its own
        raise node.error(f"this topic's rules cannot be combined into one pattern: {exc}") from None


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
    )
    include = _parse_rules(node.get("include"), INCLUDE_RULE_KEYS)
    exclude = _parse_rules(node.get("exclude"), EXCLUDE_RULE_KEYS)
    return TopicRules(
        topic=topic,
        include=include,
        exclude=exclude,
        include_title=_combine(include, "title", node),
        include_abstract=_combine(include, "abstract", node),
        exclude_title=_combine(exclude, "title", node),
        exclude_abstract=_combine(exclude, "abstract", node),
        line=node.line,
    )


def parse_taxonomy(file: str, text: str) -> Taxonomy:
    """Read and check the taxonomy file; its topics keep the order they are written in.

    Raises:
        InputError: invalid YAML, unknown or missing keys, a duplicate or malformed
            slug, a regex that does not compile, or a value of the wrong type;
            always with ``file`` and the line to fix.
    """
    root = parse_yaml_config(file, text, allowed={"topics"})
    listing = root.get("topics")
    if listing is None:
        raise root.error("missing key 'topics' (the list of topics)")
    topics: list[TopicRules] = []
    slugs: dict[str, int] = {}
    for item in listing.as_list():
        topic = _parse_topic(item)
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

