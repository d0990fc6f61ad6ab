"""The benchmark itself, run small so it cannot rot (budgets are checked at N=10,000 by hand)."""

from __future__ import annotations

import json
import os

import pytest

from generator.dev import bench
from generator.ingest.junk import refusal
from generator.pipeline import Sources, gather_site


pytestmark = pytest.mark.build


def test_synthetic_corpus_is_deterministic_and_distinct(seed_project):
    seeds = bench.seed_papers(seed_project)
    assert len(seeds) == 410
    corpus = bench.synthetic_corpus(seeds, 1000)
    assert corpus == bench.synthetic_corpus(seeds, 1000)
    assert len({title.lower() for title, _ in corpus}) == 1000


def test_every_synthetic_paper_is_one_the_junk_rules_publish(seed_project):
    # At 10,000 papers, swapped words once made 35 titles look like wrapped lines, and the build stopped.
    corpus = bench.synthetic_corpus(bench.seed_papers(seed_project), 12_000)
    assert [title for title, abstract in corpus if refusal(title, abstract)] == []


def test_a_small_benchmark_runs_end_to_end(seed_project, tmp_path):
    report = bench.run(120, seed_project, keep=tmp_path, runs=2)
    assert report.papers == 120
    # Every run is kept; the figures reported are the median ones.
    assert len(report.stage_totals) == len(report.full_seconds) == len(report.bare_seconds) == 2
    assert report.full.seconds == min(report.full_seconds)  # the lower middle of two
    assert report.stages["total"] == pytest.approx(sum(report.stage_totals) / 2, abs=1e-3)
    assert "median of 2 runs" in bench.format_report(report)
    assert len(report.loop_seconds) == 3 and all(seconds > 0 for seconds in report.loop_seconds)
    assert "machine speed: a 10,000,000-step Python loop on every core at once took " in bench.format_report(report)
    assert set(report.stages) >= {"parse", "merge", "classify + related", "render", "total"}
    assert report.full.html_pages > 120 and report.bare.html_pages == 122  # the papers, home and 404
    assert report.full.peak_rss_mb > 0 and report.full.peak_all_mb > 0 and report.bare.seconds > 0
    assert 0 < report.paper_page_kb_mean <= report.paper_page_kb_max
    assert report.search_first_query_kb > 0 and report.search_detail.startswith("pagefind")
    # The shipped theme has instant navigation off, so a cold visit does not fetch the sitemap.
    assert report.cold_visit_kb > 0 and "no sitemap.xml" in report.cold_visit_detail
    assert "cold visit downloads" in bench.format_report(report)
    figures = json.loads(bench.to_json(report))
    assert figures["ratio"] == pytest.approx(report.full.seconds / report.bare.seconds, rel=1e-2)
    rebuilt = report.rebuilds
    assert all(isinstance(rebuilt[label], float) and rebuilt[label] > 0
               for label in ("first build", "curator note", "topic rule", "new 100-paper dump"))
    assert rebuilt["curator note: what was rebuilt"].startswith("rebuild: curation.yml changed; ")
    assert rebuilt["new 100-paper dump: what was rebuilt"].startswith("rebuild: dumps/")
    assert "serve --dirty, curator note: " in bench.format_report(report)
    assert set(report.cached_builds) == {"nothing changed", "one new 100-paper dump"}
    assert all(seconds > 0 for seconds in report.cached_builds.values())
    assert "full build with a warm build cache, nothing changed: " in bench.format_report(report)
    # The synthetic project is a real one: its dumps gather without a single warning.
    assert gather_site(Sources(tmp_path / "full")).diagnostics == ()


def test_the_median_run_is_reported_with_the_worst_memory():
    def result(seconds, rss):
        return bench.BuildResult(seconds=seconds, peak_rss_mb=rss, site_mb=1.0, html_pages=1,
                                 largest_page_kb=1.0, largest_page="index.html")

    runs = [result(30.0, 900.0), result(25.0, 1200.0), result(40.0, 1000.0)]
    assert bench._median_run(runs) == result(30.0, 1200.0)
    assert bench._median_run(runs[:2]) == result(25.0, 1200.0)  # the lower middle of two


def test_a_cold_visit_counts_the_page_its_assets_and_the_sitemap_under_instant_navigation(tmp_path):
    import gzip

    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.css").write_text("body{}" * 100)
    (tmp_path / "assets" / "b.js").write_text("var x;" * 100)
    (tmp_path / "sitemap.xml").write_text("<url>x</url>" * 1000)
    page = ('<link rel="stylesheet" href="assets/a.css"><script src="assets/b.js"></script>'
            '<script src="https://elsewhere.example/c.js"></script><script id="__config">{FEATURES}</script>')

    def wire(*names):
        return round(sum(len(gzip.compress((tmp_path / n).read_bytes(), 6, mtime=0)) for n in names) / 1024, 1)

    (tmp_path / "index.html").write_text(page.replace("{FEATURES}", '{"features": []}'))
    kb, detail = bench.cold_visit_bytes(tmp_path)
    assert kb == wire("index.html", "assets/a.css", "assets/b.js") and "2 assets" in detail
    (tmp_path / "index.html").write_text(page.replace("{FEATURES}", '{"features": ["navigation.instant"]}'))
    kb, detail = bench.cold_visit_bytes(tmp_path)
    assert kb == wire("index.html", "assets/a.css", "assets/b.js", "sitemap.xml") and "plus sitemap.xml" in detail


def test_memory_is_counted_over_the_build_and_its_helpers():
    import subprocess
    import sys

    own = bench._tree_rss(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "import sys; b = bytearray(150 * 2**20); print(flush=True); "
                              "sys.stdin.read()"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        child.stdout.readline()  # the child holds its memory now
        assert bench._tree_rss(os.getpid()) >= own + 150 * 2**20
    finally:
        child.communicate()


def test_a_split_search_index_is_counted_for_the_newest_year_and_said_for_all(tmp_path):
    pagefind = tmp_path / "pagefind"
    for bundle, size in ((pagefind, 8000), (pagefind / "2024", 3000)):
        (bundle / "index").mkdir(parents=True)
        (bundle / "pagefind-entry.json").write_text("{}")
        (bundle / "index" / "en_1.pf_index").write_bytes(os.urandom(size))
    (pagefind / "bundles.json").write_text(json.dumps({"main": "2025", "older": ["2024"]}))
    kb, detail = bench.first_search_bytes(tmp_path)
    assert 7.8 < kb < 9  # the main bundle's chunk, not the earlier year's
    assert "of the newest year (2025) only: searching all 2 years fetches 3." in detail
