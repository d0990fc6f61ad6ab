"""What the taxonomy lacks: candidate topics for Unsorted papers, and papers a topic may have missed.

Pure functions over (key, title, abstract) triples and the topics the rules
gave them; ``python -m generator topics suggest`` prints what they find.

A paper's *key phrases* are runs of one to three content words from its title
and abstract (``speech recognition``, ``graph neural network``), cut at
function words and punctuation. A phrase tells something about a group of
papers when it is much more common among them than among the other papers
(its *lift*), which keeps out both the words every abstract uses and the words
of topics that already exist.

* ``suggest_topics`` groups the Unsorted papers greedily: the phrase shared by
  most papers not yet grouped opens a group of every Unsorted paper that has
  it; the group's other common phrases join it as include rules.
* ``possible_misses`` gives each topic a profile of the phrases its members
  share far more than other papers do, and lists the papers outside it that
  carry many of them.

Deterministic (ties go to the longer, then alphabetically first phrase, and to
the title), and linear in the size of the text: every step is a count or a
lookup in an index from phrase to papers.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import compress
from dataclasses import dataclass

import yaml

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*|[^\sA-Za-z]+")
_STOP = frozenset("""
discuss discusses suggest suggests suggested
a about above achieve achieved achieves achieving across after again against all allow allows almost
along also although always among an and another any are around as at based be because been before being
below between both but by can compared could demonstrate demonstrated demonstrates did do does doing
done due during each effectively efficiently either enable enables enabling enough especially etc
evaluate evaluated even ever every extensive few finally for from further furthermore given had has have
having here how however i identified identify if improve improved improves improving in including into
introduce introduced introduces is it its itself just lead leads least less like made make makes many
may might more moreover most much must near nearly neither no nor not now of off often on once one only
onto or other others otherwise our ours out outperform outperforming outperforms over own per perform
performs present presented presents propose proposed proposes provide provides providing rather recently
remain remains require required requires respectively same several shall she should show shown shows
significantly since so some specifically such than that the their them themselves then there thereby
therefore these they this those though three through thus to too toward towards two under until up upon
us use used uses using very via was we well were what when where whereas whether which while who whose
why will with within without would yet you your
""".split())
"""Function words and the verbs of an abstract's frame ("we propose"): a key phrase never spans them."""
_WEAK = frozenset("""
effect effects
accuracy across analysis application applications approach approaches available best better challenge
challenges common comparison computation computational critical crucial current deep different effective
efficient evaluation existing experiment experimental experiments first framework frameworks general
good high important information key large leading level levels low method methods model models multiple
network networks neural new novel number open paper papers particular performance potential previous
prior problem problems process quality range real-world recent result results second set significant
simple single size sizes small sota specific state-of-the-art strategies strategy studied studies study
support system systems task tasks technique techniques total train trained training typically various
wide work works
""".split())
"""Words every field uses: they may stand inside a key phrase ("neural network"),
but a phrase of nothing else is no key phrase."""
MAX_WORDS = 3
"""Longest key phrase, in words (``_add_runs`` spells out one to three)."""
ABSTRACT_WORDS = 2
"""Longest key phrase taken from an abstract: three-word runs there are many and
mostly accidental, and halving the phrases keeps the index fast at 10,000 papers."""


def key_phrases(text: str, longest: int = MAX_WORDS) -> set[str]:
    """The key phrases of a text, lowercase, each once, of at most ``longest`` words."""
    found: set[str] = set()
    run: list[str] = []
    for token in _WORD.findall(text.lower()):
        if token in _STOP or not token[0].isalpha() or len(token) < 3 and not any(c.isdigit() for c in token):
            if run:
                _add_runs(run, found, longest)
                run = []
        else:
            run.append(token)
    if run:
        _add_runs(run, found, longest)
    return found


def _add_runs(run: list[str], found: set[str], longest: int) -> None:
    """Every run of one to ``MAX_WORDS`` consecutive words with a word that is not weak."""
    strong = [word not in _WEAK for word in run]
    found.update(compress(run, strong))
    if len(run) > 1 and longest > 1:
        found.update(f"{a} {b}" for a, b, sa, sb in zip(run, run[1:], strong, strong[1:]) if sa or sb)
    if len(run) > 2 and longest > 2:
        found.update(f"{a} {b} {c}" for a, b, c, sa, sb, sc in zip(run, run[1:], run[2:], strong, strong[1:], strong[2:])
                     if sa or sb or sc)


