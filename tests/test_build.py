"""A real ``mkdocs build --strict`` of the shipped dumps, checked from the HTML."""

from __future__ import annotations

import filecmp
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.ingest.normalize import clean_text, title_key
from generator.ingest.parse import decode, parse_dump

from .conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.build

VERBATIM = [
    "<kernel> + <programming model> + <optional hints>",
    "[CLS] Token Tells Everything",
    "8*16B",
    "such as F*.",
    "$15 per paper",
    "$4 trillion/year",
    "I&S-ViT",
    "Python & C#",
    "(<5M)",
    "u-μP",
    "PanGu-π",
    "* The GPT-2 architecture",
]


class PageText(HTMLParser):
    """The article's visible text, its H1, and every link and resource URL."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.in_h1 = False
        self.h1 = ""
        self.text: list[str] = []
        self.links: list[str] = []
        self.article_links: list[str] = []
        self.resources: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "h1" and self.depth:
            self.in_h1 = True
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if self.depth:
                self.article_links.append(attrs["href"])
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.resources.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") not in ("canonical", "alternate"):
            self.resources.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.text.append(data)
            if self.in_h1:
                self.h1 += data


def read_page(path: Path) -> PageText:
    page = PageText()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def page_of(site: Path, html_file: Path, href: str) -> Path | None:
    """The file a relative link from ``html_file`` points at, or None if external."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "mailto:")):
        return None
    # Root-relative links (the 404 page uses them) start at the site root: site_url's path is "/".
    here = "" if parts.path.startswith("/") else html_file.parent.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(here, unquote(parts.path).lstrip("/")))
    path = site / target
    return path / "index.html" if path.is_dir() or href.endswith("/") else path


@pytest.fixture(scope="module")
def pages(built_site) -> dict[Path, PageText]:
    return {p: read_page(p) for p in sorted(built_site.rglob("*.html"))}


def test_one_page_per_distinct_paper(built_site, pages):
    seeds: set[str] = set()
    for dump in sorted((ROOT / "dumps").glob("*.txt")):
        text, _ = decode(dump.name, dump.read_bytes())
        seeds |= {title_key(clean_text(e.title)) for e in parse_dump(dump.name, text).entries}
    assert len(seeds) == 410
    paper_pages = [p for p in pages if p.parent.parent == built_site / "papers"]
    assert len(paper_pages) == 410
    shown = [title_key(pages[p].h1.replace("¶", "")) for p in paper_pages]
    assert sorted(shown) == sorted(seeds)


def _linked_papers(site: Path, pages: dict[Path, PageText], folder: str) -> set[Path]:
    found = set()
    for path, page in pages.items():
        if path.is_relative_to(site / folder):
            for href in page.article_links:
                target = page_of(site, path, href)
                if target and target.parent.parent == site / "papers":
                    found.add(target)
    return found


def test_every_paper_is_on_a_digest_page_and_on_a_topic_or_unsorted_page(built_site, pages):
    papers = {p for p in pages if p.parent.parent == built_site / "papers"}
    assert _linked_papers(built_site, pages, "digests") == papers
    assert _linked_papers(built_site, pages, "topics") == papers


def test_no_internal_link_is_broken(built_site, pages):
    broken = []
    for path, page in pages.items():
        for href in page.links:
            target = page_of(built_site, path, href)
            if target is not None and not target.exists():
                broken.append(f"{path.relative_to(built_site)} -> {href}")
    assert broken == []


def test_nothing_is_loaded_from_another_host(pages):
    external = {src for page in pages.values() for src in page.resources if urlsplit(src).netloc}
    assert external == set()


@pytest.mark.parametrize("needle", VERBATIM)
def test_text_reaches_the_reader_as_written(pages, needle):
    assert any(needle in " ".join("".join(page.text).split()) for page in pages.values())


def test_no_dump_text_became_markup(pages, built_site):
    for path, page in pages.items():
        html = path.read_text(encoding="utf-8")
        assert "<kernel>" not in html and "<programming model>" not in html
        assert not re.search(r"<(?:em|strong)>16B", html)


def _pagefind_filter_index(path: Path) -> bool:
    """Pagefind writes its filter index (and the two files naming it by hash) in an
    arbitrary order, build to build (Pagefind/pagefind#638: only the fragments and
    word index are stable); every other file, pages and search chunks included, must be."""
    return path.parent.name == "filter" or path.suffix == ".pf_meta" or path.name == "pagefind-entry.json"


