"""Every path and URL the site has: the one owner of the URL scheme.

The README promises that a paper's address never changes once published, so
the scheme is written here and nowhere else. Paths are *source* paths, as if
the generated pages were files in ``docs/`` (``papers/x.md``); ``output_path``
and ``page_href`` turn them into what MkDocs writes and links to.
"""

from __future__ import annotations

from ..models import Digest, Paper

HOME = "index.md"
TOPICS_INDEX = "topics/index.md"
DIGESTS_INDEX = "digests/index.md"
PAPERS_INDEX = "papers/index.md"
INDEX_PAGES = frozenset({HOME, TOPICS_INDEX, DIGESTS_INDEX, PAPERS_INDEX})
"""The pages the navigation lists; every other generated page is reached by links."""

SITE_FEED = "feed.xml"
FEEDS_OPML = "feeds.opml"
"""Every feed of the site, for importing into a feed reader at once."""
FEED_XSL = "feed.xsl"
"""The stylesheet that shows a feed opened in a browser as a readable page."""
SAVED = "saved.md"
"""The reader's saved papers: filled in the browser from localStorage (docs/javascripts/reader.js)."""
PAPERS_JSON = "papers.json"
UNSORTED = "unsorted"
"""The slug of the page that lists papers no topic claims."""


def paper_uri(paper: Paper) -> str:
    return f"papers/{paper.slug}.md"


def topic_uri(slug: str) -> str:
    return f"topics/{slug}.md"


def topic_feed_uri(slug: str) -> str:
    return f"topics/{slug}/feed.xml"


def digest_uri(digest: Digest) -> str:
    return f"digests/{digest.id}.md"


def letter_id(letter: str) -> str:
    """The A–Z index's letter as it appears in anchors and paths (``#`` is ``other``)."""
    return "other" if letter == "#" else letter.lower()


def letter_uri(letter: str) -> str:
    return f"az/{letter_id(letter)}.md"


def paged_uris(first: str, count: int) -> list[str]:
    """``topics/x.md``, then ``topics/x/2.md``, ``topics/x/3.md``... for ``count`` pages."""
    stem = first[: -len(".md")]
    return [first] + [f"{stem}/{n}.md" for n in range(2, count + 1)]


def output_path(uri: str, directory_urls: bool = True) -> str:
    """Where MkDocs writes a source file: ``papers/x.md`` → ``papers/x/index.html``."""
    if not uri.endswith(".md"):
        return uri
    stem = uri[: -len(".md")]
    if not directory_urls or stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def site_path(uri: str) -> str:
    """A page's path below the site root as readers see it: ``papers/x.md`` → ``papers/x/``."""
    path = output_path(uri)
    return path[: -len("index.html")] if path.endswith("index.html") else path


def paper_site_path(paper: Paper) -> str:
    return site_path(paper_uri(paper))


PAPER_PAGES_GLOB = "papers/*/index.html"
"""The built paper pages, below the site folder (``verify`` and the benchmark count them)."""


def page_href(page: str, target: str, directory_urls: bool = True) -> str:
    """The relative URL MkDocs would write for a Markdown link from ``page`` to ``target``."""
    href = relative_path(output_path(page, directory_urls), output_path(target, directory_urls))
    if directory_urls and (href == "index.html" or href.endswith("/index.html")):
        href = href[: -len("index.html")] or "./"
    return href


def relative_path(page: str, target: str) -> str:
    """``posixpath.relpath(target, dirname(page))`` for our simple page paths, fast."""
    here = page.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])