@dataclass(frozen=True)
class PhraseIndex:
    """Every paper's key phrases, and the papers each phrase occurs in."""

    keys: tuple[str, ...]
    titles: Mapping[str, str]
    phrases: Mapping[str, frozenset[str]]
    """Paper key -> its key phrases (title and abstract)."""
    in_title: Mapping[str, frozenset[str]]
    """Paper key -> the key phrases of its title alone."""
    papers_with: Mapping[str, frozenset[str]]
    """Phrase -> keys of the papers that have it."""

    @classmethod
    def of(cls, papers: Iterable[tuple[str, str, str]]) -> PhraseIndex:
        phrases, in_title, titles = {}, {}, {}
        papers_with: dict[str, set[str]] = defaultdict(set)
        for key, title, abstract in papers:
            titles[key] = title
            in_title[key] = frozenset(key_phrases(title or ""))
            phrases[key] = in_title[key] | key_phrases(abstract or "", ABSTRACT_WORDS)
            for phrase in phrases[key]:
                papers_with[phrase].add(key)
        return cls(tuple(titles), titles, phrases, in_title, {p: frozenset(k) for p, k in papers_with.items()})

    def lift(self, phrase: str, members: int, in_members: int) -> float:
        """How many times more often ``phrase`` occurs among ``members`` papers than among the others.

        ``in_members`` of the members have it; the others' share is smoothed by
        one paper, so that a phrase no other paper has still gets a finite lift.
        """
        others = len(self.keys) - members
        in_others = len(self.papers_with.get(phrase, ())) - in_members
        return (in_members / members) / ((in_others + 1) / (others + 1))


@dataclass(frozen=True)
class CandidateTopic:
    slug: str
    name: str
    include: tuple[str, ...]
    """Phrases to paste under ``include:``; the first opened the group."""
    members: tuple[str, ...]
    """Paper keys, in title order."""

    def as_yaml(self) -> str:
        """The topic as a ``topics.yml`` list item, indented to paste under ``topics:``."""
        item = {"slug": self.slug, "name": self.name,
                "description": f"Papers about {self.include[0]}. (Say what the topic covers.)",
                "include": list(self.include)}
        text = yaml.safe_dump([item], sort_keys=False, allow_unicode=True, width=88)
        return "".join(f"  {line}" for line in text.splitlines(keepends=True))


MIN_MEMBERS = 3
MIN_LIFT = 2.0
MAX_INCLUDE = 6
MAX_COMMON_SHARE = 0.3
"""When every paper is unsorted there are no others to compare with: a phrase
in more than this share of them is then too common to name a topic."""


def suggest_topics(
    index: PhraseIndex, unsorted: Sequence[str], taken_slugs: Iterable[str] = (), max_topics: int = 12,
) -> list[CandidateTopic]:
    """Candidate topics for the ``unsorted`` paper keys, largest group first."""
    pool = set(unsorted)
    if not pool:
        return []
    counts = Counter(p for key in pool for p in index.phrases[key])
    whole = len(index.keys)
    usable = {
        phrase: count for phrase, count in counts.items()
        if count >= MIN_MEMBERS and (
            index.lift(phrase, len(pool), count) >= MIN_LIFT * (1.5 if " " not in phrase else 1) if len(pool) < whole
            else count <= MAX_COMMON_SHARE * whole
        )
    }
    slugs = set(taken_slugs)
    left = set(pool)
    found: list[CandidateTopic] = []
    while left and len(found) < max_topics:
        best = min(((-len(index.papers_with[p] & left), -len(p.split()), p) for p in usable), default=None)
        if best is None or -best[0] < MIN_MEMBERS:
            break
        seed = best[2]
        members = index.papers_with[seed] & pool
        left -= members
        found.append(_candidate(index, seed, members, usable, slugs))
    return found


