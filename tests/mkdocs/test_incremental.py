"""Rebuilds that reuse the last build (``mkdocs serve --dirty``) give a clean build's bytes.

Each test builds a project the way ``serve`` does (one process, a new config per
build, ``dirty=True``), changes one input, rebuilds, and compares every file of
the site with a clean build of the changed project.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.mkdocs import rebuilds
from generator.runtime.memo import Memo, generator_version

from ..conftest import ROOT, folder_bytes, make_project

DUMPS = {
    "001_a.txt": (ROOT / "tests" / "fixtures" / "seed" / "003_19a10e7b31dfc146.txt"),
    "002_b.txt": (ROOT / "tests" / "fixtures" / "seed" / "001_646199751813bdcb.txt"),
}
MANIFEST = "dumps:\n  001_a.txt: {date: 2025-03-14}\n  002_b.txt: {date: 2025-03-11}\n"


def _dump_bytes() -> dict[str, bytes]:
    found = {}
    for name, path in DUMPS.items():
        if not path.exists():  # the frozen seed copy, or the shipped dumps before it existed
            path = ROOT / "dumps" / path.name
        found[name] = path.read_bytes()
    return found


def _first_slug(project: Path) -> str:
    from generator.pipeline import Sources, gather_site

    return gather_site(Sources(project)).site.papers[0].slug


@pytest.fixture
def session(monkeypatch):
    """A fresh serve session, as a new ``mkdocs serve`` process has."""
    fresh = rebuilds.Session()
    monkeypatch.setattr(rebuilds, "SESSION", fresh)
    monkeypatch.setattr("generator.mkdocs.plugin.SESSION", fresh)
    return fresh


def _build(project: Path, site: Path, *, serve: bool, search: bool = False, split_from: int | None = None) -> None:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins["digest"].config.search = search
    if split_from is not None:
        config.plugins["digest"].config.search_split_from = split_from
    # As each command's process starts; a clean build must not see the serve session.
    config.plugins.on_startup(command="serve" if serve else "build", dirty=serve)
    build(config, dirty=serve)
    rebuilds.SESSION.wait_for_search()  # serve writes the index after the pages


def _same_site(incremental: Path, clean: Path) -> None:
    a, b = folder_bytes(incremental), folder_bytes(clean)
    assert sorted(a) == sorted(b), "files added or missing"
    differ = [path for path in a if a[path] != b[path]]
    assert not differ, f"incremental build differs from a clean one in {differ[:5]}"


def _add_note(project: Path) -> None:
    slug = _first_slug(project)
    (project / "curation.yml").write_text(f"{slug}:\n  note: A *fresh* note.\n  featured: true\n", encoding="utf-8")


def _add_rule(project: Path) -> None:
    topics = project / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    marker = "    include:\n"
    assert marker in text
    topics.write_text(text.replace(marker, marker + "      - attention\n", 1), encoding="utf-8")


def _add_dump(project: Path) -> None:
    (project / "dumps" / "003_c.txt").write_text(
        "Get trending papers in your email inbox!\n\nApr 30\n\n"
        "Lattice Lanterns: Sparse Routing for Tiny Recurrent Models\n\n"
        "We introduce Lattice Lanterns, a routing scheme that activates a small fraction of a recurrent network "
        "per token. On three language modelling benchmarks it matches dense models at a quarter of the compute.\n",
        encoding="utf-8",
    )
    with (project / "dumps" / "manifest.yml").open("a", encoding="utf-8") as manifest:
        manifest.write("  003_c.txt: {date: 2025-04-30}\n")


def _change_abstract(project: Path) -> None:
    dump = project / "dumps" / "002_b.txt"
    text = dump.read_text(encoding="utf-8")
    dump.write_text(text.replace(" the ", " the  very ", 1), encoding="utf-8")


def _hide_paper(project: Path) -> None:
    (project / "curation.yml").write_text(f"{_first_slug(project)}:\n  hidden: true\n", encoding="utf-8")


def _show_again(project: Path) -> None:
    (project / "curation.yml").write_text("", encoding="utf-8")


def _repeat_paper(project: Path, name: str, date: str) -> None:
    """A dump that lists a paper of the oldest digest again: where it is first seen, what is new, moves."""
    from generator.pipeline import Sources, gather_site

    site = gather_site(Sources(project)).site
    paper = next(p for p in site.papers if p.key in site.digests[-1].paper_keys)
    (project / "dumps" / name).write_text(
        f"Get trending papers in your email inbox!\n\n{paper.title}\n\n{paper.abstract}\n", encoding="utf-8")
    with (project / "dumps" / "manifest.yml").open("a", encoding="utf-8") as manifest:
        manifest.write(f"  {name}: {{date: {date}}}\n")


def _own_template(project: Path) -> None:
    """The curator's own topic page, which prints a figure about the whole site."""
    (project / "templates").mkdir()
    (project / "templates" / "topic.html.j2").write_text(
        '{{ front_matter(title=topic.name ~ (" " ~ page_number if page_number > 1 else "")) }}\n'
        "<h1>{{ topic.name }}</h1>\n<p>One of {{ site.digests | length }} digests' topics.</p>\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      dumps: dumps\n", "      dumps: dumps\n      templates: templates\n", 1), encoding="utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "hidden paper": _hide_paper,
    "curator note": _add_note,
    "topic rule": _add_rule,
    "new dump": _add_dump,
    "edited dump": _change_abstract,
    "older dump repeating a paper": lambda project: _repeat_paper(project, "000_older.txt", "2025-03-01"),
    "newer dump repeating a paper": lambda project: _repeat_paper(project, "003_newer.txt", "2025-04-30"),
}

