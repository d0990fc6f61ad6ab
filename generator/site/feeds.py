"""Feeds and data files: Atom for feed readers, JSON for scripts.

Pure functions of the gathered ``Site``; the caller writes what they return.

Dates: a paper's date is the date of the newest digest it appeared in. Nothing
here reads the clock, so the same input gives byte-identical files. Atom needs
a date on every entry and on the feed; a paper seen only in undated
collections, and a feed with no dated paper, get ``UNDATED`` (1970-01-01).

URLs: with a ``site_url`` every link and id is absolute (ids are the page
URLs). Without one (a local build), links are site-relative and the feed
carries an ``xml:base`` that leads from the feed's own folder back to the site
root, so readers resolve them correctly; ids, which Atom requires to be
absolute IRIs, are then ``urn:uuid:`` values derived from the page path
(UUID version 5), stable from build to build. Setting a site URL later changes
the ids once, from those to the page URLs.

All text reaches the XML through ElementTree, which escapes it; characters
XML 1.0 cannot carry at all (control characters, lone surrogates) are dropped.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from ..ingest.normalize import clean_text
from ..models import Site
from .index import SiteIndex, index_site
from .urls import FEED_XSL, FEEDS_OPML, PAPERS_JSON, SITE_FEED, paper_site_path, topic_feed_uri
from .feedstyle import FEED_STYLESHEET, opml

ATOM = "http://www.w3.org/2005/Atom"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
UNDATED = dt.date(1970, 1, 1)
"""The Atom date of papers seen only in undated collections, and of feeds with no dated paper."""
ID_PREFIX = "paper-digest:/"
"""Names a page path in the UUID-5 ids used when there is no site URL."""
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FeedEntry:
    """One paper as a feed shows it: plain text only, URLs already resolved."""

    id: str
    url: str
    title: str
    summary: str
    """Plain text: the paper's abstract."""
    updated: dt.date | None
    """Date of the newest digest the paper appeared in; None if only undated ones."""
    categories: tuple[str, ...] = ()
    """Names of the paper's topics, strongest first."""


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _site_base(site_url: str) -> str:
    site_url = site_url.strip()
    return site_url.rstrip("/") + "/" if site_url else ""


def _is_absolute(url: str) -> bool:
    return re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url) is not None


def page_url(site_url: str, path: str) -> str:
    """The URL of a site-relative page path: absolute under ``site_url``, else the path itself."""
    path = quote(path, safe="/-._~")
    return _site_base(site_url) + path if site_url.strip() else path


def page_id(site_url: str, path: str) -> str:
    """A stable, absolute id for a page: its URL, or a UUID-5 of its path without a site URL."""
    if site_url.strip():
        return page_url(site_url, path)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ID_PREFIX + path)}"


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def feed_entries(site: Site, *, site_url: str, topic: str | None = None, limit: int = 50,
                 view: SiteIndex | None = None) -> list[FeedEntry]:
    """The newest ``limit`` papers (all of them, or those assigned to ``topic``), newest first.

    Order: the date of the newest digest a paper appeared in (undated
    collections after all dated digests, papers in no digest last), then the
    order of that digest (``site.digests``, then its listing), then slug.
    """
    if limit < 0:
        raise ValueError(f"limit must not be negative, not {limit}")
    # The site's one ordering of papers, newest digest first (generator/views.py);
    # pass ``view`` when making many feeds of one site.
    view = view or index_site(site)
    names = {t.slug: t.name for t in site.topics}
    chosen = view.newest_first if topic is None else dict.fromkeys(view.topic_papers.get(topic, ()))
    entries = []
    for key in itertools.islice(chosen, limit):
        paper = view.papers[key]
        digest = view.digests_of[key][0] if view.digests_of[key] else None
        path = paper_site_path(paper)
        entries.append(FeedEntry(
            id=page_id(site_url, path),
            url=page_url(site_url, path),
            title=clean_text(paper.title),
            summary=clean_text(paper.abstract),
            updated=digest.date if digest is not None else None,
            categories=tuple(names.get(slug, slug) for slug in dict.fromkeys(view.topics_of(key))),
        ))
    return entries


def _element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {name: _xml_text(value) for name, value in attributes.items()})
    if text is not None:
        child.text = _xml_text(text)
    return child


