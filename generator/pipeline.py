"""The edge where files are read: gathers every input, runs the pure stages, and
returns the whole ``Site`` before anything is rendered.

Both the MkDocs plugin and the CLI call ``gather_site``, so a preview, a CI
build, an export and ``check`` always agree.
"""

from __future__ import annotations

import datetime as dt
import time
from contextlib import contextmanager
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .enrich.classify import classify
from .enrich.curate import apply_curation, parse_curation, resolve_curation
from .ingest.digests import Manifest, ManifestEntry, build_digests, date_dumps, parse_manifest
from .ingest.limits import DEFAULT_LIMITS, Limits, oversized_dump, screen_dump
from .runtime.memory import collector_paused
from .ingest.merge import merge_entries
from .models import Diagnostic, DumpInfo, InputError, ParsedDump, Site
from .runtime.memo import Memo, fingerprint
from .runtime.parallel import available_cores, in_background, in_shares
from .ingest.parse import decode, parse_dump
from .enrich.related import related_papers
from .config.topics import Taxonomy, parse_taxonomy
from .site.urls import UNSORTED

DUMP_SUFFIXES = (".txt", ".md")
MANIFEST_NAME = "manifest.yml"


@dataclass(frozen=True)
class Sources:
    """Where the inputs are. Paths in messages are relative to ``root``."""

    root: Path
    dumps: str = "dumps"
    topics: str = "topics.yml"
    curation: str = "curation.yml"
    limits: Limits = DEFAULT_LIMITS

    def path(self, relative: str) -> Path:
        return self.root / relative

    def dump_files(self) -> list[Path]:
        """Every dump, by file name; the manifest and READMEs are not dumps.

        Raises:
            InputError: the folder is missing, or holds a symbolic link or a
                folder. Only regular files are read: a link could point out of
                the repository (at a ``.env``, say) and have its lines quoted
                in the build log. Names starting with ``.`` are left alone.
        """
        folder = self.path(self.dumps)
        if folder.is_symlink() or not folder.is_dir():
            raise InputError(Diagnostic("error", "the dumps folder does not exist (or is a link)", self.dumps))
        dumps = []
        for path in sorted(folder.iterdir()):
            if path.name.startswith("."):
                continue
            name = f"{self.dumps}/{path.name}"
            if path.is_symlink():
                raise InputError(Diagnostic(
                    "error", "is a symbolic link; only regular files in the dumps folder are read "
                    "(copy the file in instead)", name))
            if not path.is_file():
                raise InputError(Diagnostic(
                    "error", "is not a regular file; the dumps folder holds only dump files and the manifest", name))
            if path.suffix.lower() in DUMP_SUFFIXES and not path.name.upper().startswith("README"):
                dumps.append(path)
        return dumps

    def watched(self) -> list[Path]:
        """What ``mkdocs serve`` should watch to rebuild when the curator edits."""
        return [self.path(self.dumps), self.path(self.topics), self.path(self.curation)]


@dataclass(frozen=True)
class Gathered:
    """The site plus what ``check`` reports about how it was made."""

    site: Site
    dumps: tuple[DumpInfo, ...]
    hidden: tuple[str, ...] = ()
    """Titles the curator hid."""
    entry_count: int = 0
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.level == "error")


def relative_name(sources: Sources, path: Path) -> str:
    """A path as messages show it: relative to the project when it is inside."""
    try:
        return path.relative_to(sources.root).as_posix()
    except ValueError:
        return path.as_posix()


def read_dump(sources: Sources, path: Path, memo: Memo | None = None) -> ParsedDump:
    """One dump, parsed within ``sources.limits``; an oversized one is not even read."""
    name = relative_name(sources, path)
    if too_large := oversized_dump(name, path.stat().st_size, sources.limits):
        return ParsedDump(file=name, layout="too large", entries=(), diagnostics=(too_large,))
    with path.open("rb") as file:
        data = file.read(sources.limits.dump_bytes + 1)  # never more, even if the file grew meanwhile
    if too_large := oversized_dump(name, len(data), sources.limits):
        return ParsedDump(file=name, layout="too large", entries=(), diagnostics=(too_large,))
    if memo is None:
        return _parse_bytes(name, data, sources.limits)
    key = (name, fingerprint(data), sources.limits)
    return memo.get("parse", key, lambda: _parse_bytes(name, data, sources.limits))