SECOND_CHANGES: dict[str, tuple[Callable[[Path], None], Callable[[Path], None]]] = {
    "hidden, then shown again": (_hide_paper, _show_again),
    "own template, then a new dump": (_own_template, _add_dump),
    "a note, then an older dump": (_add_note, CHANGES["older dump repeating a paper"]),
}


def _serve_through(tmp_path: Path, changes: tuple[Callable[[Path], None], ...]) -> None:
    """Serve a project, rebuild after each change, and compare the result with a clean build."""
    project = make_project(tmp_path / "p", _dump_bytes(), MANIFEST)
    served = tmp_path / "served"
    _build(project, served, serve=True)
    for change in changes:
        change(project)
        _build(project, served, serve=True)
    _build(project, tmp_path / "clean", serve=False)
    _same_site(served, tmp_path / "clean")


@pytest.mark.build
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_rebuild_after_one_change_matches_a_clean_build(tmp_path, session, change):
    _serve_through(tmp_path, (CHANGES[change],))
    memo = next(iter(session.memos.values()))
    assert isinstance(memo, Memo) and memo.directory is None


@pytest.mark.build
@pytest.mark.parametrize("changes", sorted(SECOND_CHANGES))
def test_a_rebuild_after_a_second_change_matches_a_clean_build(tmp_path, session, changes):
    _serve_through(tmp_path, SECOND_CHANGES[changes])


@pytest.mark.build
def test_a_curator_note_rebuilds_only_the_pages_that_show_it(tmp_path, session, caplog):
    project = make_project(tmp_path / "p", _dump_bytes(), MANIFEST)
    served = tmp_path / "served"
    _build(project, served, serve=True)
    before = {path: data for path, data in folder_bytes(served).items() if path.endswith(".html")}
    caplog.clear()
    caplog.set_level(logging.INFO, logger="mkdocs")
    _add_note(project)
    _build(project, served, serve=True)
    after = {path: data for path, data in folder_bytes(served).items() if path.endswith(".html")}
    rewritten = {path for path in after if after[path] != before.get(path)}
    slug = _first_slug(project)
    assert f"papers/{slug}/index.html" in rewritten
    papers = [path for path in after if path.startswith("papers/") and path.count("/") == 2]
    assert len(rewritten) < len(papers) / 4, sorted(rewritten)
    report = [r.getMessage() for r in caplog.records if r.getMessage().startswith("rebuild:")]
    assert len(report) == 1 and report[0].startswith("rebuild: curation.yml changed; ")
    assert "search index unchanged" in report[0] or "search index rebuilt" in report[0]
    # What the line calls changed is what MkDocs wrote anew: no page whose text stayed the same.
    assert int(re.search(r"(\d+) changed", report[0]).group(1)) == len(rewritten), sorted(rewritten)


@pytest.mark.build
def test_the_build_cache_gives_the_same_site_and_is_used(tmp_path, session, monkeypatch):
    project = make_project(tmp_path / "p", _dump_bytes(), MANIFEST)
    _build(project, tmp_path / "plain", serve=False)
    monkeypatch.setenv("DIGEST_CACHE", ".cache/digest")
    _build(project, tmp_path / "first", serve=False)
    stored = sorted(p.name for p in (project / ".cache" / "digest").rglob("*.pickle"))
    assert stored == ["classify.pickle", "parse.pickle", "related.pickle"]
    session.memos.clear()  # a new process: only the folder remains
    _build(project, tmp_path / "second", serve=False)
    memo = next(iter(session.memos.values()))
    assert memo.directory == project / ".cache" / "digest"
    _same_site(tmp_path / "first", tmp_path / "plain")
    _same_site(tmp_path / "second", tmp_path / "plain")


