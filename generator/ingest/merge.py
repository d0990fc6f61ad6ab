"""Merge: every entry of every dump becomes part of exactly one paper.

Entries are grouped by arXiv id first and by title identity second, so a paper
first seen without an id gains it later without changing its URL. Grouping is
a union of equivalence classes, so the result does not depend on the order the
dumps are read in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from ..models import Diagnostic, Entry, InputError, Paper
from .normalize import collapse_whitespace, entry_key, paper_slug, title_key


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller root wins so that the grouping is order-independent.
            self.parent[max(ra, rb)] = min(ra, rb)


def _place(entry: Entry) -> str:
    return f"{entry.file}:{entry.line}"


def _sighting_order(entry: Entry) -> tuple[str, int]:
    return (entry.file, entry.line)


def _node(entry: Entry) -> str:
    """The entry's identity as a union-find node: its title key, or for a title
    without letters or digits (which says nothing about which paper it is) its
    arXiv id, else its symbols (see ``normalize.untitled_key``)."""
    if key := title_key(entry.title):
        return "t:" + key
    return "a:" + entry.arxiv_id if entry.arxiv_id else "u:" + entry_key(entry.title, None)


def merge_entries(entries: Iterable[Entry]) -> tuple[tuple[Paper, ...], tuple[Diagnostic, ...]]:
    """Group entries into papers, sorted by slug, with warnings about conflicts.

    Raises:
        InputError: two different papers would get the same slug (never expected;
            refusing is better than one page overwriting another).
    """
    entries = sorted(entries, key=_sighting_order)
    groups = _UnionFind()
    for entry in entries:
        node = _node(entry)
        groups.find(node)
        if entry.arxiv_id:
            groups.union(node, "a:" + entry.arxiv_id)
    members: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        members[groups.find(_node(entry))].append(entry)

    papers: list[Paper] = []
    diagnostics: list[Diagnostic] = []
    for group in members.values():
        paper, warnings = _merge_group(group)
        papers.append(paper)
        diagnostics.extend(warnings)
    papers.sort(key=lambda p: p.slug)
    for before, after in zip(papers, papers[1:]):
        if before.slug == after.slug:
            raise InputError(
                Diagnostic(
                    "error",
                    f"two papers would share the URL papers/{after.slug}/: "
                    f"{_place(before.entries[0])} and {_place(after.entries[0])}",
                    after.entries[0].file,
                    after.entries[0].line,
                )
            )
    return tuple(papers), tuple(diagnostics)


def _merge_group(group: list[Entry]) -> tuple[Paper, list[Diagnostic]]:
    warnings: list[Diagnostic] = []
    # ``group`` is in sighting order (file name, then line). The identity, and so
    # the URL, is the title the paper was first seen under: dumps named to sort
    # by arrival (000_, 001_, ...) only ever add later sightings, so an arXiv id
    # that joins a renamed title later cannot move the page.
    key = entry_key(group[0].title, group[0].arxiv_id)
    if len(group) == 1:  # most papers are seen once: nothing to choose or compare
        return _paper(key, group, group[0].title, group[0].abstract), warnings
    # The most common spelling of that title is shown; ``min`` keeps the first of equals.
    same_title = [e for e in group if entry_key(e.title, e.arxiv_id) == key]
    spellings = Counter(e.title for e in same_title)
    title = min(same_title, key=lambda e: -spellings[e.title]).title
    # Each abstract is collapsed once (they are the long strings here); the
    # longest wins, ``min`` keeping the first of equals.
    collapsed = [collapse_whitespace(e.abstract) for e in group]
    longest = min(range(len(group)), key=lambda i: -len(collapsed[i]))
    abstract_entry = group[longest]
    for other, text in zip(group, collapsed):
        if text != collapsed[longest]:
            warnings.append(
                Diagnostic(
                    "warning",
                    f"'{title}' appears with a different abstract at {_place(other)}; "
                    f"kept the longer one from {_place(abstract_entry)}",
                    other.file,
                    other.line,
                )
            )
    ids = sorted({e.arxiv_id for e in group if e.arxiv_id})
    if len(ids) > 1:
        first = group[0]
        warnings.append(
            Diagnostic(
                "warning",
                f"'{title}' carries several arXiv ids ({', '.join(ids)}); kept {ids[0]}",
                first.file,
                first.line,
            )
        )
    return _paper(key, group, title, abstract_entry.abstract), warnings


def _paper(key: str, group: list[Entry], title: str, abstract: str) -> Paper:
    ids = sorted({e.arxiv_id for e in group if e.arxiv_id})
    return Paper(
        key=key,
        slug=paper_slug(key),
        title=title,
        abstract=abstract,
        entries=tuple(group),
        arxiv_id=ids[0] if ids else None,
        upvotes=max((e.upvotes for e in group if e.upvotes is not None), default=None),
        published=next((e.published for e in group if e.published), None),
        author_count=next((e.author_count for e in group if e.author_count is not None), None),
    )

