"""Benchmark: a synthetic corpus of N papers, built as the real site and as a bare floor.

    python -m generator bench 10000

Writes a throw-away project (our mkdocs.yml, topics, docs and overrides, with
N synthetic papers in daily dumps), then, each in a fresh child process, times
the generator's stages and two real ``mkdocs build`` runs: the full project,
and a bare MkDocs + Material build of N plain paper pages with the same theme
and the papers out of the nav (the engine's floor). With ``runs`` > 1 the three
are repeated in turn, so that a slow spell of the machine hits all three, and
medians are reported. Then (unless ``rebuilds`` is off) ``serve``'s rebuilds,
and full builds with a warm build cache, as the publish workflow runs them.
Reports ratios and sizes.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import yaml

from .dumpwriter import format_dump
from ..ingest.junk import title_problem
from ..pipeline import Sources, gather_site, read_dump
from ..runtime.parallel import available_cores
from ..site.render import Renderer
from ..site.urls import PAPER_PAGES_GLOB

PAPERS_PER_DUMP = 100
SEED = 20250311
_STOP = {"a", "an", "the", "of", "for", "and", "in", "on", "with", "to", "via", "by", "from", "at", "is"}


@dataclass
class BuildResult:
    seconds: float
    peak_rss_mb: float
    """The peak of the largest process of the build: Linux reports a child's peak as
    the largest of it and its own children, and for our build that is Pagefind's."""
    site_mb: float
    html_pages: int
    largest_page_kb: float
    largest_page: str
    peak_all_mb: float = 0.0
    """The peak of the build and its helpers together (sampled; 0 where /proc is missing)."""


@dataclass
class Report:
    papers: int
    stages: dict[str, float]
    """Seconds per stage, the median over the runs (the total is the median of the runs' totals)."""
    full: BuildResult
    """The full build whose time is the median (the lower middle one for an even count),
    with the highest peak RSS of all the runs."""
    bare: BuildResult
    stage_totals: list[float]
    full_seconds: list[float]
    bare_seconds: list[float]
    """Every run, in order."""
    paper_page_kb_mean: float
    paper_page_kb_max: float
    search_first_query_kb: float
    search_detail: str
    cold_visit_kb: float = 0.0
    """What a first visit to the home page downloads, gzipped (see ``cold_visit_bytes``)."""
    cold_visit_detail: str = ""
    rebuilds: dict[str, object] = field(default_factory=dict)
    """Seconds for ``serve`` to show each change (``bench_rebuild``), and what it rebuilt."""
    loop_seconds: list[float] = field(default_factory=list)
    """``speed_probe`` before each run and before the rebuilds: how fast the machine was."""
    cached_builds: dict[str, float] = field(default_factory=dict)
    """Seconds of a full build with a warm build cache (``timed_cached_builds``)."""

    @property
    def ratio(self) -> float:
        return self.full.seconds / self.bare.seconds


def seed_papers(root: Path) -> list[tuple[str, str]]:
    """The shipped papers: the material the synthetic corpus is varied from."""
    sources = Sources(root)
    seen, pairs = set(), []
    for path in sources.dump_files():
        for entry in read_dump(sources, path).entries:
            if entry.title not in seen:
                seen.add(entry.title)
                pairs.append((entry.title, entry.abstract))
    return pairs


