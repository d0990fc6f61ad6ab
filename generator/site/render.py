"""Render: the gathered site becomes its pages, one document per page.

A page document is what MkDocs reads from a ``.md`` file: front matter, then
the body. Our templates write the body as HTML, not Markdown syntax. Raw HTML
is Markdown too, so an exported page renders the same in any Markdown tool,
but the plugin can hand it to MkDocs without running Python-Markdown over it:
at 10,000 papers that conversion was half the build.

Templates live in ``generator/templates``; a curator may override any of them
by putting a file of the same name in a templates folder of their own. Every
value a template prints is HTML-escaped by ``markup.escape_text`` unless it is
``Markup`` already, so a template cannot forget to escape dump text. Links are
final relative URLs (MkDocs does not rewrite links in HTML), and every one is
checked against the pages and files this build generates.
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..ingest.normalize import clean_text
from ..models import Digest, Paper, Site
from ..runtime.compiled import COMPILED
from ..runtime.memo import Memo, fingerprint
from ..runtime.memory import collector_paused
from ..runtime.parallel import in_background, in_shares
from . import charts, cite, reasons, reuse
from .document import as_html, front_matter, heading
from .feeds import data_file_paths, data_files
from .index import SiteIndex, index_site
from .listing import listing_item, related_items
from .markup import distinct_words, markdown_to_plain, note_html
from .pages import Job, page_jobs
from .text import first_sentence, lookup_links, reason_summary, teaser
from .urls import (
    FEEDS_OPML, PAPERS_INDEX, PAPERS_JSON, SAVED, SITE_FEED, UNSORTED, digest_uri, letter_id, letter_uri, page_href,
    paper_uri, topic_feed_uri, topic_uri,
)

_SAFE_URI = re.compile(r"^[a-z0-9][a-z0-9./_-]*$")


class Renderer:
    """Owns the Jinja environment; one instance can render many builds.

    ``directory_urls`` is MkDocs' setting of the same name: it decides what
    the links between pages look like (``papers/x/`` or ``papers/x.html``).
    """

    def __init__(self, template_dirs: Sequence[Path] = (), directory_urls: bool = True):
        self.directory_urls = directory_urls
        self.template_dirs = tuple(template_dirs)
        self.link_targets: set[str] = set()
        self.current_page = ""
        self.page_targets: set[str] = set()
        """What the page being rendered links to, and the papers it shows (see ``reuse``)."""
        self.page_mentions: set[str] = set()
        self.reused = 0
        """Pages the last render took from the previous one unchanged."""
        own = jinja2.FileSystemLoader([str(d) for d in template_dirs])
        self.own_templates = bool(own.list_templates())
        """Whether the curator overrides any template (see ``reuse``)."""
        self.loader = jinja2.ChoiceLoader([own, jinja2.PackageLoader("generator.site", "templates")])
        self.env = self.environment()

    def environment(self, **site_globals: object) -> jinja2.Environment:
        """A Jinja environment whose templates see ``site_globals`` (the site being
        rendered). A new one per render: Jinja keeps imported macro modules with
        the globals they were first imported with."""
        env = jinja2.Environment(
            loader=self.loader,
            finalize=as_html,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            # With autoescape on, macro output is Markup and every other value goes
            # through as_html, which escapes it.
            autoescape=True,
            # Templates are read once per build; no stat() per page to look for edits.
            auto_reload=False,
            bytecode_cache=COMPILED,
        )
        # Helpers are filters rather than functions: Jinja calls a filter
        # directly, a function through the context (several times slower).
        env.filters.update(
            clean=clean_text, teaser=teaser, first_sentence=first_sentence, plain=markdown_to_plain,
            note=note_html,
            distinct_words=distinct_words,
            heading=lambda text, level, anchor: heading(level, anchor, text),
            lookup_links=lookup_links,
            linkify=cite.linkify, bibtex=cite.bibtex_html, field=cite.field, authors=cite.authors_of,
            arxiv_id=cite.arxiv_id,
            topic_reasons=reasons.topic_reasons,
            # These two are for a paper.html.j2 override copied before topic_reasons existed.
            evidence=lambda a, paper: reasons.topic_evidence(a, paper.title, paper.abstract),
            reason_summary=reason_summary,
            marked=reasons.marked,
            evidence_sentences=reasons.evidence_sentences,
            # Links by what they link to.
            paper_link=self.paper_link,
            digest_link=self.digest_link,
            topic_link=self.topic_link,
        )
        env.globals.update(
            site_globals,
            href=self._href,
            link=self._link,
            Markup=Markup,
            letter_id=letter_id,
            front_matter=front_matter,
            charts=charts,
            paper_uri=paper_uri,
            topic_uri=topic_uri,
            letter_uri=letter_uri,
            digest_uri=digest_uri,
            UNSORTED=UNSORTED,
            PAPERS_INDEX=PAPERS_INDEX,
            SITE_FEED=SITE_FEED,
            FEEDS_OPML=FEEDS_OPML,
            SAVED=SAVED,
            PAPERS_JSON=PAPERS_JSON,
            topic_feed_uri=topic_feed_uri,
        )
        if "view" in site_globals:
            env.globals["paper_item"] = listing_item(self, site_globals["view"])  # type: ignore[arg-type]
            env.filters["related_items"] = related_items(self, site_globals["view"])  # type: ignore[arg-type]
        return env

    def page(self, template: str, uri: str, **context: object) -> str:
        # Pages render one at a time; macros (imported once, without the page's
        # context, which is much faster) find the current page here through href().
        self.current_page = uri
        self.page_targets, self.page_mentions = set(), set()
        return self.env.get_template(template).render(**context)

    def paper_link(self, paper: Paper) -> Markup:
        # A page shows another paper's data only beside a link to it: this is how
        # ``reuse`` knows which papers a page depends on.
        self.page_mentions.add(paper.key)
        return self._link(paper_uri(paper), clean_text(paper.title))

    def _href(self, target: str) -> Markup:
        """A link from the page being rendered to another page or file, by source path."""
        if not _SAFE_URI.match(target):
            raise ValueError(f"unexpected page path {target!r}")
        self.link_targets.add(target)
        self.page_targets.add(target)
        return Markup(page_href(self.current_page, target, self.directory_urls))

    def _link(self, target: str, text: object, css_class: str = "") -> Markup:
        """``<a href>`` to a page or file by source path, cached: the same link (a topic
        chip, a related paper) recurs on many pages. Pages in one folder that are not
        its index write the same relative URL for any target that is not below them."""
        page = self.current_page
        self.link_targets.add(target)
        self.page_targets.add(target)
        if target.startswith(page[: -len(".md")]):
            origin = page
        else:
            origin = page.rpartition("/")[0] + ("/index" if page.endswith("index.md") else "/*")
        return _cached_link(self, origin, target, text, css_class)

    def digest_link(self, digest: Digest) -> Markup:
        return self._link(digest_uri(digest), digest.title)

    def topic_link(self, slug: str, css_class: str = "") -> Markup:
        topics = self.env.globals["topics"]
        return self._link(topic_uri(slug), topics[slug].name if slug in topics else "Unsorted", css_class)

    def build(self, site: Site, *, site_name: str, site_url: str, workers: int = 1,
              memo: Memo | None = None) -> dict[str, str]:
        """Everything a build adds to ``docs/`` (as if it were there): the pages, then the data files.

        With ``memo``, pages whose inputs did not change since the build that
        filled it are taken from there (``site.reuse``); the result is the same.
        """
        view = index_site(site)
        settings = repr((site_name, site_url, self.directory_urls, _template_sources(self.loader)))
        # Feeds and papers.json show no notes and no related papers: a note changes none of them.
        key = (settings, repr(site.topics), repr(site.digests), reuse.aggregate_key(site), tuple(site.papers))
        found, kept = memo.lookup("data files", key) if memo is not None else (False, None)
        make = (lambda: kept) if found else partial(data_files, site, site_name=site_name, site_url=site_url,
                                                    view=view)
        # The data files need no page: they are made in a process of their own while the
        # pages render on every core (at 10,000 papers, 0.7 s that came after the pages).
        fork = not found and workers > 1 and len(site.papers) >= DATA_FILES_FORK_MIN
        with collector_paused(), in_background(make, fork=fork) as made:
            pages = self.render(site, workers, view=view, memo=memo, settings=settings)
        data = made.result()
        if memo is not None and not found:
            memo.put("data files", key, data)
        return pages | data

    def render(self, site: Site, workers: int = 1, view: SiteIndex | None = None,
               memo: Memo | None = None, settings: str = "") -> dict[str, str]:
        """Every generated page, by its path under ``docs/`` (as if it were there).

        With ``workers`` > 1 the pages are shared out to forked processes (see
        ``_render_jobs``); the pages are the same either way. ``view`` is
        ``index_site(site)``, if the caller has it already.
        """
        view = view or index_site(site)
        # The site is global to this render's templates, so imported macros see it too.
        self.env = self.environment(site=site, view=view, topics={t.slug: t for t in site.topics},
                                    trends=charts.topic_trends(view))
        jobs = page_jobs(site, view)
        # Compiled here, before any worker is forked, rather than once in each worker.
        for template in dict.fromkeys(template for _, template, _ in jobs):
            self.env.get_template(template)
        with collector_paused():
            pages = self._render_jobs(jobs, workers) if memo is None else self._reuse_or_render(
                jobs, workers, site, memo, settings)
        # MkDocs checks links only in Markdown it converts; these it never sees.
        if broken := self.link_targets - pages.keys() - data_file_paths(site):
            raise ValueError(f"generated pages link to pages that are not generated: {sorted(broken)[:5]}")
        return pages

    def _reuse_or_render(self, jobs: list[Job], workers: int, site: Site, memo: Memo, settings: str
                         ) -> dict[str, str]:
        """Pages from ``memo`` where ``reuse`` says they are unchanged, the rest rendered and stored."""
        frame = reuse.frame_key(site, settings, self.own_templates)
        view, trends = self.env.globals["view"], self.env.globals["trends"]
        _, last_states = memo.lookup("paper states", "")
        papers = reuse.paper_states(view, last_states)  # type: ignore[arg-type]
        memo.put("paper states", "", papers)
        inputs, todo, kept = {}, [], {}
        for uri, template, context in jobs:
            shown = reuse.site_wide(template, context, view, trends)  # type: ignore[arg-type]
            inputs[uri] = reuse.job_inputs(frame, template, context, shown)
            found, previous = memo.lookup("pages", uri)
            if uri not in reuse.ALWAYS_RENDERED and reuse.reusable(previous, inputs[uri], papers):  # type: ignore[arg-type]
                kept[uri] = previous
            else:
                todo.append((uri, template, context))
        rendered = self._render_jobs(todo, workers, details=True)
        self.link_targets = set().union(*(r.targets for r in kept.values()), self.link_targets)
        self.reused = len(kept)
        pages = {}
        for uri, _, _ in jobs:
            if uri in kept:
                pages[uri] = kept[uri].document
            else:
                document, targets, mentions = rendered[uri]
                memo.put("pages", uri, reuse.record(inputs[uri], mentions, papers, document, targets))
                pages[uri] = document
        return pages

    def _render_share(self, jobs: Sequence[Job], details: bool = False) -> tuple[dict[str, object], set[str]]:
        self.link_targets = set()
        pages: dict[str, object] = {}
        for uri, template, context in jobs:
            document = self.page(template, uri, **context)
            if details:  # a page depends on the papers it links to and the paper it is about
                mentions = self.page_mentions | {v.key for v in context.values() if isinstance(v, Paper)}
                pages[uri] = (document, frozenset(self.page_targets), tuple(mentions))
            else:
                pages[uri] = document
        return pages, self.link_targets

    def _render_jobs(self, jobs: list[Job], workers: int, details: bool = False) -> dict[str, Any]:
        """The pages, on up to ``workers`` cores.

        Workers are forked (``parallel.in_shares``), so they start with this
        renderer and the site as they are (nothing is pickled on the way in),
        render every n-th page and send the text back. For a small site, or
        where forking is not safe, one process does it all.
        """
        results = in_shares(lambda share: self._render_share(share, details), jobs,
                            min(workers, len(jobs) // PAGES_PER_WORKER_MIN))
        merged: dict[str, str] = {}
        self.link_targets = set()
        for share_pages, targets in results:
            merged |= share_pages
            self.link_targets |= targets
        return {uri: merged[uri] for uri, _, _ in jobs}  # in order, as one process would have


PAGES_PER_WORKER_MIN = 250
"""Below this many pages per worker, forking costs more than it saves."""
DATA_FILES_FORK_MIN = 2000
"""Papers from which the feeds and papers.json are made beside the pages (see ``build``)."""


@lru_cache(maxsize=1 << 16)
def _cached_link(renderer: Renderer, origin: str, target: str, text: object, css_class: str) -> Markup:
    attributes = f' class="{escape(css_class)}"' if css_class else ""
    return Markup(f'<a{attributes} href="{renderer._href(target)}">{as_html(text)}</a>')


def _template_sources(loader: jinja2.BaseLoader) -> str:
    """A fingerprint of every template the loader can see, overrides included."""
    parts = []
    for name in sorted(loader.list_templates()):
        source, _, _ = loader.get_source(jinja2.Environment(), name)
        parts += [name, source]
    return fingerprint(*parts)