def _parse_bytes(name: str, data: bytes, limits: Limits) -> ParsedDump:
    text, problems = decode(name, data)
    if text is None:
        return ParsedDump(file=name, layout="unreadable", entries=(), diagnostics=problems)
    parsed = parse_dump(name, text)
    parsed = replace(parsed, diagnostics=tuple(problems) + tuple(parsed.diagnostics))
    return screen_dump(parsed, limits)


def _read_text(sources: Sources, relative: str, required: bool) -> str | None:
    path = sources.path(relative)
    if path.is_symlink() and relative.startswith(f"{sources.dumps}/"):
        raise InputError(Diagnostic("error", "is a symbolic link; only regular files in the dumps folder are read",
                                    relative))
    if not path.exists():
        if required:
            raise InputError(Diagnostic("error", "file not found", relative))
        return None
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(Diagnostic("error", "not UTF-8 text", relative)) from None


def load_taxonomy(sources: Sources, text: str | None = None) -> Taxonomy:
    if text is None:
        text = _read_text(sources, sources.topics, required=True) or ""
    taxonomy = parse_taxonomy(sources.topics, text)
    for rules in taxonomy.rules:
        if rules.topic.slug in (UNSORTED, "index"):
            raise InputError(Diagnostic(
                "error", f"the topic slug '{rules.topic.slug}' is reserved (the site has a page of that name)",
                sources.topics, rules.line))
    return taxonomy


def _classify_on_cores(texts: Texts, taxonomy: Taxonomy) -> dict:
    """``classify``, its papers shared out to forked workers where there are enough of them; same result."""
    shares = available_cores() if len(texts) >= PARALLEL_MIN_PAPERS else 1
    found: dict = {}
    for share in in_shares(lambda part: classify(part, taxonomy), texts, shares):
        found.update(share)
    return {key: found[key] for key, _, _ in texts}


PARALLEL_MIN_PAPERS = 2000
"""Below this, classifying in a forked worker, or related papers on several cores, costs more than it saves."""


