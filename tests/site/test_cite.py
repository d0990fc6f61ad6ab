"""Paper-page helpers: linked abstracts stay safe, BibTeX is well formed."""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import given, settings, strategies as st

from generator.models import Entry, Paper
from generator.site.cite import arxiv_id, bibtex, field, linkify


def paper(title: str = "Sparse Attention at Scale", abstract: str = "We study it.", **extra) -> Paper:
    entry = Entry(title=title, abstract=abstract, file="dumps/a.txt", line=1, position=0)
    return Paper(key=title.lower(), slug="sparse", title=title, abstract=abstract, entries=(entry,), **extra)


def test_http_and_https_urls_become_links_with_trailing_punctuation_left_out():
    html = str(linkify("Code at https://github.com/a/b_c?x=1&y=2. See (http://x.org/p)."))
    assert '<a href="https://github.com/a/b_c?x=1&amp;y=2" rel="nofollow noopener">' in html
    assert '<a href="http://x.org/p" rel="nofollow noopener">http://x.org/p</a>).' in html


def test_other_schemes_and_markup_stay_text():
    html = str(linkify('javascript:alert(1) <a href="https://evil.example/">x</a> data:text/html,hi'))
    # The dump's tag is text; the URL in it is linked, cut at the escaped quote.
    assert html.startswith("javascript:alert(1) &lt;a href=&#34;<a href=\"https://evil.example/\" rel=")
    assert "&#34;&gt;x&lt;/a&gt; data:text/html,hi" in html
    assert html.count("<a ") == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("ab <>\"'&:/.;)") + ["https://", "http://", "&lt;"]), max_size=30).map("".join))
def test_linkify_never_lets_dump_text_open_a_tag(text):
    html = str(linkify(text))
    # Every tag in the output is one of ours.
    for tag in re.findall(r"<[^>]*>", html):
        assert re.fullmatch(r'<a href="https?://[^"<>\s]+" rel="nofollow noopener">|</a>', tag), tag


def test_bibtex_is_arxiv_style_with_an_id_and_plain_misc_without():
    with_id = bibtex(paper(arxiv_id="2401.01234"), year=2024)
    assert with_id.startswith("@misc{arxiv2401_01234,")
    assert "eprint = {2401.01234}" in with_id and "archivePrefix = {arXiv}" in with_id
    without = bibtex(paper(title="A {weird} 100% title_"), year=2025)
    assert without.startswith("@misc{weird2025,")
    assert r"title = {{A \{weird\} 100\% title\_}}" in without
    assert "eprint" not in without and without.endswith("year = {2025}\n}")
    assert without.count("{") - without.count(r"\{") == without.count("}") - without.count(r"\}")


def test_authors_appear_when_a_paper_has_them():
    class WithAuthors:
        title, arxiv_id, published, authors = "Title words", None, "Sep 29, 2023", ("Ada Lovelace", "Alan Turing")

    entry = bibtex(WithAuthors())
    assert "author = {Ada Lovelace and Alan Turing}" in entry and "year = {2023}" in entry
    assert entry.startswith("@misc{lovelace2023title,")


def test_a_malformed_arxiv_id_is_not_linked_and_missing_fields_default():
    assert arxiv_id(paper(arxiv_id="2401.01234v2")) == "2401.01234v2"
    assert arxiv_id(paper(arxiv_id="see the pdf")) is None
    assert field(paper(), "authors", ()) == ()
    assert field(replace(paper(), published="May 1"), "published") == "May 1"


def test_a_paper_page_with_an_arxiv_id_and_a_date_shows_them_linked():
    import datetime as dt

    from generator.models import Digest, Site
    from generator.site.render import Renderer

    known = paper(arxiv_id="2401.01234", published="Sep 29, 2023",
                  abstract="We propose it. Code: https://example.org/code.")
    digest = Digest(id="2025-03-11", title="11 March 2025", date=dt.date(2025, 3, 11), files=(),
                    paper_keys=(known.key,))
    site = Site(papers=(known,), digests=(digest,), topics=(), assignments={})
    page = Renderer().render(site)["papers/sparse.md"]
    facts = page[page.index('class="digest-facts"'):].split("</p>")[0]
    assert "arXiv:2401.01234" in facts and "Published Sep 29, 2023" in facts
    for url in ("https://arxiv.org/abs/2401.01234", "https://arxiv.org/pdf/2401.01234",
                "https://huggingface.co/papers/2401.01234"):
        assert f'href="{url}"' in facts
    assert '<a href="https://example.org/code" rel="nofollow noopener">' in page
    assert "eprint = {2401.01234}" in page and "year = {2023}" in page
