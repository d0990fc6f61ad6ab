"""Digests: which dumps make one issue of the digest, and when it appeared.

Most dumps say ``Mar 12`` without a year, or nothing at all, so the curator
states each dump's date (and optionally a title) in ``dumps/manifest.yml``; a
dump whose own date line has a year (``Sep 29, 2023``) needs no entry there.
Dates are read by ``dates.py``, the one date parser.
Dumps of the same date form one digest, in file-name order; an undated dump is
an undated collection, listed after the dated digests and never dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..models import Diagnostic, Digest, DumpInfo, Paper, ParsedDump
from ..config.yamlnodes import ConfigNode, parse_yaml_config
from .dates import parse_date
from .limits import is_unwanted
from .normalize import collection_slug


@dataclass(frozen=True)
class ManifestEntry:
    """What the curator says about one dump file."""

    date: dt.date | None
    title: str | None
    line: int


@dataclass(frozen=True)
class Manifest:
    """The parsed ``dumps/manifest.yml``."""

    file: str
    year: int | None = None
    dumps: dict[str, ManifestEntry] = field(default_factory=dict)


def parse_manifest(file: str, text: str) -> Manifest:
    """Validate the manifest; an error names the file and line.

    Raises:
        InputError: malformed YAML, unknown keys, or values of the wrong type.
    """
    root = parse_yaml_config(file, text, allowed={"year", "dumps"})
    year = root.get("year")
    dumps: dict[str, ManifestEntry] = {}
    if (listing := root.get("dumps")) is not None:
        for name, node in listing.mapping_items():
            entry = node.as_mapping(allowed={"date", "title"})
            date = entry.get("date")
            title = entry.get("title")
            dumps[name] = ManifestEntry(
                date=date.as_date() if date else None,
                title=_plain_title(title) if title else None,
                line=node.line,
            )
    return Manifest(file=file, year=year.as_int() if year else None, dumps=dumps)


def _plain_title(node: ConfigNode) -> str:
    title = node.as_str()
    if any(is_unwanted(c) for c in title):
        raise node.error("the title holds control or bidi characters (invisible, or reordering the text); remove them")
    return title


def date_dumps(
    parsed: Sequence[ParsedDump], manifest: Manifest, fallback_year: int
) -> tuple[tuple[DumpInfo, ...], tuple[Diagnostic, ...]]:
    """Give every dump its date and title, warning wherever one had to be guessed.

    A dump's date comes from the manifest; failing that, from its own date line:
    ``Sep 29, 2023`` as it is, ``Mar 12`` with the manifest's ``year``, else the
    year of the newest date the manifest gives, else ``fallback_year`` (the
    caller's current year).
    """
    warnings: list[Diagnostic] = []
    names = {p.file.rsplit("/", 1)[-1] for p in parsed}
    for name, entry in sorted(manifest.dumps.items()):
        if name not in names:
            warnings.append(Diagnostic("warning", f"lists '{name}', which is not in dumps/", manifest.file, entry.line))
    known_years = [e.date.year for e in manifest.dumps.values() if e.date]
    year = manifest.year or (max(known_years) if known_years else fallback_year)

    infos: list[DumpInfo] = []
    for dump in sorted(parsed, key=lambda p: p.file):
        entry = manifest.dumps.get(dump.file.rsplit("/", 1)[-1])
        own = parse_date(dump.date_text) if dump.date_text else None
        date = entry.date if entry else None
        if date and own and (own.month, own.day, own.year or date.year) != (date.month, date.day, date.year):
            warnings.append(Diagnostic(
                "warning", f"says '{dump.date_text}' but {manifest.file} dates it {date.isoformat()}; "
                "using the manifest", dump.file, dump.date_line))
        if date is None and own:
            date = own.on(year)
            if date is None:
                warnings.append(Diagnostic("warning", f"'{dump.date_text}' is not a date", dump.file, dump.date_line))
            elif own.year is None:
                warnings.append(Diagnostic(
                    "warning", f"'{dump.date_text}' has no year: assumed {date.isoformat()}; "
                    f"set its date in {manifest.file}", dump.file, dump.date_line))
        title = entry.title if entry else None
        if date is None and title is None and dump.entries:
            warnings.append(Diagnostic(
                "warning", f"has no date: listed as an undated collection; give it a date or a title in "
                f"{manifest.file}", dump.file))
        infos.append(DumpInfo(parsed=dump, date=date, title=title))
    return tuple(infos), tuple(warnings)


def _collection_title(info: DumpInfo) -> str:
    return info.title or info.parsed.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def dated_title(date: dt.date) -> str:
    """``12 March 2025``: unambiguous in every locale."""
    return f"{date.day} {date:%B %Y}"


def build_digests(infos: Sequence[DumpInfo], papers: Sequence[Paper]) -> tuple[Digest, ...]:
    """One digest per date (dumps in file order) and one per undated title.

    Ordered newest first; undated collections follow, by title.
    """
    paper_of = {(e.file, e.line): p.key for p in papers for e in p.entries}
    groups: dict[tuple[int, str], list[DumpInfo]] = {}
    for info in sorted(infos, key=lambda i: i.parsed.file):
        if not info.parsed.entries:
            continue
        # Undated collections whose titles slugify alike are one collection, as papers are.
        group = (0, info.date.isoformat()) if info.date else (1, collection_slug(_collection_title(info)))
        groups.setdefault(group, []).append(info)

    digests = []
    for (undated, label), members in groups.items():
        keys: dict[str, None] = {}
        for info in members:
            for entry in info.parsed.entries:
                if (key := paper_of.get((entry.file, entry.line))) is not None:
                    keys.setdefault(key)
        title = next((m.title for m in members if m.title), None)
        date = members[0].date
        digests.append(Digest(
            id=label,
            title=title or (_collection_title(members[0]) if undated else dated_title(date)),
            date=date,
            files=tuple(m.parsed.file for m in members),
            paper_keys=tuple(keys),
        ))
    dated = sorted((d for d in digests if d.date), key=lambda d: d.date, reverse=True)
    undated = sorted((d for d in digests if not d.date), key=lambda d: d.title)
    return tuple(dated + undated)
