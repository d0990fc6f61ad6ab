"""Search as a reader uses it: every result, excerpts that show the match, filters,
sort, titles first, and the keyboard."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import search

pytestmark = pytest.mark.browser

WORD = "quantization"


def matching(reader) -> int:
    meta = reader.page.locator(".md-search-result__meta")
    expect(meta).to_contain_text("matching")
    return int(re.search(r"\d+", meta.inner_text()).group(0))


def test_show_more_lists_every_result(reader):
    reader.open("/")
    results = search(reader.page, WORD)
    total = matching(reader)
    assert total > 10, "the shipped site should have more than a page of quantization papers"
    expect(results).to_have_count(10)
    while reader.page.locator(".digest-more button").count():
        before = results.count()
        reader.page.locator(".digest-more button").click()
        expect(results).not_to_have_count(before)
    expect(results).to_have_count(total)


def test_results_show_the_matched_words_and_titles_rank_first(reader):
    reader.open("/")
    results = search(reader.page, WORD)
    expect(results.first.locator("mark").first).to_be_visible()
    marked = results.locator("mark").all_inner_texts()
    assert marked and all("quantiz" in m.lower() for m in marked)
    titles = [t.lower() for t in results.locator("h1").all_inner_texts()]
    with_word = [WORD[:7] in t for t in titles]
    # Every result whose title has the word comes before every one whose title does not.
    assert with_word[0] and with_word == sorted(with_word, reverse=True), titles


def sort_date(site, url: str) -> str:
    path = urlsplit(url).path.strip("/")
    page = (site / path / "index.html").read_text(encoding="utf-8")
    found = re.search(r'data-pagefind-sort="date">([^<]+)<', page)
    return found.group(1) if found else ""


def open_filters(reader) -> None:
    """The topic and digest filters, which the reader opens (their lists are fetched then)."""
    reader.page.get_by_role("button", name="Filter by topic or digest").click()
    expect(reader.page.locator("select[data-filter=topic]")).to_be_focused()


def test_filter_lists_are_fetched_only_when_the_reader_opens_them(reader):
    reader.open("/")
    search(reader.page, WORD)
    matching(reader)
    assert not [url for url in reader.watch.requests if url.endswith(".pf_filter")]
    open_filters(reader)
    assert [url for url in reader.watch.requests if url.endswith(".pf_filter")]
    expect(reader.page.locator("select[data-filter=topic] option")).not_to_have_count(1)
    expect(reader.page.get_by_role("button", name="Filter by topic or digest")).to_be_hidden()


def test_a_topic_filter_narrows_and_a_date_sort_reorders(reader, built_site):
    reader.open("/")
    results = search(reader.page, "model")
    total = matching(reader)
    open_filters(reader)
    topic = reader.page.locator("select[data-filter=topic]")
    topic.select_option("Quantization & Low Precision")
    expect(reader.page.locator(".md-search-result__meta")).not_to_have_text(re.compile(rf"^{total} "))
    narrowed = matching(reader)
    assert 0 < narrowed < total
    reader.page.locator("select[data-filter=digest]").select_option(index=1)
    expect(results.first).to_be_visible()
    assert matching(reader) <= narrowed
    reader.page.locator("select[data-filter=digest]").select_option("")
    topic.select_option("")
    firsts = []
    for order, newest_first in (("desc", True), ("asc", False)):
        before = results.first.evaluate("a => a.href")
        reader.page.locator("select[data-sort]").select_option(order)
        reader.page.wait_for_function("href => document.querySelector('a.md-search-result__link') && "
                                      "document.querySelector('a.md-search-result__link').href !== href", arg=before)
        dates = [sort_date(built_site, href) for href in results.evaluate_all("links => links.map(a => a.href)")]
        assert dates == sorted(dates, reverse=newest_first), dates
        # Pages without a date (topic pages, undated papers) still follow the dated ones.
        assert matching(reader) == total
        firsts.append(dates[0])
    assert firsts[0] > firsts[1], firsts  # newest first starts later than oldest first


def test_arrow_keys_and_enter_open_a_result(reader):
    reader.open("/")
    results = search(reader.page, WORD)
    box = reader.page.locator("input.md-search__input")
    box.press("ArrowDown")
    expect(results.nth(0)).to_be_focused()
    reader.page.keyboard.press("ArrowDown")
    expect(results.nth(1)).to_be_focused()
    reader.page.keyboard.press("ArrowUp")
    reader.page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    reader.page.keyboard.press("ArrowDown")
    reader.page.keyboard.press("ArrowDown")
    href = results.nth(1).evaluate("a => a.href")
    reader.page.keyboard.press("Enter")
    reader.page.wait_for_url(href)
    assert reader.path().startswith("/papers/")


def test_slash_then_typing_at_once_searches_every_letter(reader):
    reader.open("/topics/")
    reader.page.keyboard.press("/")
    reader.page.keyboard.type(WORD)
    expect(reader.page.locator("input.md-search__input")).to_have_value(WORD)
    expect(reader.page.locator("a.md-search-result__link").first).to_be_visible()
