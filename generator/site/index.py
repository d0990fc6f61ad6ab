"""Relationships between papers, topics and digests, derived once per build.

Every page that lists papers reads from here, so all pages agree on order and
membership. Order is always explicit: newest digest first, then the order the
digest lists them, then slug.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

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
    first_seen: Mapping[str, Digest] = field(default_factory=dict)
    """Paper key -> the oldest digest it appeared in (undated collections count as oldest)."""
    new_count: Mapping[str, int] = field(default_factory=dict)
    """Digest id -> how many of its papers first appeared in it."""

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

    @property
    def cadence_days(self) -> int | None:
        """The median number of days between dated digests (the upper middle), once there are two."""
        days = sorted(d.date for d in self.site.digests if d.date)
        gaps = sorted((b - a).days for a, b in zip(days, days[1:]))
        return gaps[len(gaps) // 2] if gaps else None

    def new_is_news(self, digest: Digest) -> bool:
        """Whether "new" says something in ``digest``: only while its new papers are a minority."""
        return 0 < 2 * self.new_count.get(digest.id, 0) < len(digest.paper_keys)

    def mark(self, key: str, within: Digest | None = None) -> tuple[str, Digest | None] | None:
        """The one mark a listing gives a paper, if any: ``("new", None)`` for a paper
        first seen in ``within`` (or the newest digest) while such papers are few
        there; where most are new, ``("returning", first digest)`` on the others."""
        digest = within or self.newest
        if digest is None or key not in self.first_seen:
            return None
        first = self.first_seen[key]
        if self.new_is_news(digest):
            return ("new", None) if first is digest else None
        if within is not None and first is not digest:
            return ("returning", first)
        return None

    def digest_sections(self, digest: Digest) -> list[tuple[str | None, list[str]]]:
        """A digest's papers under their strongest topic: largest group first (then
        taxonomy order), Unsorted (``None``) last; featured papers lead their group."""
        groups: dict[str | None, list[str]] = {}
        for key in self.featured_first([k for k in digest.paper_keys if k in self.papers]):
            assigned = self.site.assignments.get(key, ())
            groups.setdefault(assigned[0].topic if assigned else None, []).append(key)
        order = {t.slug: n for n, t in enumerate(self.site.topics)}
        return sorted(groups.items(), key=lambda g: (g[0] is None, -len(g[1]), order.get(g[0] or "", len(order))))

    def reading_order(self, digest: Digest) -> list[str]:
        """The digest's papers in the order its page lists them."""
        return [key for _, keys in self.digest_sections(digest) for key in keys]


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
    # An undated collection is no earlier than any digest: a paper's first digest is its oldest dated one.
    first_seen = {key: next((d for d in reversed(seen) if d.date), seen[-1]) for key, seen in digests_of.items() if seen}
    new_count: dict[str, int] = {}
    for digest in first_seen.values():
        new_count[digest.id] = new_count.get(digest.id, 0) + 1
    return SiteIndex(
        first_seen=first_seen,
        new_count=new_count,
        site=site,
        papers=papers,
        digests_of={k: tuple(v) for k, v in digests_of.items()},
        topic_papers={k: tuple(v) for k, v in topic_papers.items()},
        unsorted=tuple(unsorted),
        newest_first=newest_first,
        newest=next((d for d in site.digests if d.date), None),
    )
