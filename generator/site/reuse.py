"""Which pages a rebuild can take from the previous one, unchanged.

A page is a function of four things, and each is compared with the last build:

* the *frame* every page shares: the generator and templates, the settings and
  the topics (their names are on every page that links to one);
* the page's own *job*: its template and context (which paper, which keys, which
  page of a listing), compared as values;
* the *site-wide figures* its template prints (``site_wide``): a paper's
  related papers, a topic page's row of the trends, a digest's sections and
  count of new papers, the newest digest that decides which papers are marked
  new;
* the papers it *mentions*: every paper a page shows links to it through the
  ``paper_link`` filter, so the renderer records those, and a page is reused
  only while each of them is as it was (its text, topics, note and the digests
  it appeared in).

So a new dump re-renders its own papers, the listings and digests they join,
and the pages of papers whose related papers or marks it changes; not the
thousands of paper pages it leaves as they were. ``site_wide`` knows what the
built-in templates read. A curator's own templates may read anything, so with
any of them the frame holds the whole site and a change re-renders every page.
The three index pages show everything and are always rendered. A reused page
is byte-identical to a rendered one by construction, and the tests compare
incremental builds with clean ones after every kind of change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..models import Site
from ..runtime.memo import fingerprint
from .charts import Trends
from .index import SiteIndex
from .urls import DIGESTS_INDEX, HOME, TOPICS_INDEX

ALWAYS_RENDERED = frozenset({HOME, TOPICS_INDEX, DIGESTS_INDEX})


PaperState = tuple
"""All a page can show about a paper it links to: (Paper, assignments, curation, digests it is in).

Its related papers are only on its own page (``site_wide``)."""


@dataclass(frozen=True)
class PageRecord:
    """What a rendered page was made from, and what it linked to.

    Inputs are kept as the values themselves and compared with ``==``: no
    fingerprint of them can collide, and comparing is cheaper than hashing.
    """

    inputs: tuple[object, ...]
    """Frame key, template, the page's context and the site-wide figures it shows."""
    mentions: tuple[tuple[str, PaperState], ...]
    """(paper key, its state) for every paper the page linked to or is about."""
    document: str
    targets: frozenset[str]
    """Pages and files the page links to, for the link check."""


def frame_key(site: Site, settings: str, own_templates: bool) -> str:
    """What every page may depend on (see the module docstring)."""
    if own_templates:
        return fingerprint(settings, repr(site.topics), repr(site.digests), titles_key(site), aggregate_key(site))
    return fingerprint(settings, repr(site.topics))


def titles_key(site: Site) -> str:
    """Every published paper's key, slug and title."""
    return fingerprint("\n".join(f"{p.key}\t{p.slug}\t{p.title}" for p in site.papers))


def aggregate_key(site: Site) -> str:
    """Every paper's topics and the featured ones: what counts and trends are made of."""
    assigned = "\n".join(f"{k}\t{' '.join(a.topic for a in v)}" for k, v in site.assignments.items())
    featured = " ".join(k for k, c in site.curation.items() if c.featured)
    return fingerprint(assigned, featured)


def paper_states(view: SiteIndex, previous: Mapping[str, PaperState] | None = None) -> dict[str, PaperState]:
    """Paper key -> all a page can show about it.

    A state equal to the one in ``previous`` (the last build's) is that very
    object, so ``reusable`` compares a page's many mentions by identity: one
    deep comparison per paper per build instead of one per link. Identity can
    only under-reuse, never over-reuse, as the states are immutable.
    """
    site, previous = view.site, previous or {}
    states = {}
    for p in site.papers:
        state = (p, site.assignments.get(p.key), site.curation.get(p.key), view.digests_of.get(p.key))
        last = previous.get(p.key)
        states[p.key] = last if last == state else state
    return states


def _shown_related(site: Site, key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The related papers as a page shows them: which ones and the shared terms, not the scores.

    Every new paper moves every term's weight a little, so scores change all
    over the archive while the lists they rank mostly stay the same.
    """
    return tuple((r.key, r.terms) for r in site.related.get(key, ()))


def site_wide(template: str, context: Mapping[str, object], view: SiteIndex, trends: Trends) -> tuple[object, ...]:
    """The figures about the whole site that the built-in ``template`` prints for this page.

    Kept in step with the templates by hand, and checked by the tests that
    compare incremental builds with clean ones.
    """
    # A listing outside a digest marks the papers first seen in the newest digest (``SiteIndex.mark``).
    newest = (view.newest, view.new_count.get(view.newest.id, 0)) if view.newest else None
    if template == "topic.html.j2":
        slug = context["topic"].slug  # type: ignore[attr-defined]
        return trends.columns, trends.unit, trends.totals, trends.counts_of(slug), newest
    if template == "unsorted.html.j2":
        return (newest,)
    if template == "digest.html.j2":
        digest = context["digest"]
        return (view.digest_sections(digest), view.new_count.get(digest.id, 0),  # type: ignore[attr-defined]
                view.newest.date if view.newest else None)
    if template == "paper.html.j2":
        return (_shown_related(view.site, context["paper"].key),)  # type: ignore[attr-defined]
    return ()


def job_inputs(frame: str, template: str, context: Mapping[str, object], shown: tuple[object, ...]
               ) -> tuple[object, ...]:
    return (frame, template, context, shown)


def reusable(record: PageRecord | None, inputs: tuple[object, ...], papers: Mapping[str, PaperState]) -> bool:
    """Whether ``record`` is still the page for these inputs and papers."""
    return (
        record is not None
        and record.inputs == inputs
        and all(papers.get(key) is seen for key, seen in record.mentions)
    )


def record(inputs: tuple[object, ...], mentions: Sequence[str], papers: Mapping[str, PaperState], document: str,
           targets: frozenset[str]) -> PageRecord:
    return PageRecord(inputs, tuple((key, papers.get(key)) for key in sorted(mentions)), document, targets)
