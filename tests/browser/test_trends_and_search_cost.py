"""Trend charts as a reader sees them, and what a first search costs the reader."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import search

pytestmark = pytest.mark.browser

FIRST_SEARCH_BUDGET = 300 * 1024


def test_home_trend_chart_is_drawn_in_theme_colours_with_its_numbers_as_a_table(reader):
    reader.open("/")
    chart = reader.content.locator("svg.digest-heatmap")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] > 100 and box["height"] > 100
    # Labels use the theme's text colour, so they stay readable in dark mode.
    label = chart.locator("text").first
    light = label.evaluate("t => getComputedStyle(t).fill")
    # The same counts are readable without the picture: the topics table.
    table = reader.content.locator("table").filter(has_text="Quantization & Low Precision")
    expect(table).to_be_visible()
    header = table.locator("th").all_inner_texts()
    assert header[:2] == ["Topic", "Papers"] and "Mar 14" in header
    reader.page.locator("label.md-header__button[for^='__palette_']:visible").click()
    expect(reader.page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert label.evaluate("t => getComputedStyle(t).fill") != light


def test_topic_page_has_a_small_chart_and_its_numbers_in_words(reader):
    reader.open("/topics/quantization/")
    expect(reader.content.locator("svg.digest-chart")).to_be_visible()
    expect(reader.content.locator("figcaption")).to_contain_text("Per digest: Mar 11:")


def test_a_first_search_downloads_little(reader):
    reader.open("/")
    fetched: list[int] = []
    reader.page.on("requestfinished", lambda request: fetched.append(
        int(request.sizes()["responseBodySize"]) if "/pagefind/" in request.url else 0))
    results = search(reader.page, "quantization")
    expect(results.first).to_be_visible()
    reader.page.wait_for_timeout(500)
    assert 0 < sum(fetched) <= FIRST_SEARCH_BUDGET, f"{sum(fetched)} bytes"