def _candidate(
    index: PhraseIndex, seed: str, members: frozenset[str], usable: Mapping[str, int], slugs: set[str],
) -> CandidateTopic:
    shared = Counter(p for key in members for p in index.phrases[key] if p in usable)
    include = [seed]
    for phrase, count in sorted(shared.items(), key=lambda item: (-item[1], -len(item[0].split()), item[0])):
        if len(include) == MAX_INCLUDE or count < max(MIN_MEMBERS, len(members) / 2):
            break
        if any(_overlaps(phrase, chosen) for chosen in include):
            continue
        include.append(phrase)
    slug = base = re.sub(r"[^a-z0-9]+", "-", seed).strip("-") or "topic"
    number = 2
    while slug in slugs:
        slug, number = f"{base}-{number}", number + 1
    slugs.add(slug)
    ordered = tuple(sorted(members, key=lambda key: (index.titles[key], key)))
    return CandidateTopic(slug, seed.title(), tuple(include), ordered)


def _overlaps(a: str, b: str) -> bool:
    """Whether one phrase is a run of the other's words (``speech`` and ``speech recognition``)."""
    short, long = sorted((f" {a} ", f" {b} "), key=len)
    return short in long


@dataclass(frozen=True)
class PossibleMiss:
    key: str
    title: str
    shared: tuple[str, ...]
    """The topic's telling phrases the paper has, most telling first."""


PROFILE_SIZE = 25
MIN_PROFILE_LIFT = 4.0
MIN_SHARED = 5
MAX_MISSES = 10


def topic_profile(
    index: PhraseIndex, slug: str, members: Mapping[str, frozenset[str]], topics_of: Mapping[str, Iterable[str]],
) -> list[str]:
    """The phrases a topic's members share far more than other papers do, most telling first.

    A phrase belongs to the profile of the one topic it is most telling of, so
    that on-device papers, many of them about quantization, do not list every
    quantized model as an on-device miss.
    """
    own = members.get(slug, frozenset())
    if not own:
        return []
    counts = Counter(p for key in own for p in index.phrases[key])
    least = max(3, math.ceil(0.1 * len(own)))
    scored = []
    for phrase, count in counts.items():
        lift = index.lift(phrase, len(own), count)
        if count >= least and lift >= MIN_PROFILE_LIFT and _most_telling_of(index, phrase, members, topics_of) == slug:
            scored.append((-count * math.log(lift), phrase))
    return [phrase for _, phrase in sorted(scored)[:PROFILE_SIZE]]


def _most_telling_of(
    index: PhraseIndex, phrase: str, members: Mapping[str, frozenset[str]], topics_of: Mapping[str, Iterable[str]],
) -> str:
    """The topic among whose members ``phrase`` is most over-represented (ties: first slug)."""
    counts = Counter(slug for key in index.papers_with[phrase] for slug in topics_of.get(key, ()))
    return min(counts, key=lambda slug: (-counts[slug] / len(members[slug]), slug))


def possible_misses(
    index: PhraseIndex, assigned: Mapping[str, Iterable[str]], topics: Sequence[str],
) -> dict[str, list[PossibleMiss]]:
    """Per topic, papers outside it that carry many of its telling phrases, one in the title.

    A phrase in the title counts twice; a paper needs ``MIN_SHARED`` points.
    """
    grouped: dict[str, set[str]] = defaultdict(set)
    topics_of = {key: tuple(slugs) for key, slugs in assigned.items()}
    for key, slugs in topics_of.items():
        for slug in slugs:
            grouped[slug].add(key)
    members = {slug: frozenset(keys) for slug, keys in grouped.items()}
    result: dict[str, list[PossibleMiss]] = {}
    for slug in topics:
        own = members.get(slug, frozenset())
        profile = topic_profile(index, slug, members, topics_of)
        rank = {phrase: i for i, phrase in enumerate(profile)}
        hits: dict[str, list[str]] = defaultdict(list)
        for phrase in profile:
            for key in index.papers_with.get(phrase, ()):
                if key not in own:
                    hits[key].append(phrase)
        scored = []
        for key, phrases in hits.items():
            weight = sum(2 if p in index.in_title[key] else 1 for p in phrases)
            if weight >= MIN_SHARED and not index.in_title[key].isdisjoint(phrases):
                scored.append((-weight, index.titles[key], key, tuple(sorted(phrases, key=rank.__getitem__))))
        result[slug] = [PossibleMiss(key, title, shared) for _, title, key, shared in sorted(scored)[:MAX_MISSES]]
    return result
