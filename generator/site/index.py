"""Relationships between papers, topics and digests, derived once per build.

Every page that lists papers reads from here, so all pages agree on order and
membership. Order is always explicit: newest digest first, then the order the
digest lists them, then slug.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..models import Digest, Paper, Site


@dataclass(frozen=True)
class SiteIndex:
    """Look-ups over a ``Site`` that the page templates need."""

    site: Site
    papers: Mapping[str, Paper]
    digests_of: Mapping[str, tuple[Digest, ...]]
    """Paper key -> the digests it appeared in, newest first."""
    topic_papers: Mapping[str, tuple[str, ...]]
    """Topic slug -> paper keys, newest digest first."""
    unsorted: tuple[str, ...]
    newest_first: tuple[str, ...]
    """Every paper key, newest digest first."""
    newest: Digest | None = None
    """The newest dated digest."""

    def topics_of(self, key: str) -> tuple[str, ...]:
        return tuple(a.topic for a in self.site.assignments.get(key, ()))

    def featured_first(self, keys: Sequence[str]) -> list[str]:
        """The curator's featured papers first, otherwise in the given order."""
        curation = self.site.curation
        return sorted(keys, key=lambda k: not (k in curation and curation[k].featured))

    @property
    def featured(self) -> list[str]:
        """Every featured paper, newest digest first."""
        return [k for k in self.newest_first if k in self.site.curation and self.site.curation[k].featured]

    def is_new(self, key: str) -> bool:
        """First seen in the newest dated digest."""
        seen = self.digests_of.get(key, ())
        return self.newest is not None and len(seen) == 1 and seen[0] is self.newest


def index_site(site: Site) -> SiteIndex:
    papers = {p.key: p for p in site.papers}
    digests_of: dict[str, list[Digest]] = {k: [] for k in papers}
    recency: dict[str, tuple[int, int, str]] = {}
    for rank, digest in enumerate(site.digests):
        for position, key in enumerate(digest.paper_keys):
            if key in papers:
                digests_of[key].append(digest)
                recency.setdefault(key, (rank, position, papers[key].slug))
    for key, paper in papers.items():
        recency.setdefault(key, (len(site.digests), 0, paper.slug))
    newest_first = tuple(sorted(papers, key=recency.__getitem__))

    topic_papers: dict[str, list[str]] = {t.slug: [] for t in site.topics}
    unsorted = []
    for key in newest_first:
        assigned = site.assignments.get(key, ())
        for assignment in assigned:
            topic_papers.setdefault(assignment.topic, []).append(key)
        if not assigned:
            unsorted.append(key)
    return SiteIndex(
        site=site,
        papers=papers,
        digests_of={k: tuple(v) for k, v in digests_of.items()},
        topic_papers={k: tuple(v) for k, v in topic_papers.items()},
        unsorted=tuple(unsorted),
        newest_first=newest_first,
        newest=next((d for d in site.digests if d.date), None),
    )
