"""Pagefind fed the generated pages: the index it writes, and how it fails and stops."""

from __future__ import annotations

import gzip
import json
import os
import time

import pytest
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from generator.mkdocs.search_index import SearchIndex, SearchIndexError, bundle_order, year_bundles

from ..conftest import GOOD_DUMP as GOOD, TWO_DUMPS_MANIFEST as MANIFEST, configured, folder_bytes, make_project

PAPER = """<!doctype html><html lang="en"><head><title>{title} - Paper digest</title></head><body>
<nav>Home Papers Topics</nav>
<div data-pagefind-body><h1 id="t">{title}<a class="headerlink" href="#t">¶</a></h1><p>{text}</p>
<p data-pagefind-ignore="all">Topics: Quantization</p></div></body></html>"""
HOME = '<!doctype html><html lang="en"><head><title>Home</title></head><body><h1>Home</h1></body></html>'


def fake_pagefind(tmp_path, script: str) -> str:
    path = tmp_path / "pagefind"
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def fragments(bundle) -> dict[str, dict]:
    """The indexed pages by URL (each fragment is gzip: a signature, then JSON)."""
    pages = [json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])
             for f in (bundle / "fragment").glob("*.pf_fragment")]
    return {page["url"]: page for page in pages}


def test_pages_are_indexed_at_their_directory_urls_with_the_cli_rules(tmp_path):
    index = SearchIndex(tmp_path / "site" / "pagefind")
    index.add("index.html", HOME)
    index.add("papers/low-bit-llms/index.html", PAPER.format(title="Low-bit LLMs", text="Four-bit weights."))
    index.add("papers/sparse-moe/index.html", PAPER.format(title="Sparse MoE", text="Experts routed sparsely."))
    summary = index.finish()

    assert summary == "2 pages indexed (en) into pagefind/"
    assert index.helper.poll() == 0
    pages = fragments(tmp_path / "site" / "pagefind")
    # Only pages with data-pagefind-body, as when Pagefind reads a built site.
    assert sorted(pages) == ["/papers/low-bit-llms/", "/papers/sparse-moe/"]
    paper = pages["/papers/low-bit-llms/"]
    assert paper["meta"]["title"] == "Low-bit LLMs"
    assert "Four-bit weights." in paper["content"]
    assert "¶" not in paper["content"] and "Topics" not in paper["content"] and "Home" not in paper["content"]
    assert (tmp_path / "site" / "pagefind" / "pagefind.js").stat().st_size > 0


def dated(title: str, date: str) -> str:
    return PAPER.format(title=title, text=f'Routed sparsely. <span hidden data-pagefind-sort="date">{date}</span>')


def test_earlier_years_get_bundles_of_their_own_that_the_main_one_names(tmp_path):
    bodies = [dated("Sparse MoE", "2026-02-01"), dated("Low-bit LLMs", "2025-07-04"),
              dated("Pruning", "2024-12-31"), PAPER.format(title="Quantization", text="A topic page.")]
    newest, bundles = year_bundles(bodies, split_from=3)
    assert (newest, bundles) == ("2026", ["", "2025", "2024", ""])
    index = SearchIndex(tmp_path / "pagefind", newest)
    pages = sorted(enumerate(zip(bodies, bundles)), key=lambda page: bundle_order(page[1][1]))
    assert [n for n, _ in pages] == [0, 3, 1, 2]  # the main bundle, then the years from the newest
    for n, (body, bundle) in pages:
        index.add(f"p{n}/index.html", body, bundle)
    assert index.finish() == "4 pages indexed (en) into pagefind/: main 2, 2025 1, 2024 1"

    main = tmp_path / "pagefind"
    assert sorted(fragments(main)) == ["/p0/", "/p3/"]
    assert sorted(fragments(main / "2025")) == ["/p1/"] and sorted(fragments(main / "2024")) == ["/p2/"]
    assert json.loads((main / "bundles.json").read_text()) == {"main": "2026", "older": ["2025", "2024"]}
    # A merged bundle is searched with the main bundle's script and WebAssembly: only its index is written.
    assert (main / "pagefind.js").is_file() and not (main / "2025" / "pagefind.js").exists()
    assert not list((main / "2025").glob("wasm.*")) and (main / "2025" / "pagefind-entry.json").is_file()


