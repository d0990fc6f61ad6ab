"""The curated taxonomy: ``topics.yml`` read, validated and compiled for ``classify``.

The file is the curator's, so every mistake in it becomes an ``InputError``
naming the file and the line to fix.

Rules work on words (runs of letters, digits and underscores), which is what
makes classifying fast: ``classify`` splits a text into words once, and every
rule is compiled here into ``Variant``s indexed by their most telling word.

* A *phrase* matches whole words in any letter case. Spaces and hyphens between
  its words are interchangeable and may be left out (``post-training
  quantization`` also finds ``post training quantization`` and ``posttraining
  quantization``); the last word may carry a plural ``s``/``es``; a ``*`` at
  the end of a word stands for any ending (``quantiz*``). Other punctuation in
  a phrase must appear as written (``pass@k``, ``C++``).
* A *regex* is a Python regular expression that must match one whole word
  (``W\\d+A\\d+`` finds ``W4A8``); letter case is ignored unless it says
  ``(?-i:...)``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from yaml import ScalarNode

from ..models import Topic
from .patterns import PatternError, compile_word_pattern
from .yamlnodes import ConfigNode, parse_yaml_config

SLUG_FORMAT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOPIC_KEYS = ("slug", "name", "description", "include", "exclude")
REQUIRED_TOPIC_KEYS = ("slug", "name", "description")
INCLUDE_RULE_KEYS = ("phrase", "regex", "weight", "where")
EXCLUDE_RULE_KEYS = ("phrase", "regex", "where")
WHERE_VALUES = ("title", "abstract", "anywhere")
MAX_WEIGHT = 10.0
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
    regex: re.Pattern[str] | None = None

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


# Words too common to look a phrase up by: a phrase is indexed by its most
# telling word instead ("in-context learning" by "context"), so that the scan
# visits few positions.
_COMMON_WORDS = frozenset(
    "a an and as at by for from in into is it of on or that the this to via we with "
    "data deep large language learning model models network networks neural training".split()
)


def _anchor(words: Sequence[Word]) -> int:
    """Index of the word a variant is indexed by: exact before prefix before regex, uncommon, long."""
    rank = {"exact": 2, "prefix": 1, "regex": 0}
    return max(range(len(words)), key=lambda k: (
        rank[words[k].kind], words[k].text not in _COMMON_WORDS, len(words[k].text), -k,
    ))


@dataclass(frozen=True, slots=True)
class Start:
    """A rule variant as the index holds it: which topic and rule it belongs to."""

    topic: int
    """Index into ``Taxonomy.rules``."""
    exclude: bool
    rule: int
    """Index into that topic's ``include`` or ``exclude``."""
    variant: Variant
    where: str
    size: int
    """Words in the variant."""
    anchor: int
    """Which of its words it is indexed by; the scan checks the others around it."""

    @classmethod
    def of(cls, topic: int, exclude: bool, rule: int, variant: Variant, where: str) -> Start:
        return cls(topic, exclude, rule, variant, where, len(variant.words), _anchor(variant.words))

    @property
    def anchor_word(self) -> Word:
        return self.variant.words[self.anchor]


@dataclass(frozen=True, slots=True)
class WordStarts:
    """The variants one word anchors, grouped so that a scan rejects most of them in one lookup."""

    single_includes: tuple[tuple[int, int], ...]
    """(topic, rule) of one-word include variants without a tail: they match as soon as the word is seen."""
    single_vetoes: tuple[int, ...]
    """Topics a one-word exclude variant without a tail vetoes as soon as the word is seen."""
    by_neighbour: tuple[tuple[int, dict[str, tuple[Start, ...]]], ...]
    """Longer variants by the offset of a neighbouring exact word, then by its lowercase forms."""
    other: tuple[Start, ...]
    """Everything else: checked word by word around the anchor."""

    @classmethod
    def of(cls, starts: Sequence[Start]) -> WordStarts:
        single, other = [], []
        by_neighbour: dict[int, dict[str, list[Start]]] = {}
        for start in starts:
            if start.size == 1 and not start.variant.tail:
                single.append(start)
                continue
            offset = _neighbour(start)
            if offset is None:
                other.append(start)
                continue
            word = start.variant.words[start.anchor + offset]
            forms = (word.text, word.text + "s", word.text + "es") if word.plural else (word.text,)
            for form in forms:
                by_neighbour.setdefault(offset, {}).setdefault(form, []).append(start)
        return cls(
            single_includes=tuple((start.topic, start.rule) for start in single if not start.exclude),
            single_vetoes=tuple(start.topic for start in single if start.exclude),
            by_neighbour=tuple((o, {f: tuple(g) for f, g in table.items()}) for o, table in by_neighbour.items()),
            other=tuple(other),
        )


