"""Search over an archive split into an index per year: a first search fetches
the newest year's index only, and the reader can add the earlier years."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..conftest import make_seed_project, mkdocs_build
from .conftest import DESKTOP, search
from .reader import Reader
from .server import SiteServer
from .test_search import matching, sort_date

pytestmark = pytest.mark.browser

EARLIER = "2024"


@pytest.fixture(scope="module")
def year_site(tmp_path_factory) -> Path:
    """The seed site with its first dump a year earlier, and an index per year from the first paper on."""
    project = make_seed_project(tmp_path_factory.mktemp("years") / "project")
    manifest = project / "dumps" / "manifest.yml"
    text = manifest.read_text(encoding="utf-8")
    assert "date: 2025-03-11" in text
    manifest.write_text(text.replace("date: 2025-03-11", f"date: {EARLIER}-03-11"), encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - digest:\n" in text
    config.write_text(text.replace("  - digest:\n", "  - digest:\n      search_split_from: 1\n"), encoding="utf-8")
    site = project / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    assert (site / "pagefind" / EARLIER / "pagefind-entry.json").is_file(), "the earlier year has no index"
    return site


@pytest.fixture
def year_reader(browser, year_site) -> Iterator[Reader]:
    with SiteServer(year_site) as server:
        context = browser.new_context(viewport=DESKTOP, color_scheme="light", locale="en-US")
        context.set_default_timeout(10_000)
        reader = Reader(context, server.origin)
        yield reader
        reader.assert_clean()
        context.close()


def shown_dates(reader, site: Path) -> list[str]:
    links = reader.page.locator("a.md-search-result__link")
    return [sort_date(site, href) for href in links.evaluate_all("links => links.map(a => a.href)")]


def settled_years(reader, site: Path, expected: set[str], timeout: float = 10) -> set[str]:
    """The years of the results shown, once they are ``expected`` or ``timeout`` seconds
    have passed: the count above the results is written before their links are."""
    deadline = time.monotonic() + timeout
    while (years := {date[:4] for date in shown_dates(reader, site)}) != expected and time.monotonic() < deadline:
        reader.page.wait_for_timeout(100)
    return years


def earlier_index_requests(reader) -> list[str]:
    return [url for url in reader.watch.requests if f"/pagefind/{EARLIER}/" in url]


def test_a_first_search_covers_the_newest_year_and_fetches_no_earlier_index(year_reader, year_site):
    year_reader.open("/")
    search(year_reader.page, "model")
    expect(year_reader.page.locator(".md-search-result__meta")).to_contain_text("in 2025")
    offer = year_reader.page.locator("[data-all-years] button")
    expect(offer).to_be_visible()
    expect(offer).to_have_text(f"Search earlier years too ({EARLIER})")
    assert all(date[:4] in ("2025", "") for date in shown_dates(year_reader, year_site))
    assert not earlier_index_requests(year_reader)


def test_earlier_years_add_to_the_results_and_a_date_sort_spans_them(year_reader, year_site):
    year_reader.open("/")
    results = search(year_reader.page, "model")
    newest = matching(year_reader)
    meta = year_reader.page.locator(".md-search-result__meta")

    year_reader.page.locator("[data-all-years] button").click()
    expect(meta).to_contain_text("in all years")
    every = matching(year_reader)
    assert earlier_index_requests(year_reader), "the earlier year's index was not fetched"
    expect(year_reader.page.locator("[data-all-years]")).to_be_hidden()

    year = year_reader.page.locator("select[data-year]")
    year.select_option(EARLIER)
    expect(meta).to_contain_text(f"in {EARLIER}")
    earlier = matching(year_reader)
    assert earlier > 0 and every == newest + earlier
    assert settled_years(year_reader, year_site, {EARLIER}) == {EARLIER}

    # Oldest first over all years: the earlier year's papers come first, in date order, then the newest year's.
    year.select_option("all")
    expect(meta).to_have_text(re.compile(r"in all years$"))
    before = results.first.evaluate("a => a.href")
    year_reader.page.locator("select[data-sort]").select_option("asc")
    year_reader.page.wait_for_function(
        "href => { const first = document.querySelector('a.md-search-result__link');"
        " return first && first.href !== href; }", arg=before)
    while year_reader.page.locator(".digest-more button").count():
        count = results.count()
        year_reader.page.locator(".digest-more button").click()
        expect(results).not_to_have_count(count)
    dates = [date for date in shown_dates(year_reader, year_site) if date]
    assert len(results.all()) == every
    assert dates == sorted(dates) and dates[0].startswith(EARLIER) and dates[-1].startswith("2025"), dates
