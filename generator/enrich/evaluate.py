"""How well the rules agree with hand labels: precision and recall, per topic and overall.

A developer's measuring tool, used by the test suite and runnable by hand::

    python -m generator.enrich.evaluate tests/fixtures/labels_unseen.yml

A labels file is a YAML list of papers, each with a ``title``, the ``topics``
a reader chose (``[]`` for none fits) and, when the paper is not in the dumps
next to ``topics.yml``, its ``abstract``. The scoring itself is a pure function of labels and
assignments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TopicScore:
    topic: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


@dataclass(frozen=True)
class Evaluation:
    per_topic: tuple[TopicScore, ...]
    micro: TopicScore
    """All topics' counts added up (topic ``"all"``)."""
    unsorted_on_topic: int
    """Papers with at least one labelled topic that the rules gave none."""
    on_topic: int
    """Papers with at least one labelled topic."""
    mistakes: tuple[str, ...]
    """One line per paper whose topics differ from its labels."""

    def table(self) -> str:
        """A plain-text report: a line per topic, then the totals."""
        lines = [f"{'topic':24s} {'tp':>4s} {'fp':>4s} {'fn':>4s} {'prec':>6s} {'recall':>6s}"]
        for score in (*self.per_topic, self.micro):
            lines.append(
                f"{score.topic:24s} {score.true_positives:4d} {score.false_positives:4d} "
                f"{score.false_negatives:4d} {score.precision:6.3f} {score.recall:6.3f}"
            )
        share = self.unsorted_on_topic / self.on_topic if self.on_topic else 0.0
        lines.append(f"on-topic papers left unsorted: {self.unsorted_on_topic}/{self.on_topic} ({share:.1%})")
        return "\n".join(lines)


def evaluate(
    labels: Iterable[tuple[str, frozenset[str]]],
    assigned: Mapping[str, Iterable[str]],
    topics: Iterable[str],
) -> Evaluation:
    """Compare (title, labelled topics) pairs with ``assigned`` (title -> topics the rules gave)."""
    counts = {topic: [0, 0, 0] for topic in topics}
    mistakes, unsorted, on_topic = [], 0, 0
    for title, gold in labels:
        got = set(assigned[title])
        for topic in gold | got:
            counts.setdefault(topic, [0, 0, 0])[0 if topic in gold & got else 1 if topic in got else 2] += 1
        if gold:
            on_topic += 1
            unsorted += not got
        if gold != got:
            mistakes.append(f"{title[:72]}: extra {sorted(got - gold)}, missing {sorted(gold - got)}")
    per_topic = tuple(TopicScore(topic, *c) for topic, c in counts.items())
    micro = TopicScore("all", *(sum(c[i] for c in counts.values()) for i in range(3)))
    return Evaluation(per_topic, micro, unsorted, on_topic, tuple(mistakes))


def _abstracts_in_dumps(folder: Path) -> dict[str, str]:
    """Title key -> abstract of every paper in a dumps folder, merged as the build merges them."""
    from ..ingest.merge import merge_entries
    from ..ingest.parse import decode, parse_dump

    entries = []
    for path in sorted(folder.glob("*.txt")):
        text, _ = decode(path.name, path.read_bytes())
        entries += parse_dump(path.name, text).entries
    papers, _ = merge_entries(entries)
    return {paper.key: paper.abstract for paper in papers}


def _main(argv: list[str]) -> int:
    import yaml

    from ..config.topics import parse_taxonomy
    from ..ingest.normalize import title_key
    from ..models import InputError
    from .classify import classify

    if len(argv) not in (1, 2):
        print("usage: python -m generator.enrich.evaluate LABELS.yml [topics.yml]")
        return 2
    topics_file = Path(argv[1] if len(argv) == 2 else "topics.yml")
    try:
        taxonomy = parse_taxonomy(str(topics_file), topics_file.read_text(encoding="utf-8"))
    except InputError as error:
        print(f"error: {error}")
        return 1
    items = yaml.safe_load(Path(argv[0]).read_text(encoding="utf-8"))
    if any("abstract" not in item for item in items):  # seed labels: the abstracts are in the dumps
        abstracts = _abstracts_in_dumps(topics_file.parent / "dumps")
        items = [{**item, "abstract": abstracts.get(title_key(item["title"]), "")} for item in items]
    result = classify([(i["title"], i["title"], i["abstract"]) for i in items], taxonomy)
    report = evaluate(
        [(i["title"], frozenset(i["topics"])) for i in items],
        {title: [a.topic for a in found] for title, found in result.items()},
        [t.slug for t in taxonomy.topics],
    )
    print(report.table())
    print("\n".join(report.mistakes))
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(_main(sys.argv[1:]))
