"""Command line: the same pipeline as the MkDocs plugin, for the curator and CI.

    python -m generator check [PATH ...]   what each dump holds and what is wrong with it
    python -m generator add FILE           copy a saved listing page into dumps/ with its manifest entry
    python -m generator export OUT/        write the site's Markdown tree to OUT/
    python -m generator verify SITE/       fail when a built site lacks papers
    python -m generator bench N            time and size a synthetic N-paper build
    python -m generator topics suggest     candidate topics for Unsorted papers, and possible misses
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

from .config.manifest_edit import DumpPlan, content_digest, plan_dump, text_digest, with_manifest_entry
from .enrich.quality import QualityGates, gate_failures, quality_report
from .mkdocs.gates import quality_gates, site_name
from .ingest.digests import ManifestEntry, parse_manifest
from .ingest.parse import decode
from .models import Diagnostic, InputError, printable
from .pipeline import DUMP_SUFFIXES, MANIFEST_NAME, Gathered, Sources, gather_site, read_dump, relative_name
from .site.render import Renderer
from .site.urls import PAPER_PAGES_GLOB

_NOT_LISTED = re.compile(r"^(\d+) more problems like these not listed$")
"""The parser's line for the problems past its listing cap (parse.MAX_DIAGNOSTICS per dump)."""


def _print_diagnostics(gathered: Gathered, files: set[str] | None = None) -> None:
    for d in gathered.diagnostics:
        if files is None or d.file in files:
            print(f"  {d.level}: {d}")


def problem_summary(diagnostics: tuple[Diagnostic, ...], more_errors: int = 0) -> str:
    """``2 error(s), 993 warning(s) (200 listed, 995 in all)``: every problem counts, listed or not."""
    unlisted = [int(m.group(1)) for d in diagnostics if d.line is None and (m := _NOT_LISTED.match(d.message))]
    listed = len(diagnostics) - len(unlisted) + more_errors
    errors = sum(1 for d in diagnostics if d.level == "error") + more_errors
    total = listed + sum(unlisted)
    summary = f"{errors} error(s), {total - errors} warning(s)"
    return f"{summary} ({listed} listed, {total} in all)" if unlisted else summary


def path_problem(sources: Sources, given: str) -> str | None:
    """Why ``given`` cannot be a dump, or None: a missing path, a folder, a file the build ignores."""
    path = Path(given)
    if not path.exists():
        return f"{given}: no such file"
    if path.is_dir():
        return f"{given}: a folder, not a dump file; name the files in it"
    if path.suffix.lower() not in DUMP_SUFFIXES:
        return f"{given}: not a dump: the build reads only {' and '.join(DUMP_SUFFIXES)} files, so it would ignore this one"
    if _in_dumps(sources, path) and path.name.upper().startswith("README"):
        return f"{given}: the build ignores README files in {sources.dumps}/"
    return None


def _in_dumps(sources: Sources, path: Path) -> bool:
    return path.resolve().parent == sources.path(sources.dumps).resolve()


def _same_content(sources: Sources, data: bytes) -> str | None:
    """The dump in dumps/ that already holds this content (byte for byte, or as text), if any."""
    digest = content_digest(data)
    text = decode("", data)[0]
    as_text = text_digest(text) if text else None
    for path in sources.dump_files():
        other = path.read_bytes()
        if content_digest(other) == digest or (as_text and (t := decode("", other)[0]) and text_digest(t) == as_text):
            return relative_name(sources, path)
    return None


def _plan(sources: Sources, path: Path, today: dt.date, date: dt.date | None = None,
          title: str | None = None) -> tuple[DumpPlan, str | None]:
    """What ``add`` would give this file, and the dump that already has its content."""
    parsed = read_dump(sources, path)
    first = parsed.entries[0].title if parsed.entries else None
    existing = [p.name for p in sources.dump_files()]
    plan = plan_dump(existing, path.name, path.suffix, first, parsed.date_text, today, date, title)
    return plan, _same_content(sources, path.read_bytes())