def test_two_builds_are_identical(built_site, tmp_path):
    again = tmp_path / "site"
    result = mkdocs_build(ROOT, again)
    assert result.returncode == 0, result.stderr
    differ = []
    filter_files = [sorted(p.name for p in site.rglob("*") if _pagefind_filter_index(p)) for site in (built_site, again)]
    assert len(filter_files[0]) == len(filter_files[1]) > 0
    for path in sorted(built_site.rglob("*")):
        if path.is_file() and not path.name.startswith("sitemap.xml") and not _pagefind_filter_index(path):
            twin = again / path.relative_to(built_site)
            if not twin.exists() or not filecmp.cmp(path, twin, shallow=False):
                differ.append(str(path.relative_to(built_site)))
    assert differ == []


def test_feeds_are_valid_complete_and_point_at_real_pages(built_site):
    import feedparser

    feed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert feed.bozo == 0 and len(feed.entries) == 50
    newest = [e for e in feed.entries if e.updated.startswith("2025-03-14")]
    assert len(newest) == 50  # the newest digest has 200 papers, so it fills the feed
    for entry in feed.entries:
        path = urlsplit(entry.link).path.lstrip("/")
        assert (built_site / path / "index.html").exists(), entry.link
        assert entry.summary
    topic = feedparser.parse((built_site / "topics" / "quantization" / "feed.xml").read_bytes())
    assert topic.bozo == 0 and topic.entries
    assert all(any(t.term == "Quantization & Low Precision" for t in e.tags) for e in topic.entries)


def test_papers_json_lists_every_published_paper(built_site):
    import json

    papers = json.loads((built_site / "papers.json").read_text(encoding="utf-8"))["papers"]
    assert len(papers) == 410 == len({p["slug"] for p in papers})
    assert all(p["digests"] and p["title"] and p["abstract"] for p in papers)


def test_pages_carry_feed_links_sharing_cards_and_canonical_urls(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in home and 'href="feed.xml"' in home
    topic = (built_site / "topics" / "quantization" / "index.html").read_text(encoding="utf-8")
    assert 'rel="alternate feed" type="application/atom+xml"' in topic
    paper = next((built_site / "papers").glob("lossless-*/index.html")).read_text(encoding="utf-8")
    assert '<meta property="og:title" content="Lossless Compression with Probabilistic Circuits">' in paper
    assert '<meta property="og:type" content="article">' in paper and 'name="twitter:card"' in paper
    assert '<title>Lossless Compression with Probabilistic Circuits - Paper digest</title>' in paper
    assert re.search(r'<meta name="description" content="Despite extensive progress[^"]*\.">', paper)
    assert '<link rel="canonical" href="http://127.0.0.1:8000/papers/lossless-compression-with-probabilistic-circuits/">' in paper
    assert "lossless-compression-with-probabilistic-circuits/" in (built_site / "sitemap.xml").read_text()


def test_the_shipped_curator_overrides_work_in_the_built_site(built_site):
    featured = "Scaling LLM Test-Time Compute Optimally can be More Effective than Scaling Model Parameters"
    home = read_page(built_site / "index.html")
    text = " ".join("".join(home.text).split())
    assert text.index("Featured") < text.index(featured) < text.index("Latest")
    page = next(p for p in (built_site / "papers").glob("scaling-llm-test-time-compute-optimally*/index.html"))
    html = page.read_text(encoding="utf-8")
    assert "Curator&#39;s note" in html or "Curator's note" in html
    assert "<strong>test-time compute</strong>" in html
    removed = next((built_site / "papers").glob("eeea-net-*/index.html")).read_text(encoding="utf-8")
    assert "../../topics/efficient-inference/" not in removed


def test_every_topic_has_a_page_headed_with_its_name(built_site):
    import html

    import yaml

    topics = yaml.safe_load((ROOT / "topics.yml").read_text(encoding="utf-8"))["topics"]
    for slug, name in [(t["slug"], t["name"]) for t in topics] + [("unsorted", "Unsorted")]:
        page = (built_site / "topics" / slug / "index.html").read_text(encoding="utf-8")
        assert f"<h1>{html.escape(name, quote=False)}</h1>" in page, slug
