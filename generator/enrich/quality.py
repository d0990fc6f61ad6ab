"""Editorial quality of a gathered site: how much of it the topics cover, and what looks amiss.

This is reported (``check`` and the build log), never a test of the code: whether any of it
stops publishing is the curator's choice, set as ``QualityGates`` in the plugin's config.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..models import Site


def near_duplicate_titles(titles: dict[str, str], threshold: float = 0.85) -> list[tuple[str, str, float]]:
    """Pairs of distinct papers whose titles share most of their words (Jaccard).

    Prefix filtering keeps this near linear: with each title's words ordered
    rarest first, two titles this alike must share a word among the first
    ``n - ceil(threshold * n) + 1`` of either, so only those are bucketed.
    """
    words = {key: set(key.split()) for key in titles}
    frequency = Counter(w for ws in words.values() for w in ws)
    buckets: dict[str, list[str]] = defaultdict(list)
    for key, ws in words.items():
        ordered = sorted(ws, key=lambda w: (frequency[w], w))
        for word in ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]:
            buckets[word].append(key)
    sizes = {key: len(ws) for key, ws in words.items()}
    pairs = set()
    for members in buckets.values():
        for i, a in enumerate(members):
            wa, la = words[a], sizes[a]
            for b in members[i + 1:]:
                lb = sizes[b]
                if min(la, lb) < threshold * max(la, lb):
                    continue  # too different in length to be this alike: |A & B| <= the smaller, |A | B| >= the larger
                shared = len(wa & words[b])
                overlap = shared / (la + lb - shared)
                if overlap >= threshold:
                    pairs.add((*sorted((titles[a], titles[b])), round(overlap, 2)))
    return sorted(pairs)


@dataclass(frozen=True)
class QualityReport:
    papers: int
    with_topic: int
    unsorted: tuple[str, ...]
    """Titles of the papers no topic claims (on the Unsorted page), in the site's order."""
    near_duplicates: tuple[tuple[str, str, float], ...]

    @property
    def topic_share(self) -> float:
        """Share of published papers with at least one topic; 1.0 for an empty site."""
        return self.with_topic / self.papers if self.papers else 1.0

    def summary(self) -> str:
        return (f"{self.topic_share:.1%} of {self.papers} papers have a topic; {len(self.unsorted)} unsorted; "
                f"{len(self.near_duplicates)} pair(s) of near-duplicate titles")


def title_pairs(site: Site) -> tuple[tuple[str, str, float], ...]:
    """The site's near-duplicate titles (see ``near_duplicate_titles``): they depend on its titles alone."""
    return tuple(near_duplicate_titles({p.key: p.title for p in site.papers}))


def quality_report(site: Site, near_duplicates: tuple[tuple[str, str, float], ...] | None = None) -> QualityReport:
    """The report; ``near_duplicates`` is ``title_pairs(site)``, if the caller has it already."""
    unsorted = tuple(p.title for p in site.papers if not site.assignments.get(p.key))
    return QualityReport(
        papers=len(site.papers),
        with_topic=len(site.papers) - len(unsorted),
        unsorted=unsorted,
        near_duplicates=title_pairs(site) if near_duplicates is None else near_duplicates,
    )


@dataclass(frozen=True)
class QualityGates:
    """What the curator lets block publishing; the defaults block nothing."""

    min_topic_share: float = 0.0
    fail_on_near_duplicates: bool = False


def gate_failures(report: QualityReport, gates: QualityGates) -> tuple[str, ...]:
    """One message per gate the report fails."""
    failures = []
    if report.topic_share < gates.min_topic_share:
        failures.append(f"only {report.topic_share:.1%} of papers have a topic, below min_topic_share "
                        f"{gates.min_topic_share:.1%}; {len(report.unsorted)} are unsorted")
    if gates.fail_on_near_duplicates and report.near_duplicates:
        a, b, _ = report.near_duplicates[0]
        failures.append(f"{len(report.near_duplicates)} pair(s) of near-duplicate titles, such as {a!r} ~ {b!r} "
                        "(fail_on_near_duplicates is set)")
    return tuple(failures)
