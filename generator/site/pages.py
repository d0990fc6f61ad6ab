"""The pages of a site: every page's path, its template and the template's values.

Which pages exist follows from the gathered site alone: a home page and
indexes, a page per paper, topic and digest, and listings split over
numbered pages where they grow long. ``render`` renders them; a clash of
paths is a bug, caught here.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..models import Digest, Paper, Site
from .index import SiteIndex
from .text import by_letter
from .urls import (
    DIGESTS_INDEX, HOME, PAPERS_INDEX, SAVED, TOPICS_INDEX, UNSORTED, digest_uri, letter_uri, paged_uris,
    paper_uri, topic_uri,
)

LIST_PAGE_SIZE = 200
"""Papers per topic page; longer topics continue on numbered pages."""
AZ_SINGLE_PAGE_LIMIT = 2000
"""Up to this many papers the A–Z index is one page; beyond, one page per letter."""
AZ_LETTER_PAGE_SIZE = 1000
"""Papers per A–Z letter page; a letter with more continues on numbered pages (at
100,000 papers, "C" alone was a 2.7 MB page)."""


def chunks(keys: Sequence[str], size: int | None = None) -> list[Sequence[str]]:
    size = size or LIST_PAGE_SIZE
    return [keys[i:i + size] for i in range(0, len(keys), size)] or [keys]


Job = tuple[str, str, dict[str, object]]
"""A page to render: its path, its template and the template's own values."""


def page_jobs(site: Site, view: SiteIndex) -> list[Job]:
    """Every page of the site, in a fixed order; a clash of paths is a bug."""
    jobs: list[Job] = [
        (HOME, "home.html.j2", {}),
        (TOPICS_INDEX, "topics_index.html.j2", {}),
        (DIGESTS_INDEX, "digests_index.html.j2", {}),
        (SAVED, "saved.html.j2", {}),
    ]
    letters = by_letter(site.papers)
    split = len(site.papers) > AZ_SINGLE_PAGE_LIMIT
    jobs.append((PAPERS_INDEX, "papers_index.html.j2", {"letters": letters, "split": split}))
    for letter, group in letters if split else ():
        jobs += paged_jobs(letter_uri(letter), "papers_letter.html.j2", group, AZ_LETTER_PAGE_SIZE,
                           "group", {"letter": letter})
    listings = [(t, view.topic_papers.get(t.slug, ())) for t in site.topics]
    listings.append((None, view.unsorted))
    for topic, keys in listings:
        jobs += paged_jobs(topic_uri(topic.slug if topic else UNSORTED),
                           "topic.html.j2" if topic else "unsorted.html.j2", keys, LIST_PAGE_SIZE, "keys",
                           {"topic": topic})
    for number, digest in enumerate(site.digests):
        newer = site.digests[number - 1] if number else None
        older = site.digests[number + 1] if number + 1 < len(site.digests) else None
        jobs.append((digest_uri(digest), "digest.html.j2", {"digest": digest, "newer": newer, "older": older}))
    neighbours = paper_neighbours(view)
    jobs += [(paper_uri(paper), "paper.html.j2", {"paper": paper, "order": neighbours.get(paper.key)})
             for paper in site.papers]
    seen: set[str] = set()
    if clash := {uri for uri, _, _ in jobs if uri in seen or seen.add(uri)}:
        raise ValueError(f"generated pages clash: {sorted(clash)}")
    return jobs


def paged_jobs(first: str, template: str, items: Sequence, size: int, name: str, values: dict) -> list[Job]:
    """A listing over numbered pages: ``first``, then ``first``'s folder /2, /3...; each page's
    template gets its part of ``items`` as ``name``, the total, the pager and its number."""
    parts = chunks(items, size)
    uris = paged_uris(first, len(parts))
    pager = list(enumerate(uris, start=1))
    return [(uri, template, {**values, name: part, "total": len(items), "pager": pager, "page_number": number})
            for number, (uri, part) in enumerate(zip(uris, parts), start=1)]


def paper_neighbours(view: SiteIndex) -> dict[str, tuple[Digest, Paper | None, Paper | None]]:
    """Paper key -> (its newest digest, the paper before it, the paper after it), in the
    order that digest's page lists them."""
    neighbours: dict[str, tuple[Digest, Paper | None, Paper | None]] = {}
    for digest in view.site.digests:
        order = view.reading_order(digest)
        for n, key in enumerate(order):
            if key not in neighbours and view.digests_of[key][0] is digest:
                before = view.papers[order[n - 1]] if n else None
                after = view.papers[order[n + 1]] if n + 1 < len(order) else None
                neighbours[key] = (digest, before, after)
    return neighbours
