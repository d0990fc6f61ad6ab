"""The classifier's word index: every rule variant of a taxonomy by its most telling word.

``classify`` builds one ``WordIndex`` per run from a (frozen) ``Taxonomy``; the
index holds a per-word cache, which is why it lives here and not in the
taxonomy: the taxonomy is the curator's file as values, the index is the
classifier's working state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..config.phrases import Variant, Word
from ..config.topics import Taxonomy


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


def build_index(taxonomy: Taxonomy) -> WordIndex:
    """Every include and exclude variant of every topic, indexed by its anchor word."""
    index = WordIndex()
    for t, topic in enumerate(taxonomy.rules):
        for exclude, rules in ((False, topic.include), (True, topic.exclude)):
            for r, rule in enumerate(rules):
                for variant in rule.variants:
                    index.add(Start.of(t, exclude, r, variant, rule.where))
    return index
