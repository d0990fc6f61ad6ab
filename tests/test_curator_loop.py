"""The curator's loop end to end, on a copy of this project: add new dumps as the README says,
then the content checks, the strict build that publishes, and the deploy guard."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.dev.dumpwriter import DumpPaper, format_dump
from generator.pipeline import Sources, gather_site

from .conftest import ROOT, assert_site_content, mkdocs_build

pytestmark = pytest.mark.build

WORDS = ("sparse", "frugal", "routing", "adapters", "kernels", "caches", "lattice", "tokens", "budgets", "tiles")


def copy_project(target: Path) -> Path:
    """This project as a curator's clone has it: config, docs and the live dumps/."""
    target.mkdir(parents=True)
    for name in ("mkdocs.yml", "topics.yml", "curation.yml"):
        shutil.copy(ROOT / name, target / name)
    for folder in ("docs", "overrides", "dumps"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def fresh_papers(rng: random.Random, known: set[str], n: int, tag: str) -> list[DumpPaper]:
    """Papers no dump has: titles that cannot collide with a known one, real-looking abstracts."""
    papers = []
    while len(papers) < n:
        words = rng.sample(WORDS, 4)
        title = f"{tag} {len(papers)}: {words[0].title()} {words[1]} for {words[2]} and {words[3]}"
        assert title.lower() not in known
        abstract = (f"We study {words[0]} {words[1]} for {words[2]} in large language models. Our method cuts the "
                    f"memory of {words[3]} by a third and keeps accuracy within one point of the baseline on "
                    f"every benchmark we tried. The code is released, and the approach needs no retraining.")
        papers.append(DumpPaper(title, abstract, arxiv_id=f"2503.{rng.randrange(10000, 99999)}"))
    return papers


@pytest.fixture(scope="module")
def added(tmp_path_factory) -> tuple[Path, Path, list[str]]:
    """A copy of the project with one new dump of each shape added with `add`, and its strict build."""
    tmp = tmp_path_factory.mktemp("loop")
    project = copy_project(tmp / "project")
    known = {p.title.lower() for p in gather_site(Sources(project)).site.papers}
    rng = random.Random(14)
    new_titles: list[str] = []
    saved = tmp / "saved"
    saved.mkdir()
    # Each shape the parser reads, and each way a dump gets its date: its date line, --date, --title.
    shapes = [("spaced", "Mar 20", []), ("markdown", None, ["--date", "2025-03-21"]),
              ("glued", None, ["--title", "Loop test collection"])]
    for layout, date_text, options in shapes:
        papers = fresh_papers(rng, known, 3, f"Loop {layout}")
        new_titles += [p.title for p in papers]
        path = saved / f"{layout} page.{'md' if layout == 'markdown' else 'txt'}"
        path.write_text(format_dump(layout, papers, date_text=date_text), encoding="utf-8")
        assert main(["--root", str(project), "add", str(path), *options]) == 0
    result = mkdocs_build(project, tmp / "site")
    assert result.returncode == 0, result.stderr
    return project, tmp / "site", new_titles


def test_added_dumps_pass_check_with_no_problem(added, capsys):
    project, _, _ = added
    assert main(["--root", str(project), "check"]) == 0
    assert capsys.readouterr().out.endswith("\n0 error(s), 0 warning(s)\n")


def test_the_site_holds_every_paper_once_listed_and_linked(added):
    project, site, titles = added
    assert_site_content(project, site)
    slugs = {p.title: p.slug for p in gather_site(Sources(project)).site.papers}
    assert all((site / "papers" / slugs[t] / "index.html").exists() for t in titles)


def test_the_deploy_guard_passes(added, capsys):
    project, site, _ = added
    assert main(["--root", str(project), "verify", str(site)]) == 0


def test_a_dump_with_problems_gets_messages_naming_file_and_line(tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    papers = fresh_papers(random.Random(15), set(), 4, "Broken")
    blocks = format_dump("spaced", papers, date_text="Feb 30").split("\n\n")
    # Header (4 blocks), the date line, then title/abstract pairs: drop the second abstract.
    text = "\n\n".join(blocks[:7] + blocks[8:])
    path = tmp_path / "broken.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["--root", str(project), "add", str(path), "--date", "2025-03-22"]) == 0
    out = capsys.readouterr().out
    name = re.search(r"^added \S+ as (dumps/\S+)$", out, re.M).group(1)
    assert name.startswith("dumps/") and name.endswith("_broken.txt")
    assert f"{name}: spaced, 2025-03-22, 3 papers, 0 also in other dumps or repeated\n" in out
    assert out.index(f"\n  warning: {name}:9: impossible date 'Feb 30' (ignored)\n") < out.index(
        f"\n  warning: {name}:15: abstract where a title should be: 'We study sparse tiles for routing in large "
        "language models. Our method cuts the…' (skipped)\n")
    assert out.endswith("\n0 error(s), 2 warning(s)\n")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert f"WARNING -  {name}:9: impossible date 'Feb 30' (ignored)\n" in result.stderr
    assert f"WARNING -  {name}:15: abstract where a title should be: 'We study sparse tiles" in result.stderr
