"""A real ``mkdocs build --strict`` of the frozen seed project, checked from the HTML.

The seed dumps never change (tests/fixtures/seed), so counts and particular papers may be pinned here;
tests/test_live_dumps.py checks the live dumps/ with expectations derived from them."""

from __future__ import annotations

import filecmp
import re
from urllib.parse import urlsplit

import pytest

from generator.ingest.normalize import clean_text, title_key
from generator.ingest.parse import decode, parse_dump

from .conftest import (
    ROOT, SEED_DUMPS, assert_every_paper_is_listed, assert_no_broken_links, assert_one_page_per_paper, mkdocs_build,
    read_page, read_pages,
)

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


@pytest.fixture(scope="module")
def pages(built_site):
    return read_pages(built_site)


def test_one_page_per_distinct_paper(built_site, pages):
    seeds: set[str] = set()
    for dump in sorted(SEED_DUMPS.glob("*.txt")):
        text, _ = decode(dump.name, dump.read_bytes())
        seeds |= {title_key(clean_text(e.title)) for e in parse_dump(dump.name, text).entries}
    assert len(seeds) == 410
    paper_pages = [p for p in pages if p.parent.parent == built_site / "papers"]
    assert len(paper_pages) == 410
    shown = [title_key(pages[p].h1.replace("¶", "")) for p in paper_pages]
    assert sorted(shown) == sorted(seeds)


def test_each_paper_has_one_page_headed_with_its_title(seed_project, built_site, pages):
    assert_one_page_per_paper(seed_project, built_site, pages)


def test_every_paper_is_on_a_digest_page_and_on_a_topic_or_unsorted_page(built_site, pages):
    assert_every_paper_is_listed(built_site, pages)


def test_no_internal_link_is_broken(built_site, pages):
    assert_no_broken_links(built_site, pages)


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


def test_two_builds_are_identical(seed_project, built_site, tmp_path):
    again = tmp_path / "site"
    result = mkdocs_build(seed_project, again)
    assert result.returncode == 0, result.stderr
    differ = []
    # The search index too: Pagefind's filter files come in a fixed order (pagefind_files.py).
    assert list(built_site.glob("pagefind/filter/*.pf_filter"))
    for path in sorted(built_site.rglob("*")):
        if path.is_file() and not path.name.startswith("sitemap.xml"):
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


def test_the_seed_curator_overrides_work_in_the_built_site(built_site):
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
