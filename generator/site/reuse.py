"""Which pages a rebuild can take from the previous one, unchanged.

A page is a function of three things, and each is fingerprinted:

* the *structure* of the site: the generator and templates, the settings, the
  topics, the digests, and every paper's key, slug and title. When it changes
  (a new dump, a new topic, a template edit) every page is rendered again;
* the page's own *job*: its template and context (which paper, which keys, which
  page of a listing), compared as values;
* the papers it *mentions*: every paper a page shows links to it through the
  ``paper_link`` filter, so the renderer records those, and a page is reused
  only while each of them is as it was (its text, topics, note, related papers).

Listing pages also show counts and trends over all papers' topics, so they
carry the fingerprint of every assignment; the three index pages show
everything and are always rendered. A reused page is byte-identical to a
rendered one by construction, and the tests compare incremental builds with
clean ones after every kind of change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..models import Site
from ..runtime.memo import fingerprint
from .urls import DIGESTS_INDEX, HOME, TOPICS_INDEX

ALWAYS_RENDERED = frozenset({HOME, TOPICS_INDEX, DIGESTS_INDEX})
PAPER_TEMPLATE = "paper.html.j2"


PaperState = tuple
"""All a page can show about one paper: (Paper, its assignments, its curation, its related papers)."""


@dataclass(frozen=True)
class PageRecord:
    """What a rendered page was made from, and what it linked to.

    Inputs are kept as the values themselves and compared with ``==``: no
    fingerprint of them can collide, and comparing is cheaper than hashing.
    """

    inputs: tuple[object, ...]
    """Structure key, assignments key (listings only), template and the page's context."""
    mentions: tuple[tuple[str, PaperState], ...]
    """(paper key, its state) for every paper the page linked to or is about."""
    document: str
    targets: frozenset[str]
    """Pages and files the page links to, for the link check."""


def structure_key(site: Site, settings: str) -> str:
    """Everything every page may depend on (see the module docstring)."""
    papers = "\n".join(f"{p.key}\t{p.slug}\t{p.title}" for p in site.papers)
    return fingerprint(settings, repr(site.topics), repr(site.digests), papers)


def aggregate_key(site: Site) -> str:
    """Every paper's topics and the featured ones: what counts and trends are made of."""
    assigned = "\n".join(f"{k}\t{' '.join(a.topic for a in v)}" for k, v in sorted(site.assignments.items()))
    featured = " ".join(sorted(k for k, c in site.curation.items() if c.featured))
    return fingerprint(assigned, featured)


def paper_states(site: Site) -> dict[str, PaperState]:
    """Paper key -> all a page can show about it."""
    return {p.key: (p, site.assignments.get(p.key), site.curation.get(p.key), site.related.get(p.key))
            for p in site.papers}


def job_inputs(structure: str, aggregate: str, template: str, context: Mapping[str, object]) -> tuple[object, ...]:
    return (structure, aggregate if template != PAPER_TEMPLATE else "", template, context)


def reusable(record: PageRecord | None, inputs: tuple[object, ...], papers: Mapping[str, PaperState]) -> bool:
    """Whether ``record`` is still the page for these inputs and papers."""
    return (
        record is not None
        and record.inputs == inputs
        and all(papers.get(key) == seen for key, seen in record.mentions)
    )


def record(inputs: tuple[object, ...], mentions: Sequence[str], papers: Mapping[str, PaperState], document: str,
           targets: frozenset[str]) -> PageRecord:
    return PageRecord(inputs, tuple((key, papers.get(key)) for key in sorted(mentions)), document, targets)