def atom_feed(
    *, title: str, feed_url: str, site_url: str, entries: Sequence[FeedEntry], updated: dt.date | None
) -> str:
    """An Atom 1.0 document of ``entries``, in the order given.

    ``feed_url`` is the feed's own URL, absolute or site-relative
    (``topics/x/feed.xml``). ``updated`` is the feed's date; None means the
    newest entry's date, or ``UNDATED`` if no entry has one.
    """
    if not _is_absolute(feed_url):
        feed_path = feed_url.lstrip("/")
        feed_url = page_url(site_url, feed_path)
        feed_id = page_id(site_url, feed_path)
    else:
        feed_path, feed_id = None, feed_url
    dates = [entry.updated for entry in entries if entry.updated is not None]
    updated = updated or max(dates, default=UNDATED)

    feed = ET.Element("feed", {"xmlns": ATOM})
    if not site_url.strip() and feed_path is not None:
        # Relative links resolve against the feed's own URL; this leads them back to the site root.
        feed.set(XML_BASE, "../" * feed_path.count("/") or "./")
    _element(feed, "id", feed_id)
    _element(feed, "title", title, type="text")
    _element(feed, "updated", _timestamp(updated))
    _element(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _element(feed, "link", rel="alternate", type="text/html", href=_site_base(site_url) or "./")
    author = _element(feed, "author")
    _element(author, "name", title)
    for entry in entries:
        item = _element(feed, "entry")
        _element(item, "id", entry.id)
        _element(item, "title", entry.title, type="text")
        _element(item, "link", rel="alternate", type="text/html", href=entry.url)
        _element(item, "updated", _timestamp(entry.updated or UNDATED))
        _element(item, "summary", entry.summary, type="text")
        for category in entry.categories:
            _element(item, "category", term=category)
    ET.indent(feed)
    # A browser that opens the feed shows it through feed.xsl (same origin); feed readers ignore it.
    style = (f'<?xml-stylesheet type="text/xsl" href="{"../" * feed_path.count("/")}{FEED_XSL}"?>\n'
             if feed_path is not None else "")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + style + ET.tostring(feed, encoding="unicode") + "\n"


def papers_json(site: Site, *, site_url: str, view: SiteIndex | None = None) -> str:
    """Every published paper as JSON: ``{"papers": [...]}``, sorted by slug, keys sorted.

    Each paper: key, slug, url (absolute with a site URL, else site-relative),
    title and abstract (readable text, as pages show them), topics (slugs,
    strongest first), digests ({id, title, date} newest first; date null for an
    undated collection), arxiv_id (null when unknown).
    """
    view = view or index_site(site)
    papers = []
    for paper in sorted(site.papers, key=lambda p: p.slug):
        papers.append({
            "key": paper.key,
            "slug": paper.slug,
            "url": page_url(site_url, paper_site_path(paper)),
            "title": clean_text(paper.title),
            "abstract": clean_text(paper.abstract),
            "topics": list(dict.fromkeys(view.topics_of(paper.key))),
            "digests": [
                {"id": d.id, "title": d.title, "date": d.date.isoformat() if d.date else None}
                for d in view.digests_of.get(paper.key, ())
            ],
            "arxiv_id": paper.arxiv_id,
        })
    # Lone surrogates cannot be written as UTF-8; nothing else needs changing for JSON.
    text = json.dumps({"papers": papers}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8", "replace").decode("utf-8") + "\n"


def data_file_paths(site: Site) -> set[str]:
    """The paths ``data_files`` writes, for link checking before it runs."""
    return {SITE_FEED, PAPERS_JSON, FEEDS_OPML, FEED_XSL} | {topic_feed_uri(topic.slug) for topic in site.topics}


def data_files(site: Site, *, site_name: str, site_url: str, view: SiteIndex | None = None) -> dict[str, str]:
    """The files beside the pages: the site feed, one feed per topic, papers.json."""
    view = view or index_site(site)  # once for all the feeds
    files = {
        SITE_FEED: atom_feed(title=site_name, feed_url=SITE_FEED, site_url=site_url,
                             entries=feed_entries(site, site_url=site_url, view=view), updated=None),
        PAPERS_JSON: papers_json(site, site_url=site_url, view=view),
    }
    feeds = [(site_name, SITE_FEED)]
    for topic in site.topics:
        path = topic_feed_uri(topic.slug)
        entries = feed_entries(site, site_url=site_url, topic=topic.slug, view=view)
        files[path] = atom_feed(title=f"{site_name}: {topic.name}", feed_url=path, site_url=site_url,
                                entries=entries, updated=None)
        feeds.append((f"{site_name}: {topic.name}", path))
    files[FEEDS_OPML] = opml(site_name, [(title, page_url(site_url, path)) for title, path in feeds])
    files[FEED_XSL] = FEED_STYLESHEET
    return files