def test_a_bundle_whose_pages_come_apart_is_an_error_not_a_wrong_index(tmp_path):
    index = SearchIndex(tmp_path / "pagefind", "2026")
    index.add("a/index.html", dated("A", "2026-02-01"))
    index.add("b/index.html", dated("B", "2025-02-01"), "2025")
    index.add("c/index.html", dated("C", "2026-03-01"))
    with pytest.raises(SearchIndexError, match="the pages of bundle main came apart"):
        index.finish()


def test_small_or_single_year_archives_keep_one_bundle(tmp_path):
    bodies = [dated("A", "2026-02-01"), dated("B", "2025-07-04")]
    assert year_bundles(bodies, split_from=3) == ("", ["", ""])
    assert year_bundles([dated("A", "2026-02-01"), dated("B", "2026-03-01")], split_from=1) == ("", ["", ""])
    index = SearchIndex(tmp_path / "pagefind")
    index.add("a/index.html", bodies[0])
    index.finish()
    assert json.loads((tmp_path / "pagefind" / "bundles.json").read_text()) == {"main": "", "older": []}
    other = SearchIndex(tmp_path / "other")
    with pytest.raises(ValueError, match="not a bundle name"):
        other.add("b/index.html", bodies[1], "../up")
    other.abort()


def test_a_missing_pagefind_is_one_clear_error_before_any_page(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(SearchIndexError, match=r"^could not run Pagefind: .*no-such-pagefind is missing"):
        SearchIndex(tmp_path / "pagefind")


def gone(pid: int) -> bool:
    """Whether a process has ended and been reaped, waiting up to 5 s for it."""
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_pagefind_stopping_fails_with_its_last_words_and_nothing_left_running(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", fake_pagefind(tmp_path, "echo 'thread panicked: out of cheese' >&2; exit 3"))
    index = SearchIndex(tmp_path / "pagefind")
    for n in range(50):
        index.add(f"papers/p{n}/index.html", PAPER.format(title=f"Paper {n}", text="x " * 5000))
    with pytest.raises(SearchIndexError, match=r"^Pagefind stopped: thread panicked: out of cheese$"):
        index.finish()
    assert index.helper.poll() == 1 and not index.feeder.is_alive()


def test_a_silent_pagefind_times_out_instead_of_hanging_the_build(tmp_path, monkeypatch):
    pid_file = tmp_path / "pid"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", fake_pagefind(tmp_path, f"echo $$ > {pid_file}; exec sleep 600"))
    monkeypatch.setattr("generator.mkdocs.search_index.TIMEOUT", 1)
    index = SearchIndex(tmp_path / "pagefind")
    for n in range(50):  # more than the pipes hold: the helper and the feeder are stuck writing
        index.add(f"papers/p{n}/index.html", PAPER.format(title=f"Paper {n}", text="x " * 5000))
    for _ in range(100):  # on a busy machine the helper may take a while to start "Pagefind"
        if pid_file.exists() and pid_file.read_text().strip():
            break
        time.sleep(0.1)
    with pytest.raises(SearchIndexError, match="did not finish the index within 1 s"):
        index.finish()
    assert index.helper.poll() is not None and not index.feeder.is_alive()
    assert gone(int(pid_file.read_text()))  # the hung "Pagefind" too, not only the helper


def test_a_failed_build_stops_pagefind(tmp_path):
    project = make_project(tmp_path / "p", {"001.txt": GOOD}, MANIFEST)
    config, plugin = configured(project, search=True)
    plugin.on_files(Files([]), config)  # renders the pages and hands the searchable ones to Pagefind
    index = plugin.search_index
    plugin.on_build_error(RuntimeError("a page failed"))
    assert plugin.search_index is None and index.helper.poll() is not None
    plugin.on_post_build(config)  # nothing to finish: no error


def test_the_plugin_reports_pagefind_failing_as_one_line(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p", {"001.txt": GOOD}, MANIFEST)
    config, plugin = configured(project, search=True)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "gone"))
    with pytest.raises(PluginError, match=r"^could not run Pagefind: [^\n]*$"):
        plugin.on_files(Files([]), config)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", fake_pagefind(tmp_path, "echo 'disk full' >&2; exit 1"))
    plugin.on_files(Files([]), config)
    with pytest.raises(PluginError, match=r"^Pagefind stopped: disk full$"):
        plugin.on_post_build(config)


def test_search_false_starts_no_pagefind(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p", {"001.txt": GOOD}, MANIFEST)
    yml = project / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("curation: curation.yml", "curation: curation.yml\n      search: false"),
                   encoding="utf-8")
    config, plugin = configured(project, search=True)
    assert plugin.config.search is False
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "gone"))  # would fail if started
    plugin.on_files(Files([]), config)
    plugin.on_post_build(config)
    assert plugin.search_index is None