def cmd_check(sources: Sources, dumps: list[str], today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    problems = [p for d in dumps if (p := path_problem(sources, d))]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 1
    existing = sources.dump_files()
    chosen = {Path(d).resolve() for d in dumps}
    # A file not in dumps/ is checked as if it were added: with the manifest entry `add` would write.
    plans = {p: _plan(sources, p, today) for p in sorted(chosen) if not _in_dumps(sources, p)}
    planned = {p.name: ManifestEntry(plan.date, plan.title, line=0) for p, (plan, _) in plans.items()}
    gathered = gather_site(sources, [*existing, *plans], today=today, planned=planned)
    site = gathered.site
    seen_in: dict[tuple[str, int], str] = {(e.file, e.line): p.key for p in site.papers for e in p.entries}
    sightings = Counter(seen_in.values())

    duplicates = 0
    for info in gathered.dumps:
        dump = info.parsed
        path = sources.path(dump.file).resolve()
        if chosen and path not in chosen:
            continue
        keys = [seen_in.get((e.file, e.line)) for e in dump.entries]
        repeats = sum(1 for k in keys if k and sightings[k] > 1)
        when = info.date.isoformat() if info.date else "undated"
        title = f" \u2014 {info.title}" if info.title else ""
        print(printable(f"{dump.file}: {dump.layout}, {when}{title}, {len(dump.entries)} papers, "
                        f"{repeats} also in other dumps or repeated"))
        if path in plans:
            plan, same = plans[path]
            print(f"  not in {sources.dumps}/ yet: `python -m generator add` would copy it to "
                  f"{sources.dumps}/{plan.name}")
            for note in plan.notes:
                print(f"  note: {note}")
            if same:
                duplicates += 1
                print(f"  error: {dump.file}: the same content as {same}; add would refuse it")
        _print_diagnostics(gathered, {dump.file})
    others = {d.file for d in gathered.diagnostics} - {relative_name(sources, p) for p in [*existing, *plans]}
    if others:
        print("Other inputs:")
        _print_diagnostics(gathered, others)

    blocked = print_quality(gathered, quality_gates(sources.path("mkdocs.yml")))
    print(f"\n{problem_summary(gathered.diagnostics, more_errors=duplicates)}")
    return 1 if gathered.errors or duplicates or blocked else 0


def print_quality(gathered: Gathered, gates: QualityGates) -> bool:
    """Papers per topic, the unsorted papers and near-duplicate titles; True if a gate blocks publishing."""
    from .site.index import index_site

    site = gathered.site
    view = index_site(site)
    print(f"\n{len(site.papers)} papers from {gathered.entry_count} entries; {len(site.digests)} digests; "
          f"{len(gathered.hidden)} hidden by the curator")
    print("Papers per topic:")
    for topic in site.topics:
        print(f"  {len(view.topic_papers.get(topic.slug, ())):5d}  {topic.slug}")
    print(f"  {len(view.unsorted):5d}  (unsorted)")
    for key in view.unsorted:
        print(f"         - {printable(view.papers[key].title)}")
    report = quality_report(site)
    if report.near_duplicates:
        print("Near-duplicate titles (merge them in the dumps or ignore):")
        for a, b, score in report.near_duplicates:
            print(f"  {score:.2f}  {a!r} ~ {b!r}")
    print(f"Quality: {report.summary()}")
    failures = gate_failures(report, gates)
    for failure in failures:
        print(f"  blocks publishing (mkdocs.yml): {failure}")
    return bool(failures)


def cmd_add(sources: Sources, given: str, date: dt.date | None, title: str | None,
            today: dt.date | None = None) -> int:
    """Copy a saved listing page into dumps/ under the next number, with its manifest entry."""
    today = today or dt.date.today()
    if problem := path_problem(sources, given):
        print(f"error: {problem}", file=sys.stderr)
        return 1
    path = Path(given).resolve()
    if _in_dumps(sources, path):
        print(f"error: {given} is in {sources.dumps}/ already; check it with `python -m generator check {given}`",
              file=sys.stderr)
        return 1
    parsed = read_dump(sources, path)
    refusal = [str(d) for d in parsed.diagnostics if d.level == "error"]
    plan, same = _plan(sources, path, today, date, title)
    if same:
        refusal.append(f"{given}: the same content as {same}")
    if plan.date is None and plan.title is None:
        refusal.append(f"{given}: has no date line: pass --date YYYY-MM-DD, or --title TITLE for an undated collection")
    target = sources.path(sources.dumps) / plan.name
    if target.exists():
        refusal.append(f"{relative_name(sources, target)} exists already")
    if refusal:
        for line in refusal:
            print(f"error: {line}", file=sys.stderr)
        print(f"error: {given} was not added", file=sys.stderr)
        return 1
    manifest = sources.path(sources.dumps) / MANIFEST_NAME
    manifest_name = relative_name(sources, manifest)
    old = manifest.read_text(encoding="utf-8-sig") if manifest.exists() else ""
    new = with_manifest_entry(manifest_name, old, plan.name, plan.date, plan.title)
    parse_manifest(manifest_name, new)  # a manifest the build would refuse raises here, before anything is written
    target.write_bytes(path.read_bytes())
    manifest.write_text(new, encoding="utf-8")
    print(f"added {given} as {relative_name(sources, target)}")
    for note in plan.notes:
        print(f"  {note}")
    entry = ", ".join(f"{k}: {v}" for k, v in (("date", plan.date), ("title", plan.title)) if v is not None)
    print(f"  {manifest_name}: {plan.name}: {{{entry}}}\n")
    return cmd_check(sources, [str(target)], today)


def cmd_export(sources: Sources, out: Path, clean: bool, docs: Path) -> int:
    gathered = gather_site(sources)
    if gathered.errors:
        _print_diagnostics(gathered)
        return 1
    if out.exists() and any(out.iterdir()):
        if not clean:
            print(f"{out} is not empty; pass --clean to replace it", file=sys.stderr)
            return 2
        shutil.rmtree(out)
    if docs.is_dir():
        shutil.copytree(docs, out, dirs_exist_ok=True)
    pages = Renderer().build(gathered.site, site_name=site_name(sources.root / "mkdocs.yml"), site_url="")
    for uri, content in pages.items():
        target = out / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    print(f"wrote {len(pages)} generated pages and feeds (and docs/) to {out}")
    return 0


def cmd_verify(sources: Sources, site_dir: Path) -> int:
    """The deploy guard: the built site holds every paper the dumps hold."""
    gathered = gather_site(sources)
    expected = len(gathered.site.papers)
    built = sum(1 for p in site_dir.glob(PAPER_PAGES_GLOB)) if (site_dir / "papers").is_dir() else 0
    print(f"{site_dir}: {built} paper pages; the dumps hold {expected} papers")
    if built == 0 or built < expected:
        print("refusing: the built site is missing papers", file=sys.stderr)
        return 1
    return 0


def cmd_bench(sources: Sources, n: int, json_out: Path | None, keep: Path | None, runs: int,
              rebuilds: bool = True) -> int:
    from .dev import bench  # imported here: it pulls in the dump writer and subprocess machinery

    if runs < 1:
        print(f"--runs must be at least 1, not {runs}", file=sys.stderr)
        return 2
    report = bench.run(n, sources.root, keep, runs, rebuilds)
    print(bench.format_report(report))
    if json_out:
        json_out.write_text(bench.to_json(report) + "\n", encoding="utf-8")
    return 0


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2025-03-18: {text!r}") from None


def cmd_topics_suggest(sources: Sources, max_topics: int) -> int:
    """What the taxonomy lacks: the curator's aid for extending topics.yml."""
    from .enrich.suggest import PhraseIndex, possible_misses, suggest_topics

    gathered = gather_site(sources)
    site = gathered.site
    index = PhraseIndex.of((p.key, p.title, p.abstract) for p in site.papers)
    slugs = [t.slug for t in site.topics]
    unsorted = [p.key for p in site.papers if not site.assignments.get(p.key)]
    print(f"{len(unsorted)} of {len(site.papers)} papers are unsorted.")
    for candidate in suggest_topics(index, unsorted, slugs, max_topics):
        print(f"\nCandidate topic: {candidate.name} ({len(candidate.members)} papers). Paste into topics.yml:\n")
        print(candidate.as_yaml(), end="")
        print("  Papers:")
        for key in candidate.members:
            print(f"    - {index.titles[key]}")
    misses = possible_misses(index, {k: [a.topic for a in v] for k, v in site.assignments.items()}, slugs)
    print("\nPossible misses: papers that share many of a topic's telling phrases but are not in it.")
    for slug, found in misses.items():
        if found:
            print(f"  {slug}:")
            for miss in found:
                print(f"    - {miss.title}  [{', '.join(miss.shared[:5])}]")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (default: here)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="parse dumps and report what they hold and what is wrong")
    check.add_argument("dumps", nargs="*", metavar="PATH",
                       help="dump files, in dumps/ or not yet (default: all in dumps/)")
    add = commands.add_parser("add", help="copy a saved listing page into dumps/, with its manifest entry")
    add.add_argument("file", metavar="FILE")
    when = add.add_mutually_exclusive_group()
    when.add_argument("--date", type=_iso_date, help="YYYY-MM-DD, when the dump has no date line or a wrong one")
    when.add_argument("--title", help="title of an undated collection")
    export = commands.add_parser("export", help="write the generated Markdown tree to a folder")
    export.add_argument("out", type=Path)
    export.add_argument("--clean", action="store_true", help="replace the folder if it is not empty")
    verify = commands.add_parser("verify", help="fail when the built site has fewer papers than the dumps")
    verify.add_argument("site", type=Path)
    bench = commands.add_parser("bench", help="benchmark a synthetic corpus of N papers (see docs/benchmarks.md)")
    bench.add_argument("n", type=int)
    bench.add_argument("--json", type=Path, help="also write the figures to this file")
    bench.add_argument("--keep", type=Path, help="keep the generated projects in this folder")
    bench.add_argument("--runs", type=int, default=1,
                       help="time the stages and both builds this many times, in turn, and report medians")
    bench.add_argument("--no-rebuilds", dest="rebuilds", action="store_false",
                       help="do not time serve's rebuilds and the builds with a warm build cache "
                            "(minutes more at 100,000 papers)")
    topics = commands.add_parser("topics", help="help for extending topics.yml")
    topics_commands = topics.add_subparsers(dest="topics_command", required=True)
    suggest = topics_commands.add_parser("suggest", help="candidate topics for Unsorted papers, and possible misses")
    suggest.add_argument("--max", type=int, default=12, help="at most this many candidate topics (default 12)")
    args = parser.parse_args(argv)

    sources = Sources(root=args.root.resolve())
    try:
        if args.command == "check":
            return cmd_check(sources, args.dumps)
        if args.command == "add":
            return cmd_add(sources, args.file, args.date, args.title)
        if args.command == "export":
            return cmd_export(sources, args.out, args.clean, sources.path("docs"))
        if args.command == "bench":
            return cmd_bench(sources, args.n, args.json, args.keep, args.runs, args.rebuilds)
        if args.command == "topics":
            return cmd_topics_suggest(sources, args.max)
        return cmd_verify(sources, args.site)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
