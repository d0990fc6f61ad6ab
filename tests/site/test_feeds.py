"""Atom feeds and papers.json from small sites built by hand."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import feedparser
import pytest

from generator.site.feeds import UNDATED, FeedEntry, atom_feed, feed_entries, papers_json
from generator.models import Assignment, Digest, Paper, Site, Topic

SITE_URL = "https://digest.example/ml/"
HOSTILE = "<script>alert(1)</script> & ]]> <b>bold</b> &amp; \"quoted\" 'single'"


def paper(slug: str, title: str | None = None, abstract: str | None = None, arxiv_id: str | None = None) -> Paper:
    return Paper(
        key=f"key {slug}", slug=slug, title=title or f"Title of {slug}", abstract=abstract or f"Abstract of {slug}.",
        entries=(), arxiv_id=arxiv_id,
    )


def assigned(*topics: str) -> tuple[Assignment, ...]:
    return tuple(Assignment(topic=t, score=1.0 - n / 10, reasons=()) for n, t in enumerate(topics))


def digest(id: str, date: dt.date | None, *slugs: str) -> Digest:
    return Digest(id=id, title=f"Digest {id}", date=date, files=(), paper_keys=tuple(f"key {s}" for s in slugs))


def make_site() -> Site:
    """Three dated digests and one undated collection; ``old`` reappears in the newest digest."""
    papers = tuple(paper(s) for s in ["alpha", "beta", "classic", "gamma", "lonely", "old", "zeta"])
    digests = (
        digest("2025-03-14", dt.date(2025, 3, 14), "zeta", "alpha", "old"),
        digest("2025-03-12", dt.date(2025, 3, 12), "gamma"),
        digest("2025-03-11", dt.date(2025, 3, 11), "old", "beta"),
        digest("classics", None, "classic", "beta"),
    )
    topics = (Topic("quantization", "Quantization & Pruning", "Smaller models."), Topic("vision", "Vision", "Images."))
    assignments = {
        "key alpha": assigned("quantization", "vision"),
        "key gamma": assigned("quantization"),
        "key classic": assigned("quantization"),
        "key zeta": assigned("vision"),
    }
    return Site(papers=papers, digests=digests, topics=topics, assignments=assignments)


def parse(xml: str, feed_location: str = SITE_URL + "feed.xml") -> feedparser.FeedParserDict:
    parsed = feedparser.parse(
        xml.encode("utf-8"),
        response_headers={"content-type": "application/atom+xml", "content-location": feed_location},
    )
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def build_feed(site: Site, site_url: str = SITE_URL, feed_url: str = "feed.xml", **options) -> str:
    entries = feed_entries(site, site_url=site_url, **options)
    return atom_feed(title="ML digest", feed_url=feed_url, site_url=site_url, entries=entries, updated=None)


def slugs(parsed: feedparser.FeedParserDict) -> list[str]:
    return [entry.link.rstrip("/").rsplit("/", 1)[1] for entry in parsed.entries]


def test_newest_digest_first_in_listing_order_undated_then_undigested_last():
    parsed = parse(build_feed(make_site()))
    # "old" counts from its newest digest (03-14), "beta" from its dated one, not the collection.
    assert slugs(parsed) == ["zeta", "alpha", "old", "gamma", "beta", "classic", "lonely"]
    updated = {slug: entry.updated[:10] for slug, entry in zip(slugs(parsed), parsed.entries)}
    assert updated["old"] == "2025-03-14"
    assert updated["beta"] == "2025-03-11"
    assert updated["classic"] == updated["lonely"] == UNDATED.isoformat()


def test_feed_date_is_the_newest_digest_not_the_clock():
    parsed = parse(build_feed(make_site()))
    assert parsed.feed.updated == "2025-03-14T00:00:00Z"
    only_old = make_site()
    only_old = Site(papers=only_old.papers, digests=only_old.digests[2:], topics=(), assignments={})
    assert parse(build_feed(only_old)).feed.updated == "2025-03-11T00:00:00Z"


def test_explicit_feed_date_wins_and_undated_feed_uses_the_fixed_fallback():
    entries = [FeedEntry("urn:uuid:x", SITE_URL + "papers/x/", "X", "Text", None)]
    undated = parse(atom_feed(title="T", feed_url="feed.xml", site_url=SITE_URL, entries=entries, updated=None))
    assert undated.feed.updated == "1970-01-01T00:00:00Z"
    assert undated.entries[0].updated == "1970-01-01T00:00:00Z"
    given = atom_feed(title="T", feed_url="feed.xml", site_url=SITE_URL, entries=entries, updated=dt.date(2025, 1, 2))
    assert parse(given).feed.updated == "2025-01-02T00:00:00Z"


def test_limit_keeps_the_newest():
    site = make_site()
    assert slugs(parse(build_feed(site, limit=2))) == ["zeta", "alpha"]
    assert feed_entries(site, site_url=SITE_URL, limit=0) == []
    assert len(feed_entries(site, site_url=SITE_URL, limit=100)) == len(site.papers)
    with pytest.raises(ValueError):
        feed_entries(site, site_url=SITE_URL, limit=-1)


def test_links_ids_and_feed_metadata_are_absolute_under_the_site_url():
    parsed = parse(build_feed(make_site(), site_url="https://digest.example/ml"))  # no trailing slash
    entry = parsed.entries[0]
    assert entry.link == "https://digest.example/ml/papers/zeta/"
    assert entry.id == entry.link
    assert parsed.feed.id == "https://digest.example/ml/feed.xml"
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links == {"self": "https://digest.example/ml/feed.xml", "alternate": "https://digest.example/ml/"}
    assert parsed.feed.title == "ML digest"
    assert len({e.id for e in parsed.entries}) == len(parsed.entries)


def test_topic_feed_has_only_that_topic_with_topic_names_as_categories():
    site = make_site()
    parsed = parse(build_feed(site, feed_url="topics/quantization/feed.xml", topic="quantization"),
                   SITE_URL + "topics/quantization/feed.xml")
    assert slugs(parsed) == ["alpha", "gamma", "classic"]
    assert [tag.term for tag in parsed.entries[0].tags] == ["Quantization & Pruning", "Vision"]
    assert parsed.feed.id == SITE_URL + "topics/quantization/feed.xml"
    assert slugs(parse(build_feed(site, topic="vision"))) == ["zeta", "alpha"]
    assert feed_entries(site, site_url=SITE_URL, topic="no-such-topic") == []


def test_hostile_text_stays_text_in_title_summary_and_categories():
    site = Site(
        papers=(paper("evil", title="Title " + HOSTILE, abstract=HOSTILE + " \x00\x08\x1b\ufffe end"),),
        digests=(digest("2025-03-14", dt.date(2025, 3, 14), "evil"),),
        topics=(Topic("t", HOSTILE, ""),),
        assignments={"key evil": assigned("t")},
    )
    xml = build_feed(site)
    assert "<script>" not in xml and "<b>" not in xml
    parsed = parse(xml)
    entry = parsed.entries[0]
    assert entry.title == "Title " + HOSTILE
    assert entry.summary_detail.type == "text/plain"
    assert entry.summary.startswith(HOSTILE) and entry.summary.endswith("end")
    assert entry.tags[0].term == HOSTILE
    # A strict XML parser reads the same text back (feedparser alone is lenient).
    namespace = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(xml)
    assert root.find("a:entry/a:title", namespace).text == "Title " + HOSTILE
    assert root.find("a:entry/a:summary", namespace).text.startswith(HOSTILE)


def test_without_site_url_links_are_relative_to_the_root_and_ids_stable_uuids():
    site = make_site()
    xml = build_feed(site, site_url="", feed_url="topics/quantization/feed.xml", topic="quantization")
    assert build_feed(site, site_url="", feed_url="topics/quantization/feed.xml", topic="quantization") == xml
    # Wherever the site is served from, the links resolve to its pages.
    parsed = parse(xml, "https://somewhere.example/sub/topics/quantization/feed.xml")
    assert parsed.entries[0].link == "https://somewhere.example/sub/papers/alpha/"
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["self"] == "https://somewhere.example/sub/topics/quantization/feed.xml"
    assert links["alternate"] == "https://somewhere.example/sub/"
    ids = [entry.id for entry in parsed.entries] + [parsed.feed.id]
    assert all(i.startswith("urn:uuid:") for i in ids) and len(set(ids)) == len(ids)
    root_feed = parse(build_feed(site, site_url=""), "https://somewhere.example/feed.xml")
    assert root_feed.entries[0].link == "https://somewhere.example/papers/zeta/"
    # The same paper keeps its id in every feed.
    alpha_id = next(e.id for e in root_feed.entries if e.link.endswith("/alpha/"))
    assert alpha_id == parsed.entries[0].id


def test_feed_is_byte_identical_whatever_the_order_of_papers():
    site = make_site()
    shuffled = Site(papers=tuple(reversed(site.papers)), digests=site.digests, topics=site.topics,
                    assignments=site.assignments)
    assert build_feed(site) == build_feed(shuffled)


def test_papers_json_round_trips_with_every_field():
    site = make_site()
    site = Site(
        papers=site.papers + (paper("unicode", title="Schrödinger " + HOSTILE, arxiv_id="2403.01234"),),
        digests=site.digests[:1] + (digest("2025-03-13", dt.date(2025, 3, 13), "unicode"),) + site.digests[1:],
        topics=site.topics, assignments=site.assignments,
    )
    text = papers_json(site, site_url=SITE_URL)
    assert text.endswith("}\n") and text == papers_json(site, site_url=SITE_URL)
    assert "Schrödinger" in text  # not \u-escaped
    data = json.loads(text)
    assert [p["slug"] for p in data["papers"]] == sorted(p.slug for p in site.papers)
    by_slug = {p["slug"]: p for p in data["papers"]}
    assert set(by_slug["alpha"]) == {"key", "slug", "url", "title", "abstract", "topics", "digests", "arxiv_id"}
    assert by_slug["alpha"]["url"] == SITE_URL + "papers/alpha/"
    assert by_slug["alpha"]["topics"] == ["quantization", "vision"]
    assert by_slug["alpha"]["arxiv_id"] is None
    assert by_slug["unicode"]["arxiv_id"] == "2403.01234"
    assert by_slug["unicode"]["title"] == "Schrödinger " + HOSTILE
    assert by_slug["beta"]["digests"] == [
        {"id": "2025-03-11", "title": "Digest 2025-03-11", "date": "2025-03-11"},
        {"id": "classics", "title": "Digest classics", "date": None},
    ]
    assert by_slug["lonely"]["digests"] == [] and by_slug["lonely"]["topics"] == []


def test_papers_json_urls_are_site_relative_without_site_url():
    data = json.loads(papers_json(make_site(), site_url=""))
    assert data["papers"][0]["url"] == "papers/alpha/"