def _neighbour(start: Start) -> int | None:
    """Offset from the anchor of an adjacent exact word (+1 preferred), if there is one."""
    for offset in (1, -1):
        k = start.anchor + offset
        if 0 <= k < start.size and start.variant.words[k].kind == "exact":
            return offset
    return None


@dataclass
class WordIndex:
    """Every rule variant by its anchor word, with a cache from word to the variants it anchors.

    A text has a few hundred words but only a few thousand distinct words occur
    across all papers, so each distinct word is looked up once per field and
    then costs a dictionary hit.
    """

    exact: dict[str, list[Start]] = field(default_factory=dict)
    prefixes: dict[int, dict[str, list[Start]]] = field(default_factory=dict)
    regexes: list[Start] = field(default_factory=list)
    cache: dict[str, _FieldCache] = field(init=False)

    def __post_init__(self) -> None:
        self.cache = {name: _FieldCache(self, name) for name in ("title", "abstract")}

    def add(self, start: Start) -> None:
        word = start.anchor_word
        if word.kind == "exact":
            self.exact.setdefault(word.text, []).append(start)
        elif word.kind == "prefix":
            self.prefixes.setdefault(len(word.text), {}).setdefault(word.text, []).append(start)
        else:
            self.regexes.append(start)

    def _compute(self, word: str, field_name: str) -> WordStarts | None:
        found = [s for s in self._lookup(word) if s.where in ("anywhere", field_name)]
        return WordStarts.of(found) if found else None

    def _lookup(self, word: str) -> list[Start]:
        lower = word.lower()
        found = list(self.exact.get(lower, ()))
        for cut in (1, 2):  # "GPUs" is "GPU" when that word may be plural
            if len(lower) > cut and lower.endswith("es"[2 - cut:]):
                found += [s for s in self.exact.get(lower[:-cut], ()) if s.anchor_word.plural]
        for length, table in self.prefixes.items():
            found += table.get(lower[:length], ()) if len(lower) >= length else ()
        found += [s for s in self.regexes if s.anchor_word.matches(word)]
        return found


class _FieldCache(dict):  # type: ignore[type-arg]
    """Word -> the variants it anchors in one field, computed on first sight of the word."""

    def __init__(self, index: WordIndex, field_name: str):
        super().__init__()
        self.index = index
        self.field_name = field_name

    def __missing__(self, word: str) -> WordStarts | None:
        found = self[word] = self.index._compute(word, self.field_name)
        return found


@dataclass(frozen=True)
class Taxonomy:
    """Every topic in reading order, with its rules and the index ``classify`` scans with."""

    file: str
    rules: tuple[TopicRules, ...]
    index: WordIndex = field(default_factory=WordIndex, compare=False, repr=False)

    @property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(r.topic for r in self.rules)


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


def _parse_rule(node: ConfigNode, allowed_keys: Sequence[str]) -> Rule:
    """A rule is a bare phrase, or a mapping with ``phrase`` or ``regex`` (and ``weight``, ``where``)."""
    weight, where = 1.0, "anywhere"
    if isinstance(node.node, ScalarNode):
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
    if is_regex:
        try:
            compiled = compile_word_pattern(text)  # RE2: no pattern can take exponential time
        except PatternError as exc:
            raise node.error(f"the regex {text!r} does not compile: {exc}") from None
        variants: tuple[Variant, ...] = (Variant((Word("regex", text, regex=compiled),)),)
    else:
        try:
            variants = phrase_variants(text)
        except ValueError as exc:
            raise node.error(f"the phrase {text!r} cannot match anything: {exc}") from None
    return Rule(text=text, is_regex=is_regex, weight=weight, line=node.line, where=where, variants=variants)


def _as_weight(node: ConfigNode) -> float:
    value = node._value()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_WEIGHT:
        raise node.error(f"'weight' must be a number from 0 to {MAX_WEIGHT:g}")
    return float(value)


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
    )
    return TopicRules(
        topic=topic,
        include=_parse_rules(node.get("include"), INCLUDE_RULE_KEYS),
        exclude=_parse_rules(node.get("exclude"), EXCLUDE_RULE_KEYS),
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
    index = WordIndex()
    for t, topic in enumerate(topics):
        for exclude, rules in ((False, topic.include), (True, topic.exclude)):
            for r, rule in enumerate(rules):
                for variant in rule.variants:
                    index.add(Start.of(t, exclude, r, variant, rule.where))
    return Taxonomy(file=file, rules=tuple(topics), index=index)