@pytest.mark.build
def test_the_build_cache_keeps_the_search_index_and_gives_the_same_one(tmp_path, session, monkeypatch, caplog):
    project = make_project(tmp_path / "p", _dump_bytes(), MANIFEST)
    _build(project, tmp_path / "plain", serve=False, search=True)
    monkeypatch.setenv("DIGEST_CACHE", ".cache/digest")
    _build(project, tmp_path / "first", serve=False, search=True)
    session.memos.clear()  # a new process: only the folder remains
    caplog.clear()
    with caplog.at_level(logging.INFO):
        _build(project, tmp_path / "second", serve=False, search=True)
    summary = [r.getMessage() for r in caplog.records if r.getMessage().startswith("search index:")]
    assert len(summary) == 1 and summary[0].endswith("; all from the build cache"), summary
    _same_site(tmp_path / "first", tmp_path / "plain")
    _same_site(tmp_path / "second", tmp_path / "plain")
    CHANGES["curator note"](project)  # a searchable change: the index is built again
    _build(project, tmp_path / "third", serve=False, search=True)
    monkeypatch.delenv("DIGEST_CACHE")
    session.memos.clear()
    _build(project, tmp_path / "clean", serve=False, search=True)
    _same_site(tmp_path / "third", tmp_path / "clean")


def test_a_damaged_cache_file_is_a_miss_not_a_failure(tmp_path):
    memo = Memo(tmp_path, persist=("parse",))
    assert memo.get("parse", "k", lambda: 1) == 1
    memo.finish()
    for path in tmp_path.rglob("*.pickle"):
        path.write_bytes(b"not a pickle")
    again = Memo(tmp_path, persist=("parse",))
    assert again.get("parse", "k", lambda: 2) == 2


def test_an_older_generators_cache_goes_search_bundles_and_all(tmp_path):
    stale = tmp_path / "0123456789abcdef" / "search" / "key" / "fragment"
    stale.mkdir(parents=True)
    (stale / "en_1.pf_fragment").write_bytes(b"old")
    memo = Memo(tmp_path, persist=("parse",))
    memo.get("parse", "k", lambda: 1)
    memo.finish()
    assert [p.name for p in tmp_path.iterdir()] == [generator_version()]


def test_a_memo_keeps_only_what_the_last_build_used():
    memo = Memo()
    memo.get("parse", "a", lambda: 1)
    memo.get("parse", "b", lambda: 2)
    memo.finish()
    assert memo.get("parse", "a", lambda: 10) == 1  # reused
    memo.finish()
    assert memo.get("parse", "b", lambda: 20) == 20  # dropped: the last build did not use it


@pytest.mark.build
@pytest.mark.parametrize("change", ["curator note", "hidden paper"])
def test_the_search_index_follows_a_rebuild(tmp_path, session, change):
    project = make_project(tmp_path / "p", _dump_bytes(), MANIFEST)
    served = tmp_path / "served"
    _build(project, served, serve=True, search=True)
    CHANGES[change](project)
    _build(project, served, serve=True, search=True)
    _build(project, tmp_path / "clean", serve=False, search=True)
    _same_site(served, tmp_path / "clean")


@pytest.mark.build
def test_serve_indexes_again_only_the_years_a_change_touched(tmp_path, session, caplog):
    project = make_project(tmp_path / "p", _dump_bytes(), MANIFEST.replace("2025-03-11", "2024-03-11"))
    served = tmp_path / "served"
    _build(project, served, serve=True, search=True, split_from=1)
    assert (served / "pagefind" / "2024" / "pagefind-entry.json").is_file()
    CHANGES["curator note"](project)  # a note on one paper: one year's pages change
    caplog.clear()
    with caplog.at_level(logging.INFO):
        _build(project, served, serve=True, search=True, split_from=1)
    summary = [r.getMessage() for r in caplog.records if r.getMessage().startswith("search index:")]
    assert len(summary) == 1 and summary[0].endswith("from the build cache (written after the pages)"), summary
    assert "; all from" not in summary[0]
    _build(project, tmp_path / "clean", serve=False, search=True, split_from=1)
    _same_site(served, tmp_path / "clean")


@pytest.mark.build
def test_a_serve_build_runs_without_the_collector_and_turns_it_on_after(tmp_path, session, monkeypatch):
    import gc

    from generator.mkdocs.plugin import DigestPlugin

    during: list[bool] = []
    post_page = DigestPlugin.on_post_page

    def watching(self, output, page, config):
        during.append(gc.isenabled())
        return post_page(self, output, page, config)

    monkeypatch.setattr(DigestPlugin, "on_post_page", watching)
    project = make_project(tmp_path / "p", _dump_bytes(), MANIFEST)
    _build(project, tmp_path / "served", serve=True)
    assert during and not any(during), "the collector ran while MkDocs wrote the pages"
    assert gc.isenabled()
    session.postpone_collection()  # the idle collection would otherwise outlive the test