def synthetic_corpus(seeds: Sequence[tuple[str, str]], n: int, seed: int = SEED) -> list[tuple[str, str]]:
    """N distinct papers: shipped titles with words swapped in, abstracts re-mixed
    from shipped sentences, so topic rules and similarity see realistic text."""
    rng = random.Random(seed)
    words = sorted({w for title, _ in seeds for w in title.split() if w.isalpha() and w.lower() not in _STOP})
    sentences = [s.strip() + "." for _, abstract in seeds for s in abstract.split(". ") if len(s) > 40]
    corpus, titles = [], set()
    for i in range(n):
        title, abstract = seeds[i % len(seeds)]
        candidate = _varied_title(title, 1 + i // len(seeds) % 3, words, rng)
        while candidate.lower() in titles or title_problem(candidate):
            candidate = f"{candidate} {rng.choice(words).capitalize()}"
        titles.add(candidate.lower())
        body = [abstract.split(". ")[0].rstrip(".") + "."] + rng.sample(sentences, rng.randint(4, 9))
        corpus.append((candidate, " ".join(body)))
    return corpus


def _varied_title(title: str, swaps: int, words: Sequence[str], rng: random.Random) -> str:
    """``title`` with ``swaps`` words replaced, redrawn until the junk rules would publish it:
    a swapped-in word can make a title look like a wrapped line (lower case first, "of" last),
    and a benchmark whose papers are refused measures less than it says."""
    for _ in range(20):
        parts = title.split()
        for _ in range(swaps):
            parts[rng.randrange(len(parts))] = rng.choice(words)
        candidate = " ".join(parts)
        if not title_problem(candidate):
            return candidate
    return title


def write_project(root: Path, target: Path, corpus: Sequence[tuple[str, str]]) -> None:
    """Our project's configuration and docs, with the corpus as daily dumps."""
    for name in ("mkdocs.yml", "topics.yml"):
        shutil.copy(root / name, target / name)
    # Our curator's notes name our papers, not the synthetic ones; mkdocs.yml names the file.
    (target / "curation.yml").write_text("", encoding="utf-8")
    for folder in ("docs", "overrides"):
        if (root / folder).is_dir():
            shutil.copytree(root / folder, target / folder)
    dumps = target / "dumps"
    dumps.mkdir()
    manifest: dict[str, dict] = {}
    start = dt.date(2025, 1, 1)
    for number, offset in enumerate(range(0, len(corpus), PAPERS_PER_DUMP)):
        day = start + dt.timedelta(days=number)
        name = f"{number:05d}_bench.txt"
        chunk = corpus[offset:offset + PAPERS_PER_DUMP]
        (dumps / name).write_text(format_dump("spaced", chunk, date_text=f"{day:%b} {day.day}"), encoding="utf-8")
        manifest[name] = {"date": day}
    (dumps / "manifest.yml").write_text(yaml.safe_dump({"dumps": manifest}), encoding="utf-8")


def write_bare_project(root: Path, target: Path, corpus: Sequence[tuple[str, str]]) -> None:
    """Plain Markdown paper pages with our theme settings and no digest plugin."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    config["site_url"] = "http://127.0.0.1:8000/"
    # The floor is a default Material site: its plugins are MkDocs' default, search.
    config["plugins"] = ["search"]
    config["nav"] = [{"Home": "index.md"}]
    config["not_in_nav"] = "/papers/*"
    config.pop("extra_css", None)
    config["theme"].pop("custom_dir", None)
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    papers = target / "docs" / "papers"
    papers.mkdir(parents=True)
    (target / "docs" / "index.md").write_text("# Bare floor\n", encoding="utf-8")
    for i, (title, abstract) in enumerate(corpus):
        (papers / f"p{i:06d}.md").write_text(f"# Paper {i}\n\n{abstract}\n", encoding="utf-8")


def timed_build(project: Path, env: dict[str, str] | None = None) -> BuildResult:
    """``mkdocs build`` in a child process (with ``env`` added to its environment);
    wall time and the child's peak RSS."""
    site = project / "site"
    # stderr goes to a file: a pipe left unread while we wait could fill and stall the build.
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(site)],
            cwd=project, stdout=subprocess.DEVNULL, stderr=log,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        )
        sampler = _TreeMemory(child.pid)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        sampler.stop()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            log.seek(0)
            raise RuntimeError(f"mkdocs build failed in {project}:\n{log.read().decode()[-2000:]}")
    pages = list(site.rglob("*.html"))
    largest = max(pages, key=lambda p: p.stat().st_size)
    return BuildResult(
        seconds=round(seconds, 2),
        peak_rss_mb=round(usage.ru_maxrss / 1024, 1),
        site_mb=round(sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 2**20, 1),
        html_pages=len(pages),
        largest_page_kb=round(largest.stat().st_size / 1024, 1),
        largest_page=largest.relative_to(site).as_posix(),
        peak_all_mb=round(sampler.peak / 2**20, 1),
    )


