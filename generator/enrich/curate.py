"""Curator overrides from ``curation.yml``: the curator's word beats the rules.

The file is one mapping. Each key names a paper, by its slug (the last part of
its address, ``papers/<slug>/``) or by its exact title; each value says what to
change::

    "Dataset Quantization":
      add: [data]                # topics the rules missed
      remove: [quantization]     # topics the rules got wrong
      featured: true             # shown first on the home page and its digest
      note: |                    # Markdown, shown on the paper's page
        Why this paper matters.
      hidden: true               # kept out of the site (counted in the build log)

Parsing checks the file against the taxonomy's slugs; resolving matches the
keys against the papers that exist and warns, with file and line, about keys
that name no paper (a typo, or a paper whose dump was removed).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from ..models import Assignment, Curation, Diagnostic, Match
from ..ingest.normalize import collapse_whitespace
from ..config.yamlnodes import ConfigNode, parse_yaml_config

ENTRY_KEYS = ("add", "remove", "featured", "note", "hidden")
CURATOR_MATCH = Match("curator", "curator")
CURATOR_SCORE = 100.0
"""Score of a topic the curator added: above any rule's, so it is listed first."""


@dataclass(frozen=True)
class CurationEntry:
    """One key of the curation file and what it asks for."""

    key: str
    """Slug or exact title, as the curator wrote it."""
    line: int
    curation: Curation


@dataclass(frozen=True)
class CurationFile:
    """The parsed curation file, entries in file order."""

    file: str
    entries: tuple[CurationEntry, ...] = ()


class _AnyKey:
    """Top-level keys are paper names, so any text is allowed there."""

    def __contains__(self, item: object) -> bool:
        return isinstance(item, str)

    def __iter__(self):
        return iter(())


def _topic_list(node: ConfigNode | None, topic_slugs: Collection[str]) -> tuple[str, ...]:
    if node is None:
        return ()
    slugs: list[str] = []
    for item in node.as_list():
        slug = item.as_str().strip()
        if slug not in topic_slugs:
            raise item.error(f"unknown topic '{slug}'; topics are: {', '.join(topic_slugs)}")
        if slug not in slugs:
            slugs.append(slug)
    return tuple(slugs)


def _parse_entry(key: str, line: int, node: ConfigNode, topic_slugs: Collection[str]) -> CurationEntry:
    node.as_mapping(allowed=ENTRY_KEYS)
    add = _topic_list(node.get("add"), topic_slugs)
    remove = _topic_list(node.get("remove"), topic_slugs)
    if both := set(add) & set(remove):
        raise node.get("remove").error(f"'{sorted(both)[0]}' is both added and removed")  # type: ignore[union-attr]
    featured, note, hidden = node.get("featured"), node.get("note"), node.get("hidden")
    curation = Curation(
        add_topics=add,
        remove_topics=remove,
        featured=featured.as_bool() if featured else False,
        note=note.as_str().strip() if note else None,
        hidden=hidden.as_bool() if hidden else False,
    )
    return CurationEntry(key=key, line=line, curation=curation)


def parse_curation(file: str, text: str, topic_slugs: Collection[str]) -> CurationFile:
    """Read and check the curation file; an empty file or ``{}`` means no overrides.

    Raises:
        InputError: invalid YAML, an unknown key, a topic slug the taxonomy does
            not have, or a value of the wrong type; with ``file`` and line.
    """
    root = parse_yaml_config(file, text, allowed=_AnyKey())
    # An entry's line is its key's: where the curator wrote the paper's name.
    entries = tuple(
        _parse_entry(key.strip(), line, node, topic_slugs) for key, line, node in root.mapping_entries()
    )
    return CurationFile(file=file, entries=entries)


def resolve_curation(
    cur: CurationFile, papers: Iterable[tuple[str, str, str]]
) -> tuple[dict[str, Curation], tuple[Diagnostic, ...]]:
    """Paper key -> its curation, for (key, slug, title) triples; warnings for keys matching no paper.

    A key matches a paper whose slug it is, or whose title it is exactly (runs
    of whitespace count as one space). When two entries name the same paper,
    the first wins and the second is reported.
    """
    by_name: dict[str, str] = {}
    for key, slug, title in papers:
        by_name.setdefault(slug, key)
        by_name.setdefault(collapse_whitespace(title), key)
    resolved: dict[str, Curation] = {}
    first_line: dict[str, int] = {}
    problems: list[Diagnostic] = []
    for entry in cur.entries:
        paper = by_name.get(entry.key) or by_name.get(collapse_whitespace(entry.key))
        if paper is None:
            problems.append(Diagnostic(
                "warning", f"curation for '{entry.key}' matches no paper's slug or exact title", cur.file, entry.line
            ))
        elif paper in resolved:
            problems.append(Diagnostic(
                "warning",
                f"'{entry.key}' names the same paper as the entry on line {first_line[paper]}; it is ignored",
                cur.file, entry.line,
            ))
        else:
            resolved[paper] = entry.curation
            first_line[paper] = entry.line
    return resolved, tuple(problems)


def apply_curation(
    assignments: dict[str, tuple[Assignment, ...]], curation: dict[str, Curation]
) -> dict[str, tuple[Assignment, ...]]:
    """The assignments with the curator's removals and additions made.

    An added topic carries the reason ``Match("curator", "curator")`` and
    ``CURATOR_SCORE``, so it comes first; if the rules had found it too, their
    reasons are kept after the curator's. Papers not in ``assignments`` are
    left out.
    """
    result: dict[str, tuple[Assignment, ...]] = {}
    for key, found in assignments.items():
        cur = curation.get(key)
        if cur is None or not (cur.add_topics or cur.remove_topics):
            result[key] = found
            continue
        by_rules = {a.topic: a for a in found}
        added = [
            Assignment(topic, CURATOR_SCORE, (CURATOR_MATCH,) + (by_rules[topic].reasons if topic in by_rules else ()))
            for topic in cur.add_topics
        ]
        kept = [a for a in found if a.topic not in cur.remove_topics and a.topic not in cur.add_topics]
        result[key] = tuple(added + kept)
    return result