def test_the_index_matches_one_read_from_the_built_site(built_site, tmp_path):
    """Pagefind is fed the generated pages before MkDocs writes them; reading the
    finished site afterwards (the CLI, as before) must index the same text and meta."""
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "site"
    shutil.copytree(built_site, copy, ignore=shutil.ignore_patterns("pagefind"))
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(copy), "--exclude-selectors", ".headerlink",
                    "--quiet"], check=True)
    early, late = fragments(built_site / "pagefind"), fragments(copy / "pagefind")
    assert len(early) > 400 and early == late


def _index_with_cache(output, cache, years: dict[str, list[tuple[str, str]]]) -> str:
    index = SearchIndex(output, "2026" if len(years) > 1 else "", cache)
    for bundle, pages in years.items():
        index.add_bundle(bundle, pages)
    return index.finish()


def test_the_build_cache_reuses_a_bundle_of_the_same_pages_and_rebuilds_a_changed_one(tmp_path):
    cache = tmp_path / "cache"
    years = {"": [("a/index.html", dated("Sparse MoE", "2026-02-01")), ("t/index.html", HOME)],
             "2025": [("b/index.html", dated("Low-bit LLMs", "2025-07-04"))],
             "2024": [("c/index.html", dated("Pruning", "2024-12-31"))]}
    assert _index_with_cache(tmp_path / "plain", None, years) == \
        "3 pages indexed (en) into plain/: main 1, 2025 1, 2024 1"
    assert _index_with_cache(tmp_path / "first", cache, years) == \
        "3 pages indexed (en) into first/: main 1, 2025 1, 2024 1"
    assert len(list(cache.iterdir())) == 3
    assert _index_with_cache(tmp_path / "second", cache, years).endswith("; all from the build cache")

    years["2025"] = [("b/index.html", dated("Low-bit LLMs, revised", "2025-07-04"))]
    assert _index_with_cache(tmp_path / "third", cache, years).endswith("; main, 2024 from the build cache")
    assert _index_with_cache(tmp_path / "fresh", None, years).endswith("2024 1")

    plain, first, second = (folder_bytes(tmp_path / name) for name in ("plain", "first", "second"))
    assert first == plain and second == plain  # byte for byte, as without the cache
    assert folder_bytes(tmp_path / "third") == folder_bytes(tmp_path / "fresh")
    assert len(list(cache.iterdir())) == 3  # the old 2025 bundle went; nothing half-written stays


def test_a_bundle_gone_from_the_cache_meanwhile_is_one_clear_error(tmp_path):
    """Between the plugin finding a bundle in the cache and the helper copying it, another
    build may have removed it: the helper says so, rather than write an empty index."""
    import subprocess
    import sys

    from generator.mkdocs import search_index

    (tmp_path / "cache").mkdir()
    run = subprocess.run([sys.executable, "-I", str(search_index._SERVICE), search_index._pagefind_binary(),
                          str(tmp_path / "out"), "", str(tmp_path / "cache")],
                         input=b"reuse - 0123abcd\nfinish\n", capture_output=True, timeout=60)
    assert run.returncode == 1
    assert run.stdout.decode().strip().startswith("could not take the search bundle main from the build cache")


def test_a_cache_folder_without_an_index_is_not_reused(tmp_path):
    cache = tmp_path / "cache"
    pages = [("a/index.html", dated("Sparse MoE", "2026-02-01"))]
    _index_with_cache(tmp_path / "first", cache, {"": pages})
    for stored in cache.iterdir():
        (stored / "pagefind-entry.json").unlink()  # as a partial restore might leave it
    assert _index_with_cache(tmp_path / "second", cache, {"": pages}) == "1 pages indexed (en) into second/"
    assert folder_bytes(tmp_path / "second") == folder_bytes(tmp_path / "first")


def test_a_cache_that_cannot_be_written_only_means_no_reuse(tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    pages = [("a/index.html", dated("Sparse MoE", "2026-02-01"))]
    for run in ("first", "second"):
        assert _index_with_cache(tmp_path / run, blocked, {"": pages}) == f"1 pages indexed (en) into {run}/"
    assert folder_bytes(tmp_path / "first") == folder_bytes(tmp_path / "second")