@contextmanager
def _stage(timings: dict[str, float] | None, name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    if timings is not None:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - start


def gather_site(
    sources: Sources,
    dump_paths: Sequence[Path] | None = None,
    today: dt.date | None = None,
    timings: dict[str, float] | None = None,
    planned: Mapping[str, ManifestEntry] | None = None,
    memo: Memo | None = None,
) -> Gathered:
    """Read everything, then run parse -> merge -> digests -> classify -> curate.

    Problems in dumps are collected as diagnostics so that every one of them is
    reported at once; problems in the curator's config files raise ``InputError``.
    ``timings``, if given, receives seconds per stage (for the benchmark).
    ``planned`` adds manifest entries by file name: ``check`` of a file not yet
    in ``dumps/`` gives it the entry ``add`` would write.
    ``memo``, if given, holds results of earlier builds to reuse where their
    inputs are unchanged (``runtime.memo``); the result is the same without it.
    """
    with collector_paused():
        return _gather(sources, dump_paths, today, timings, planned or {}, memo)


def _gather(
    sources: Sources,
    dump_paths: Sequence[Path] | None,
    today: dt.date | None,
    timings: dict[str, float] | None,
    planned: Mapping[str, ManifestEntry],
    memo: Memo | None,
) -> Gathered:
    paths = sources.dump_files() if dump_paths is None else list(dump_paths)
    with _stage(timings, "parse"):
        parsed = [read_dump(sources, p, memo) for p in paths]
    diagnostics = [d for p in parsed for d in p.diagnostics]

    manifest_name = f"{sources.dumps}/{MANIFEST_NAME}"
    manifest_text = _read_text(sources, manifest_name, required=False)
    manifest = parse_manifest(manifest_name, manifest_text) if manifest_text is not None else Manifest(manifest_name)
    if planned:
        manifest = replace(manifest, dumps={**manifest.dumps, **planned})
    year = (today or dt.date.today()).year
    infos, dating_problems = date_dumps(parsed, manifest, fallback_year=year)
    diagnostics += dating_problems

    entries = [e for p in parsed for e in p.entries]
    with _stage(timings, "merge"):
        papers, merge_problems = merge_entries(entries)
    diagnostics += merge_problems

    topics_text = _read_text(sources, sources.topics, required=True) or ""
    # Parsing the taxonomy compiles every rule: in serve, once per edit of the file.
    taxonomy = load_taxonomy(sources, topics_text) if memo is None else memo.get(
        "taxonomy", fingerprint(sources.topics, topics_text), lambda: load_taxonomy(sources, topics_text))
    curation_text = _read_text(sources, sources.curation, required=False)
    topic_slugs = [t.slug for t in taxonomy.topics]
    curation_file = parse_curation(sources.curation, curation_text or "", topic_slugs)
    curation, curation_problems = resolve_curation(curation_file, [(p.key, p.slug, p.title) for p in papers])
    diagnostics += curation_problems

    hidden = tuple(p.title for p in papers if curation.get(p.key) and curation[p.key].hidden)
    published = tuple(p for p in papers if not (curation.get(p.key) and curation[p.key].hidden))
    texts = [(p.key, p.title, p.abstract) for p in published]
    with _stage(timings, "classify + related"):
        classified, related = _classify_and_relate(texts, taxonomy, topics_text, memo)
    assignments = apply_curation(classified, curation)
    site = Site(
        papers=published,
        digests=build_digests(infos, published),
        topics=tuple(taxonomy.topics),
        assignments=assignments,
        curation={k: v for k, v in curation.items() if not v.hidden},
        related=related,
    )
    return Gathered(
        site=site, dumps=infos, hidden=hidden, entry_count=len(entries), diagnostics=tuple(diagnostics)
    )


Texts = Sequence[tuple[str, str, str]]


def _classify_and_relate(texts: Texts, taxonomy: Taxonomy, topics_text: str, memo: Memo | None
                         ) -> tuple[dict, dict]:
    """Topics and related papers, reusing what ``memo`` holds for unchanged inputs.

    A paper's topics depend on its own text and the taxonomy only, so each is
    stored under those. Related papers depend on every text (term weights are
    corpus-wide), so they are reused only when no text changed at all.
    """
    if memo is None:
        return _compute(texts, taxonomy, related_needed=True)
    rules = fingerprint(topics_text)
    known: dict[str, object] = {}
    todo = []
    for key, title, abstract in texts:
        found, value = memo.lookup("classify", (rules, fingerprint(key, title, abstract)))
        if found:
            known[key] = value
        else:
            todo.append((key, title, abstract))
    corpus = fingerprint(*(part for text in texts for part in text))
    has_related, related = memo.lookup("related", corpus)
    classified, computed = _compute(todo, taxonomy, related_needed=not has_related, all_texts=texts)
    for key, title, abstract in todo:
        memo.put("classify", (rules, fingerprint(key, title, abstract)), classified[key])
    if not has_related:
        memo.put("related", corpus, computed)
        related = computed
    known.update(classified)
    return {key: known[key] for key, _, _ in texts}, related  # type: ignore[return-value]


def _compute(texts: Texts, taxonomy: Taxonomy, related_needed: bool, all_texts: Texts | None = None
             ) -> tuple[dict, dict]:
    """Classify ``texts`` and, if needed, relate ``all_texts`` (default: the same), side by side."""
    corpus = texts if all_texts is None else all_texts
    parallel = len(corpus) >= PARALLEL_MIN_PAPERS and len(texts) >= PARALLEL_MIN_PAPERS // 4
    if not related_needed:  # (a rebuild after a rule changed): topics alone, on every core
        return _classify_on_cores(texts, taxonomy), {}
    workers = available_cores() if len(corpus) >= PARALLEL_MIN_PAPERS else 1
    # Neither needs the other: topics on the second core while related papers use this one.
    with in_background(classify, texts, taxonomy, fork=parallel) as classified:
        related = related_papers(corpus, workers=workers)
    return classified.result(), related
