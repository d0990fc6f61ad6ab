"""Command line: the same pipeline as the MkDocs plugin, for the curator and CI.

    python -m generator check [DUMP ...]   what each dump holds and what is wrong with it
    python -m generator export OUT/        write the site's Markdown tree to OUT/
    python -m generator verify SITE/       fail when a built site lacks papers
    python -m generator bench N            time and size a synthetic N-paper build
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path

from .models import InputError, printable
from .pipeline import Gathered, Sources, gather_site, relative_name
from .site.render import Renderer
from .site.index import index_site


def _print_diagnostics(gathered: Gathered, files: set[str] | None = None) -> None:
    for d in gathered.diagnostics:
        if files is None or d.file in files:
            print(f"  {d.level}: {d}")


def near_duplicate_titles(titles: dict[str, str], threshold: float = 0.85) -> list[tuple[str, str, float]]:
    """Pairs of distinct papers whose titles share most of their words (Jaccard).

    Prefix filtering keeps this near linear: with each title's words ordered
    rarest first, two titles this alike must share a word among the first
    ``n - ceil(threshold * n) + 1`` of either, so only those are bucketed.
    """
    words = {key: set(key.split()) for key in titles}
    frequency = Counter(w for ws in words.values() for w in ws)
    buckets: dict[str, list[str]] = defaultdict(list)
    for key, ws in words.items():
        ordered = sorted(ws, key=lambda w: (frequency[w], w))
        for word in ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]:
            buckets[word].append(key)
    pairs = set()
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                overlap = len(words[a] & words[b]) / len(words[a] | words[b])
                if overlap >= threshold:
                    pairs.add((*sorted((titles[a], titles[b])), round(overlap, 2)))
    return sorted(pairs)


def cmd_check(sources: Sources, dumps: list[str]) -> int:
    all_paths = sources.dump_files()
    chosen = {str(Path(d).resolve()) for d in dumps}
    gathered = gather_site(sources)
    site = gathered.site
    seen_in: dict[tuple[str, int], str] = {(e.file, e.line): p.key for p in site.papers for e in p.entries}
    sightings = Counter(seen_in.values())

    for info in gathered.dumps:
        dump = info.parsed
        if chosen and str(sources.path(dump.file).resolve()) not in chosen:
            continue
        keys = [seen_in.get((e.file, e.line)) for e in dump.entries]
        repeats = sum(1 for k in keys if k and sightings[k] > 1)
        when = info.date.isoformat() if info.date else "undated"
        title = f" \u2014 {info.title}" if info.title else ""
        print(printable(f"{dump.file}: {dump.layout}, {when}{title}, {len(dump.entries)} papers, "
                        f"{repeats} also in other dumps or repeated"))
        _print_diagnostics(gathered, {dump.file})
    others = {d.file for d in gathered.diagnostics} - {relative_name(sources, p) for p in all_paths}
    if others:
        print("Other inputs:")
        _print_diagnostics(gathered, others)

    view = index_site(site)
    print(f"\n{len(site.papers)} papers from {gathered.entry_count} entries; {len(site.digests)} digests; "
          f"{len(gathered.hidden)} hidden by the curator")
    print("Papers per topic:")
    for topic in site.topics:
        print(f"  {len(view.topic_papers.get(topic.slug, ())):5d}  {topic.slug}")
    print(f"  {len(view.unsorted):5d}  (unsorted)")
    for key in view.unsorted:
        print(f"         - {printable(view.papers[key].title)}")
    near = near_duplicate_titles({p.key: p.title for p in site.papers})
    if near:
        print("Near-duplicate titles (merge them in the dumps or ignore):")
        for a, b, score in near:
            print(f"  {score:.2f}  {a!r} ~ {b!r}")
    errors, warnings = len(gathered.errors), len(gathered.diagnostics) - len(gathered.errors)
    print(f"\n{errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


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
    pages = Renderer().build(gathered.site, site_name="Paper digest", site_url="")
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
    built = sum(1 for p in (site_dir / "papers").glob("*/index.html")) if (site_dir / "papers").is_dir() else 0
    print(f"{site_dir}: {built} paper pages; the dumps hold {expected} papers")
    if built == 0 or built < expected:
        print("refusing: the built site is missing papers", file=sys.stderr)
        return 1
    return 0


def cmd_bench(sources: Sources, n: int, json_out: Path | None, keep: Path | None, runs: int) -> int:
    from .dev import bench  # imported here: it pulls in the dump writer and subprocess machinery

    if runs < 1:
        print(f"--runs must be at least 1, not {runs}", file=sys.stderr)
        return 2
    report = bench.run(n, sources.root, keep, runs)
    print(bench.format_report(report))
    if json_out:
        json_out.write_text(bench.to_json(report) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="project folder (default: here)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="parse dumps and report what they hold and what is wrong")
    check.add_argument("dumps", nargs="*", help="dump files (default: all in dumps/)")
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
    args = parser.parse_args(argv)

    sources = Sources(root=args.root.resolve())
    try:
        if args.command == "check":
            return cmd_check(sources, args.dumps)
        if args.command == "export":
            return cmd_export(sources, args.out, args.clean, sources.path("docs"))
        if args.command == "bench":
            return cmd_bench(sources, args.n, args.json, args.keep, args.runs)
        return cmd_verify(sources, args.site)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
