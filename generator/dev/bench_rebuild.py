"""Benchmark of ``serve``: how long the preview takes to show one change.

    python -m generator.dev.bench_rebuild PROJECT     # prints JSON

Builds PROJECT the way ``mkdocs serve --dirty`` does (one process, a new
config per build, dirty builds), then makes the three changes the budgets name,
one after the other, timing each rebuild: a curator note, a topic rule, and a
new 100-paper dump. The project is changed in place: give it a copy. Each
figure is the whole rebuild as MkDocs runs it (gathering, rendering, writing
the changed pages), which is what stands between saving a file and the
preview reloading; the search index follows in the background, and the time
until it is written is reported too.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from ..mkdocs import rebuilds
from .dumpwriter import format_dump

PAPERS_IN_NEW_DUMP = 100


class _LastRebuild(logging.Handler):
    """Keeps the plugin's one line per rebuild (what changed, what was rebuilt)."""

    line = ""

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("rebuild:"):
            self.line = record.getMessage()


def _rebuild(project: Path, site: Path) -> tuple[float, float]:
    """Seconds until the preview has the pages, and until its search index is written too."""
    start = time.perf_counter()
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    pages = time.perf_counter() - start
    rebuilds.SESSION.wait_for_search()
    return round(pages, 2), round(time.perf_counter() - start, 2)


def change_note(project: Path, site: Path) -> None:
    papers = sorted(p.name for p in (site / "papers").iterdir() if (p / "index.html").is_file())
    slug = papers[len(papers) // 2]
    (project / "curation.yml").write_text(f"{slug}:\n  note: A note the curator just wrote.\n", encoding="utf-8")


def change_rule(project: Path, site: Path) -> None:
    topics = project / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    marker = "    include:\n"
    if marker not in text:
        raise ValueError(f"{topics}: no 'include:' list to add a rule to")
    topics.write_text(text.replace(marker, marker + "      - sparse attention\n", 1), encoding="utf-8")


def add_dump(project: Path, site: Path) -> None:
    dumps = project / "dumps"
    papers = [(f"Rebuild Probe {n}: Routing Lanterns for Tiny Recurrent Models, Part {n}",
               f"We introduce probe {n}, a routing scheme that activates a small fraction of a recurrent network "
               f"per token. On {n % 7 + 2} language modelling benchmarks it matches dense models at a quarter of "
               "the compute, and we release code.") for n in range(PAPERS_IN_NEW_DUMP)]
    name = "99999_rebuild-probe.txt"
    (dumps / name).write_text(format_dump("spaced", papers, date_text="Dec 31"), encoding="utf-8")
    with (dumps / "manifest.yml").open("a", encoding="utf-8") as manifest:
        manifest.write(f"  {name}:\n    date: 2099-12-31\n")


CHANGES: dict[str, Callable[[Path, Path], None]] = {
    "curator note": change_note,
    "topic rule": change_rule,
    "new 100-paper dump": add_dump,
}


def measure(project: Path) -> dict[str, object]:
    handler = _LastRebuild()
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    with tempfile.TemporaryDirectory(prefix="digest-serve-") as folder:
        site = Path(folder)
        report: dict[str, object] = {"first build": _rebuild(project, site)[0]}
        for label, change in CHANGES.items():
            change(project, site)
            report[label], report[f"{label}, search index too"] = _rebuild(project, site)
            report[f"{label}: what was rebuilt"] = handler.line
    report["peak RSS MB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return report


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(measure(Path(argv[0])), sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
