"""Feeds as a reader finds them: a feed column on the topics index, one OPML file
with every feed, and a feed opened in the browser shown as a readable page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_topics_index_links_each_topic_feed_and_the_opml(reader):
    reader.open("/topics/")
    # Topic rows, not the area headings between them nor the Unsorted row.
    rows = reader.content.locator("tbody tr").filter(has=reader.page.locator("td")).filter(has_not_text="Unsorted")
    assert rows.count() > 5
    for n in range(rows.count()):
        feed = rows.nth(n).locator("td").last.locator("a")
        assert feed.get_attribute("href").endswith("feed.xml")
    opml = reader.content.locator("a", has_text="feeds.opml")
    response = reader.page.request.get(opml.evaluate("a => a.href"))
    assert response.ok
    outlines = ET.fromstring(response.body()).findall("./body/outline")
    urls = {o.get("xmlUrl").rsplit("/", 3)[-3:][-1] for o in outlines}
    assert len(outlines) == rows.count() + 1 and urls == {"feed.xml"}


def test_a_feed_opened_in_the_browser_reads_as_a_page(reader):
    reader.open("/topics/")
    feed = reader.content.locator("tbody tr").filter(has=reader.page.locator("td")).first.locator("td").last.locator("a")
    feed.click()
    heading = reader.page.locator("h1")
    expect(heading).to_contain_text("Paper digest: ")
    expect(reader.page.locator("p.about")).to_contain_text("feed reader")
    first = reader.page.locator("ol li a").first
    title, href = first.inner_text(), first.evaluate("a => a.href")
    assert "/papers/" in href
    # The build's site_url is the preview address, not this test server's port: open the path here.
    reader.open(urlsplit(href).path)
    assert reader.heading() == title
