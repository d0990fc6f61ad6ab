"""A reader's paths through the site, in headless Chromium, by clicking real links.

Each test also ends with a check (see conftest.py) that no page it showed had
a JavaScript error or asked another host for anything.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import PHONE, search
from .site_facts import abstract_only_word, searchable_paper

pytestmark = pytest.mark.browser


def lists_link_to(reader, path: str) -> bool:
    """Whether the article links to ``path`` (compared as absolute URLs, so relative hrefs count)."""
    return reader.content.evaluate(
        "(article, url) => [...article.querySelectorAll('a')].some(a => a.href.split('#')[0] === url)",
        reader.origin + path,
    )


def test_home_to_topic_to_paper_to_related_to_digest_to_archive(reader):
    reader.open("/")
    assert reader.heading() == "Paper digest"

    # Home: the Topics table links every topic; take the first real one.
    topic_link = reader.content.locator("table a[href*='topics/']").filter(has_not_text="Unsorted").first
    topic_name = topic_link.inner_text()
    assert reader.follow(topic_link) == topic_name
    assert reader.path().startswith("/topics/")

    # Topic: every paper is listed by its title, in bold, linking to its page.
    paper_link = reader.content.locator("li strong a[href*='papers/']").first
    paper_title = paper_link.inner_text()
    assert reader.follow(paper_link) == paper_title
    first_paper = reader.path()
    assert first_paper.startswith("/papers/")

    # Paper: the "Related papers" section links other papers.
    related = reader.content.locator("h2#related-papers + ul > li > a")
    assert related.count() > 0, (
        f"{first_paper} has no 'Related papers' section (h2#related-papers followed by a list of links); "
        "if generator/enrich/related.py is not wired into the paper page yet, this is why"
    )
    related_title = related.first.inner_text()
    assert reader.follow(related.first) == related_title
    related_paper = reader.path()
    assert related_paper.startswith("/papers/") and related_paper != first_paper

    # Related paper -> a digest it appeared in; the digest lists it back.
    digest_link = reader.content.locator("h2#appeared-in + ul a").first
    digest_title = digest_link.inner_text()
    assert reader.follow(digest_link) == digest_title
    digest = reader.path()
    assert digest.startswith("/digests/")
    assert lists_link_to(reader, related_paper), f"{digest} does not list {related_paper}"

    # Digest -> the archive, through the site's navigation; it links the digest back.
    archive_link = nav_link(reader.page, "Digests")
    assert reader.follow(archive_link) == "Digests"
    assert reader.path() == "/digests/"
    assert lists_link_to(reader, digest), f"the archive does not list {digest}"


def nav_link(page: Page, name: str) -> Locator:
    """The site navigation's link to a section (not the page's table of contents, which shares the nav)."""
    return page.locator("nav.md-nav--primary > ul > li > a.md-nav__link").filter(
        has_text=re.compile(rf"^\s*{re.escape(name)}\s*$")
    )


def test_search_finds_a_paper_by_a_word_of_its_title(reader, built_site):
    paper, word = searchable_paper(built_site)
    reader.open("/")
    results = search(reader.page, word)
    hit = results.filter(has_text=paper.title).first
    expect(hit).to_be_visible()
    # The result's summary is Pagefind's excerpt, the searched word marked.
    expect(hit.locator("mark").first).to_contain_text(re.compile(re.escape(word), re.I))
    hit.click()
    reader.page.wait_for_url(lambda url: paper.path in url)
    assert reader.heading() == paper.title
    assert reader.path() == paper.path


def test_search_finds_a_paper_by_a_word_only_its_abstract_has(reader, built_site):
    # The index holds the abstract as shown, so that excerpts read as prose.
    paper, word = abstract_only_word(built_site)
    reader.open("/")
    expect(search(reader.page, word).filter(has_text=paper.title).first).to_be_visible()


def test_palette_toggle_switches_light_and_dark(reader):
    reader.open("/")
    body = reader.page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light_background = body.evaluate("el => getComputedStyle(el).backgroundColor")

    reader.page.locator("label.md-header__button[for^='__palette_']:visible").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    assert body.evaluate("el => getComputedStyle(el).backgroundColor") != light_background

    # The choice is remembered on the next page the reader opens.
    reader.open("/topics/")
    expect(reader.page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")

    reader.page.locator("label.md-header__button[for^='__palette_']:visible").click()
    expect(reader.page.locator("body")).to_have_attribute("data-md-color-scheme", "default")


def test_phone_reader_opens_the_menu_and_navigates(open_reader):
    reader = open_reader(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    reader.open("/")
    topics = nav_link(reader.page, "Topics")
    expect(topics).not_to_be_in_viewport()  # the drawer starts closed on a phone

    reader.page.locator("label.md-header__button[for='__drawer']").click()
    expect(topics).to_be_in_viewport()
    assert reader.follow(topics) == "Topics"
    assert reader.path() == "/topics/"
    expect(reader.page.locator("#__drawer")).not_to_be_checked()  # and closes after navigating


def test_missing_page_shows_the_themed_404(reader):
    reader.watch.expected_missing.add("/no-such-page/")
    reader.open("/no-such-page/", status=404)
    assert reader.heading() == "Page not found"
    expect(reader.page.locator("header.md-header")).to_be_visible()  # the theme's assets loaded from a nested path
    # It offers the latest digest, the topics and search.
    expect(reader.content.locator("a", has_text="Every topic")).to_have_attribute("href", "/topics/")
    latest = reader.content.locator("li", has_text="latest digest").locator("a")
    assert reader.page.request.get(latest.evaluate("a => a.href")).ok
    reader.content.locator(".digest-404-search").click()
    expect(reader.page.locator("input.md-search__input")).to_be_focused()
    reader.page.keyboard.press("Escape")
    home = reader.page.locator("header.md-header a.md-logo")
    home.click()
    reader.page.wait_for_url(reader.origin + "/")
    # Instant navigation may set the address before it swaps the article in.
    expect(reader.content.locator("h1").first).to_contain_text("Paper digest")
    assert reader.heading() == "Paper digest"
