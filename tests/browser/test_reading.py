"""A reader's own tools: paper-page basics, the reading list, seen and new marks,
the keyboard; and the site without JavaScript."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from .site_facts import first_subpage

pytestmark = pytest.mark.browser


def test_a_paper_page_copies_its_bibtex_and_link_and_leads_to_the_next_paper(open_reader, built_site):
    reader = open_reader(permissions=["clipboard-read", "clipboard-write"])
    reader.open(first_subpage(built_site, "digests"))
    reader.follow(reader.content.locator("li[data-paper] strong a").first)
    abstract = reader.content.locator(".digest-abstract")
    # About 75 characters a line at a desktop width, not the full column.
    per_line = abstract.evaluate("""p => { const lines = Math.round(p.getBoundingClientRect().height /
                                                parseFloat(getComputedStyle(p).lineHeight));
                                         return p.textContent.length / Math.max(lines - 1, 1); }""")
    assert 55 <= per_line <= 85, f"{per_line:.0f} characters a line"
    reader.page.get_by_role("button", name="Copy BibTeX").click()
    copied = reader.page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{") and reader.heading().split(":")[0][:10].replace("{", "") in copied
    expect(reader.content.locator("details.digest-cite pre")).to_contain_text("@misc{")
    reader.page.get_by_role("button", name="Copy link").click()
    assert reader.page.evaluate("navigator.clipboard.readText()").endswith(reader.path())
    following = reader.content.locator("nav.digest-prevnext a").filter(has_text=re.compile(".")).last
    title = following.inner_text()
    assert reader.follow(following) == title


def test_saving_from_a_listing_and_a_paper_page_fills_the_saved_page_and_exports_bibtex(reader, built_site):
    reader.open(first_subpage(built_site, "digests"))
    first = reader.content.locator("li[data-paper]").first
    title = first.locator("strong a").inner_text()
    first.get_by_role("button", name="Save").click()
    expect(first.locator("[data-save]")).to_have_attribute("aria-pressed", "true")
    second = reader.content.locator("li[data-paper]").nth(1)
    other = second.locator("strong a").inner_text()
    reader.follow(second.locator("strong a"))
    reader.page.keyboard.press("s")  # on a paper page, s saves it
    expect(reader.page.locator(".digest-actions [data-save]")).to_have_text("Saved")

    reader.open("/saved/")
    saved = reader.content.locator(".digest-saved-list li")
    expect(saved).to_have_count(2)
    expect(saved.filter(has_text=title)).to_have_count(1)
    expect(saved.filter(has_text=other)).to_have_count(1)
    reader.content.get_by_role("button", name="Export saved as BibTeX").click()
    export = reader.content.locator(".digest-export")
    expect(export).to_be_visible()
    assert export.inner_text().count("@misc{") == 2
    # Unsaving on the Saved page takes it off the list.
    saved.filter(has_text=title).get_by_role("button", name="Saved").click()
    expect(reader.content.locator(".digest-saved-list li")).to_have_count(1)


def test_opened_papers_are_marked_seen_and_newer_digests_new_since_the_last_visit(reader, built_site):
    reader.open("/")
    since = reader.content.locator(".digest-since")
    newest = since.get_attribute("data-newest")
    # As if the last visit was before the newest digest appeared.
    reader.page.evaluate("""newest => localStorage.setItem('digest-reader', JSON.stringify(
        {saved: {}, seen: {}, visits: {last: '2000-01-01'}}))""", newest)
    reader.open("/")
    expect(since).to_contain_text("since your last visit")
    expect(reader.content.locator(".digest-fresh").first).to_be_visible()
    link = reader.content.locator("li[data-paper] strong a").first
    reader.follow(link)
    reader.page.go_back()
    item = reader.content.locator("li[data-paper]").first
    expect(item.locator(".digest-seen-mark")).to_have_text("seen")
    stored = json.loads(reader.page.evaluate("localStorage.getItem('digest-reader')"))
    assert stored["visits"]["last"] == newest


def test_j_k_move_through_a_listing_o_opens_and_question_mark_helps(reader, built_site):
    reader.open(first_subpage(built_site, "digests"))
    items = reader.content.locator("li[data-paper]")
    reader.page.keyboard.press("j")
    reader.page.keyboard.press("j")
    expect(items.nth(1)).to_have_class(re.compile("digest-current"))
    reader.page.keyboard.press("k")
    expect(items.nth(0)).to_have_class(re.compile("digest-current"))
    reader.page.keyboard.press("?")
    dialog = reader.page.locator("#digest-help")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("j / k")
    reader.page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    title = items.nth(0).locator("strong a").inner_text()
    reader.page.keyboard.press("o")
    reader.page.wait_for_url(re.compile("/papers/"))
    assert reader.heading() == title
    reader.page.keyboard.press("/")
    expect(reader.page.locator("input.md-search__input")).to_be_focused()


def test_without_javascript_pages_read_fine_and_the_extras_are_gone(open_reader, built_site):
    reader = open_reader(java_script_enabled=False)
    reader.open(first_subpage(built_site, "digests"))
    expect(reader.content.locator("h2").first).to_be_visible()
    expect(reader.content.locator("[data-save]")).to_have_count(0)
    reader.open(reader.content.locator("li[data-paper] strong a").first.get_attribute("href").replace("../..", ""))
    expect(reader.content.locator(".digest-abstract")).to_be_visible()
    expect(reader.page.get_by_role("button", name="Copy BibTeX")).to_be_hidden()
    reader.content.locator("details.digest-cite summary").click()
    expect(reader.content.locator("details.digest-cite pre")).to_contain_text("@misc{")
    reader.open("/saved/")
    expect(reader.content).to_contain_text("needs JavaScript")


def test_why_these_topics_marks_the_words_that_matched_not_the_rules(reader, built_site):
    from generator.enrich.related import FILLER_TERMS

    reader.open("/topics/quantization/")
    reader.follow(reader.content.locator("li[data-paper] strong a").first)
    why = reader.content.locator("details.digest-why")
    why.locator("summary").click()
    marks = why.locator(".digest-evidence mark")
    expect(marks.first).to_be_visible()
    reasons = " ".join(why.locator("li").all_inner_texts())
    assert "*" not in reasons and "more" not in reasons, reasons
    page_text = (reader.heading() + " " + reader.content.locator(".digest-abstract").first.inner_text()).lower()
    for word in marks.all_inner_texts():
        assert word.lower() in page_text and f"“{word.lower()}”" in reasons.lower(), word
    assert any(w.lower().startswith("quantiz") for w in marks.all_inner_texts())
    shared = reader.content.locator("h2#related-papers + ul small").all_inner_texts()
    terms = [t.strip() for line in shared for t in line.removeprefix("shared terms:").split(",")]
    assert terms and not [t for t in terms if FILLER_TERMS.issuperset(t.split(" "))]


def test_the_a_to_z_index_can_save_with_the_keyboard_too(reader):
    reader.open("/papers/")
    items = reader.content.locator("li[data-paper]")
    reader.page.keyboard.press("j")
    expect(items.first).to_have_class(re.compile("digest-current"))
    reader.page.keyboard.press("s")
    expect(items.first.locator("[data-save]")).to_have_attribute("aria-pressed", "true")
    reader.open("/saved/")
    expect(reader.content.locator(".digest-saved-list li")).to_have_count(1)


def test_the_home_page_says_what_the_digest_is_and_when_it_last_appeared(reader):
    reader.open("/")
    lede = reader.content.locator(".digest-lede")
    expect(lede).to_contain_text("A curated digest of machine-learning papers")
    expect(lede).to_contain_text(re.compile(r"the latest on \d+ \w+ \d{4}"))
    expect(lede).to_contain_text(re.compile(r"A new digest appears (daily|about)"))
    latest = lede.locator("a")
    title = latest.inner_text()
    assert reader.follow(latest) == title and reader.path().startswith("/digests/")
