"""One paper in a listing: the item that topic, Unsorted and digest pages and the
home page repeat for every paper they list, written in Python rather than as a
Jinja macro.

At 10,000 papers the item is rendered 28,000 times; as a macro, Jinja's call
machinery (a new frame, keyword arguments, a filter lookup per value) was over
a third of the listings' CPU time (2.8 s; 1.75 s as this function).
Values are escaped exactly as a template prints them (``as_html``), so the
markup is the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from markupsafe import Markup

from ..models import Digest, Paper
from .document import as_html
from .index import SiteIndex
from .markup import markdown_to_plain
from .text import teaser


class Links(Protocol):
    """The renderer's links, which also record what the page depends on (see ``reuse``)."""

    def paper_link(self, paper: Paper) -> Markup: ...
    def digest_link(self, digest: Digest) -> Markup: ...
    def topic_link(self, slug: str) -> Markup: ...


def listing_item(links: Links, view: SiteIndex) -> Callable[..., Markup]:
    """``paper_item(paper, ...)`` for one render: a function of the paper and how it is listed."""

    def paper_item(paper: Paper, show_topics: bool = False, show_digest: bool = False,
                   within: Digest | None = None, under: str | None = None) -> Markup:
        """Title, badges, a one-line teaser (the curator's note when there is one), then
        optional topic and digest links. In a digest, ``within`` is that digest and other
        digests are named as "also in"; ``under`` is the topic whose heading the item is
        listed under, which goes without saying."""
        key = paper.key
        cur = view.site.curation.get(key)
        mark = view.mark(key, within)
        first = view.first_seen.get(key)
        out = [f'<li data-paper="{as_html(paper.slug)}"']
        if first and first.date:
            out.append(f' data-first="{as_html(first.date)}"')
        out += ["><strong>", links.paper_link(paper), "</strong>"]
        if cur and cur.featured:
            out.append(' <span class="digest-badge digest-featured">featured</span>')
        if mark and mark[0] == "new":
            out.append(' <span class="digest-badge digest-new" title="First appears in this digest">new</span>')
        elif mark:
            out += [' <small class="digest-returning">seen before in ', links.digest_link(mark[1]), "</small>"]
        out.append("<br>\n")
        if cur and cur.note:
            out += ["<em>Curator:</em> ", as_html(teaser(markdown_to_plain(cur.note)))]
        else:
            out.append(as_html(teaser(paper.abstract)))
        topic_slugs = [slug for slug in view.topics_of(key) if slug != under] if show_topics else []
        digests = view.digests_of[key]
        returning = mark[1] if mark else None
        elsewhere = ([d for d in digests if d is not within and d is not returning]
                     if within and not show_digest else [])
        # Topics and other digests share one small line, so a listed paper is three lines at most.
        if topic_slugs or elsewhere or (show_digest and digests):
            out += ["<br>\n<small>", ", ".join(links.topic_link(slug) for slug in topic_slugs)]
            if show_digest and digests:
                out += [" · " if topic_slugs else "", ", ".join(links.digest_link(d) for d in digests)]
            elif elsewhere:
                out += [" · " if topic_slugs else "", "Also in ", ", ".join(links.digest_link(d) for d in elsewhere)]
            out.append("</small>")
        out.append("</li>")
        return Markup("".join(out))

    return paper_item


def related_items(links: Links, view: SiteIndex) -> Callable[[Paper], Markup]:
    """``paper | related_items`` for one render: the ``<li>`` of each related paper that is
    on the site (a hidden one is not), with the terms they share, one per line."""

    def related(paper: Paper) -> Markup:
        items = []
        for other in view.site.related.get(paper.key, ()):
            if other.key not in view.papers:
                continue
            item = ["<li>", links.paper_link(view.papers[other.key])]
            if other.terms:
                item += [" <small>shared terms: ", as_html(", ".join(other.terms)), "</small>"]
            item.append("</li>")
            items.append("".join(item))
        return Markup("\n".join(items))

    return related