class _TreeMemory:
    """The peak resident memory of a process and its descendants together, sampled
    four times a second from /proc (a runner's memory limit counts them all)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.done.wait(0.25):
            self.peak = max(self.peak, _tree_rss(self.pid))

    def stop(self) -> None:
        self.done.set()
        self.thread.join()


def _tree_rss(pid: int) -> int:
    total, pending = 0, [pid]
    while pending:
        proc = Path("/proc") / str(pending.pop())
        try:
            status = (proc / "status").read_text()
            total += next((int(line.split()[1]) * 1024 for line in status.splitlines()
                           if line.startswith("VmRSS:")), 0)
            for task in (proc / "task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, ValueError):  # gone meanwhile, or no /proc
            continue
    return total


def first_search_bytes(site: Path) -> tuple[float, str]:
    """What a reader downloads for a first search, in KB, and how it was counted.

    For Pagefind: its script and worker, entry and metadata, the WebAssembly
    module, the two largest index chunks (a two-word query) and the ten
    largest result fragments (one page of results), as served with gzip. When
    the index is split by year, that is the main bundle's; what searching all
    years adds (each earlier year's entry, metadata and two largest chunks) is
    said in the detail.
    """
    pagefind = site / "pagefind"
    if pagefind.is_dir():
        def wire(path: Path) -> int:
            # GitHub Pages gzips scripts and JSON; Pagefind's own files are gzip already.
            data = path.read_bytes()
            return len(gzip.compress(data, 6, mtime=0)) if path.suffix in (".js", ".json") else len(data)

        def largest(bundle: Path, pattern: str, count: int) -> list[Path]:
            return sorted(bundle.glob(pattern), key=lambda p: p.stat().st_size, reverse=True)[:count]

        def query(bundle: Path) -> list[Path]:
            return (largest(bundle, "pagefind-entry.json", 1) + largest(bundle, "*.pf_meta", 1)
                    + largest(bundle, "index/*.pf_index", 2))

        fetched = (largest(pagefind, "pagefind.js", 1) + largest(pagefind, "pagefind-worker.js", 1)
                   + largest(pagefind, "bundles.json", 1) + largest(pagefind, "wasm.*.pagefind", 1)
                   + query(pagefind) + largest(pagefind, "fragment/*.pf_fragment", 10))
        raw = sum(p.stat().st_size for p in fetched)
        detail = (f"pagefind, as served with gzip ({round(raw / 1024, 1)} KB uncompressed): script, worker, "
                  "metadata, wasm, the two largest index chunks, the ten largest fragments")
        listed = pagefind / "bundles.json"
        bundles = json.loads(listed.read_text(encoding="utf-8")) if listed.is_file() else {"older": []}
        if older := bundles["older"]:
            more = sum(wire(p) for year in older for p in query(pagefind / year))
            detail += (f"; of the newest year ({bundles['main']}) only: "
                       f"searching all {len(older) + 1} years fetches {round(more / 1024, 1)} KB more")
        return round(sum(wire(p) for p in fetched) / 1024, 1), detail
    index = site / "search" / "search_index.json"
    if index.exists():
        return round(index.stat().st_size / 1024, 1), "material search: the whole search_index.json"
    return 0.0, "no search index found"


_ASSET = re.compile(r'<(?:link[^>]*?rel="(?:stylesheet|icon)"[^>]*?href|script[^>]*?src)="([^"#?]+)')


def cold_visit_bytes(site: Path, page: str = "index.html") -> tuple[float, str]:
    """What a reader's first visit to ``page`` downloads, in KB as served with gzip:
    the page, the same-origin stylesheets, scripts and icon it names, and
    ``sitemap.xml`` when Material's instant navigation is on (it fetches the
    sitemap on load, to know which links it may load in place)."""
    html = (site / page).read_text(encoding="utf-8")
    files = [site / page]
    for href in dict.fromkeys(_ASSET.findall(html)):
        if "://" in href or href.startswith("//") or href.startswith("data:"):
            continue
        path = (site / page).parent / href
        if path.is_file():
            files.append(path)
    instant = '"navigation.instant"' in html
    if instant and (site / "sitemap.xml").is_file():
        files.append(site / "sitemap.xml")
    wire = sum(len(gzip.compress(f.read_bytes(), 6, mtime=0)) for f in files)
    return round(wire / 1024, 1), (f"{page} and its {len(files) - 1 - instant} assets"
                                   + (", plus sitemap.xml (instant navigation)" if instant else
                                      "; no sitemap.xml (instant navigation is off)"))


SPEED_PROBE_STEPS = 10_000_000


def speed_probe() -> float:
    """Seconds for a fixed pure-Python loop, run on every core at once (the slowest).

    A shared machine's speed moves within one benchmark, and not on every core
    alike (a build uses them all): comparing the probes of a report says how
    much it moved, so that a slow spell is not read as a slow build.
    """
    loop = (f"import time\nstart = time.perf_counter()\nfor _ in range({SPEED_PROBE_STEPS}): pass\n"
            "print(time.perf_counter() - start)")
    probes = [subprocess.Popen([sys.executable, "-c", loop], stdout=subprocess.PIPE, text=True)
              for _ in range(available_cores())]
    return round(max(float(probe.communicate()[0]) for probe in probes), 3)


def time_stages(project: Path) -> tuple[int, dict[str, float]]:
    """The papers of ``project`` and seconds per generator stage, as the plugin runs them
    (call in a fresh process)."""
    stages: dict[str, float] = {}
    start = time.perf_counter()
    gathered = gather_site(Sources(project), timings=stages)
    # Reading topics and curation, dating dumps, making digests: not a named stage, counted all the same.
    stages["other gathering"] = time.perf_counter() - start - sum(stages.values())
    start = time.perf_counter()
    # As the plugin does: the pages on every core, then the feeds and papers.json.
    Renderer().build(gathered.site, site_name="bench", site_url="http://127.0.0.1:8000/", workers=available_cores())
    stages["render"] = time.perf_counter() - start
    stages = {k: round(v, 3) for k, v in stages.items()}
    stages["total"] = round(sum(stages.values()), 3)
    return len(gathered.site.papers), stages


def timed_stages(project: Path) -> tuple[int, dict[str, float]]:
    """``time_stages`` in a child process: a cold start, as a build has, whatever ran here before."""
    run = subprocess.run([sys.executable, "-m", "generator.dev.bench", str(project)], capture_output=True, text=True,
                         cwd=project)
    if run.returncode:
        raise RuntimeError(f"timing the stages failed in {project}:\n{run.stderr[-2000:]}")
    papers, stages = json.loads(run.stdout)
    return papers, stages


def timed_rebuilds(project: Path, work: Path) -> dict[str, object]:
    """``bench_rebuild`` in a child process, on a copy of ``project`` (it changes its project)."""
    copy = work / "serve"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site"))
    run = subprocess.run([sys.executable, "-m", "generator.dev.bench_rebuild", str(copy)], capture_output=True,
                         text=True, cwd=copy)
    if run.returncode:
        raise RuntimeError(f"timing rebuilds failed in {copy}:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def timed_cached_builds(project: Path, work: Path) -> dict[str, float]:
    """What the publish workflow's build costs with the build cache it keeps between
    runs, on a copy of ``project``: a build that fills the cache (not reported), then
    one with nothing changed, then one after a new 100-paper dump."""
    from .bench_rebuild import add_dump  # it imports MkDocs' build machinery

    copy = work / "cached"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site"))
    cache = {"DIGEST_CACHE": ".cache/digest"}
    timed_build(copy, cache)
    nothing = timed_build(copy, cache).seconds
    add_dump(copy, copy / "site")
    dump = timed_build(copy, cache).seconds
    shutil.rmtree(copy, ignore_errors=True)
    return {"nothing changed": nothing, "one new 100-paper dump": dump}


def _median_run(results: Sequence[BuildResult]) -> BuildResult:
    """The run of median time, with the highest peak RSS of all runs (memory budgets are about the worst case)."""
    median = sorted(results, key=lambda result: result.seconds)[(len(results) - 1) // 2]
    return replace(median, peak_rss_mb=max(result.peak_rss_mb for result in results),
                   peak_all_mb=max(result.peak_all_mb for result in results))


def run(n: int, root: Path, keep: Path | None = None, runs: int = 1, rebuilds: bool = True) -> Report:
    if runs < 1:
        raise ValueError(f"runs must be at least 1, not {runs}")
    work = Path(tempfile.mkdtemp(prefix="digest-bench-")) if keep is None else keep
    full, bare = work / "full", work / "bare"
    full.mkdir(parents=True)
    bare.mkdir(parents=True)
    corpus = synthetic_corpus(seed_papers(root), n)
    write_project(root, full, corpus)
    write_bare_project(root, bare, corpus)

    stage_runs, full_runs, bare_runs, loops = [], [], [], []
    for _ in range(runs):
        loops.append(speed_probe())
        papers, stages = timed_stages(full)
        stage_runs.append(stages)
        full_runs.append(timed_build(full))
        bare_runs.append(timed_build(bare))
    stages = {name: round(statistics.median(timing[name] for timing in stage_runs), 3) for name in stage_runs[0]}
    paper_pages = [p.stat().st_size for p in (full / "site").glob(PAPER_PAGES_GLOB)]
    search_kb, search_detail = first_search_bytes(full / "site")
    cold_kb, cold_detail = cold_visit_bytes(full / "site")
    if rebuilds:
        loops.append(speed_probe())
    report = Report(
        papers=papers,
        stages=stages,
        full=_median_run(full_runs),
        bare=_median_run(bare_runs),
        stage_totals=[timing["total"] for timing in stage_runs],
        full_seconds=[result.seconds for result in full_runs],
        bare_seconds=[result.seconds for result in bare_runs],
        paper_page_kb_mean=round(sum(paper_pages) / max(len(paper_pages), 1) / 1024, 1),
        paper_page_kb_max=round(max(paper_pages, default=0) / 1024, 1),
        search_first_query_kb=search_kb,
        search_detail=search_detail,
        cold_visit_kb=cold_kb,
        cold_visit_detail=cold_detail,
        rebuilds=timed_rebuilds(full, work) if rebuilds else {},
        cached_builds=timed_cached_builds(full, work) if rebuilds else {},
        loop_seconds=loops,
    )
    if keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return report


def format_report(report: Report) -> str:
    runs = len(report.stage_totals)
    median = f", median of {runs} runs" if runs > 1 else ""

    def every(values: Sequence[float]) -> str:
        return f" (runs: {', '.join(map(str, values))})" if runs > 1 else ""

    lines = [f"papers: {report.papers}"]
    if report.loop_seconds:
        lines.append(f"machine speed: a {SPEED_PROBE_STEPS:,}-step Python loop on every core at once took "
                     f"{', '.join(map(str, report.loop_seconds))} s (before each run"
                     f"{' and before the rebuilds' if report.rebuilds else ''}; lower is faster)")
    lines += [f"generator stages (s{median}): " + ", ".join(
        f"{k} {v}" for k, v in report.stages.items()) + every(report.stage_totals)]
    for label, build, seconds in (("full build", report.full, report.full_seconds),
                                  ("bare floor", report.bare, report.bare_seconds)):
        lines.append(f"{label}: {build.seconds} s{every(seconds)}, peak RSS {build.peak_rss_mb} MB "
                     f"(its largest process; {build.peak_all_mb} MB all together), "
                     f"site {build.site_mb} MB, {build.html_pages} HTML pages, "
                     f"largest {build.largest_page_kb} KB ({build.largest_page})")
    lines += [
        f"ratio full/bare: {report.ratio:.2f}" + (" (of the medians)" if runs > 1 else ""),
        f"HTML per paper page: mean {report.paper_page_kb_mean} KB, max {report.paper_page_kb_max} KB",
        f"first search downloads: {report.search_first_query_kb} KB ({report.search_detail})",
        f"cold visit downloads: {report.cold_visit_kb} KB gzipped ({report.cold_visit_detail})",
    ]
    lines += [f"serve --dirty, {label}: {value}" + (" s" if isinstance(value, float) and "MB" not in label else "")
              for label, value in report.rebuilds.items()]
    lines += [f"full build with a warm build cache, {label}: {value} s" for label, value in report.cached_builds.items()]
    return "\n".join(lines)


def to_json(report: Report) -> str:
    return json.dumps({**asdict(report), "ratio": round(report.ratio, 3)}, indent=2, sort_keys=True)


if __name__ == "__main__":  # the child process of timed_stages
    print(json.dumps(time_stages(Path(sys.argv[1]))))
