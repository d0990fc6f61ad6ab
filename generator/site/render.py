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

import json
import re
from functools import lru_cache
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote_plus

import jinja2
from markupsafe import Markup, escape

from . import charts
from .feeds import atom_feed, feed_entries, papers_json
from .markup import distinct_words, escape_attribute, escape_text, markdown_to_plain, note_html
from ..runtime.memory import collector_paused
from ..models import Assignment, Digest, Paper, Site
from ..runtime.parallel import in_shares
from ..ingest.normalize import clean_text
from .index import UNSORTED, SiteIndex, index_site

TEASER_LENGTH = 180
LIST_PAGE_SIZE = 200
"""Papers per topic page; longer topics continue on numbered pages."""
AZ_SINGLE_PAGE_LIMIT = 2000
"""Up to this many papers the A–Z index is one page; beyond, one page per letter."""
_SAFE_URI = re.compile(r"^[a-z0-9][a-z0-9./_-]*$")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]][.!?])\s+(?=[A-Z])")


def paged_uris(first: str, count: int) -> list[str]:
    """``topics/x.md``, then ``topics/x/2.md``, ``topics/x/3.md``... for ``count`` pages."""
    stem = first[: -len(".md")]
    return [first] + [f"{stem}/{n}.md" for n in range(2, count + 1)]


def chunks(keys: Sequence[str], size: int | None = None) -> list[Sequence[str]]:
    size = size or LIST_PAGE_SIZE
    return [keys[i:i + size] for i in range(0, len(keys), size)] or [keys]


def letter_id(letter: str) -> str:
    return "other" if letter == "#" else letter.lower()


def letter_uri(letter: str) -> str:
    return f"az/{letter_id(letter)}.md"


def paper_uri(paper: Paper) -> str:
    return f"papers/{paper.slug}.md"


def topic_uri(slug: str) -> str:
    return f"topics/{slug}.md"


def digest_uri(digest: Digest) -> str:
    return f"digests/{digest.id}.md"


@lru_cache(maxsize=1 << 16)
def first_sentence(text: str) -> str:
    """The abstract's first sentence, readable, for teasers and page descriptions."""
    cleaned = clean_text(text)
    return _SENTENCE_END.split(cleaned, maxsplit=1)[0]


@lru_cache(maxsize=1 << 16)
def teaser(text: str, limit: int = TEASER_LENGTH) -> str:
    """One line: the first sentence, cut at a word boundary when long."""
    sentence = first_sentence(text)
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def by_letter(papers: Sequence[Paper]) -> list[tuple[str, list[Paper]]]:
    """Papers A–Z by readable title, under their first letter (``#`` for the rest)."""
    groups: dict[str, list[Paper]] = {}
    for paper in sorted(papers, key=lambda p: (clean_text(p.title).casefold(), p.slug)):
        first = clean_text(paper.title)[:1].upper()
        groups.setdefault(first if first.isalpha() and first.isascii() else "#", []).append(paper)
    return sorted(groups.items(), key=lambda item: (item[0] == "#", item[0]))


REASONS_SHOWN = 6


def reason_summary(assignment: Assignment) -> str:
    """Why a paper has a topic, compactly: ``title “a”; abstract “b”, “c” and 2 more``."""
    if any(m.where == "curator" for m in assignment.reasons):
        return "added by the curator"
    groups: dict[str, list[str]] = {}
    for match in assignment.reasons:
        phrases = groups.setdefault(match.where, [])
        if match.phrase not in phrases:
            phrases.append(match.phrase)
    parts, shown = [], 0
    for where in ("title", "abstract"):
        phrases = groups.get(where, [])
        take = phrases[: max(REASONS_SHOWN - shown, 0)]
        shown += len(take)
        if take:
            parts.append(f"{where} " + ", ".join(f"“{p}”" for p in take))
    hidden = sum(len(v) for v in groups.values()) - shown
    return "; ".join(parts) + (f" and {hidden} more" if hidden > 0 else "")


def _finalize(value: object) -> object:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return escape_text(str(value))


def _front_matter(**fields: object) -> Markup:
    """YAML front matter. Material prints ``title`` and ``description`` raw into
    the HTML head, so they are HTML-escaped text. Values are written as JSON,
    which YAML reads as it is: quoting is json's, and it is fast."""
    lines = ["---"]
    for name, value in fields.items():
        if value in (None, (), []):
            continue
        if isinstance(value, str):
            value = escape_attribute(value)
        lines.append(f"{name}: {json.dumps(value, ensure_ascii=False)}")
    return Markup("\n".join(lines) + "\n---\n")


def _external(url: str) -> Markup:
    if not url.startswith("https://"):
        raise ValueError(f"refusing non-https link {url!r}")
    return escape(url)


def lookup_links(paper: Paper) -> list[tuple[str, Markup]]:
    """Where a reader can find the paper itself: by id when known, else by title."""
    title = quote_plus(clean_text(paper.title))
    links = []
    if paper.arxiv_id:
        arxiv_id = quote_plus(paper.arxiv_id)
        links += [
            ("arXiv", _external(f"https://arxiv.org/abs/{arxiv_id}")),
            ("PDF", _external(f"https://arxiv.org/pdf/{arxiv_id}")),
            ("Hugging Face", _external(f"https://huggingface.co/papers/{arxiv_id}")),
        ]
    links += [
        ("arXiv search", _external(f"https://arxiv.org/search/?searchtype=title&query={title}")),
        ("Semantic Scholar", _external(f"https://www.semanticscholar.org/search?q={title}")),
        ("Google Scholar", _external(f"https://scholar.google.com/scholar?q={title}")),
    ]
    return links


class Renderer:
    """Owns the Jinja environment; one instance can render many builds.

    ``directory_urls`` is MkDocs' setting of the same name: it decides what
    the links between pages look like (``papers/x/`` or ``papers/x.html``).
    """

    def __init__(self, template_dirs: Sequence[Path] = (), directory_urls: bool = True):
        self.directory_urls = directory_urls
        self.link_targets: set[str] = set()
        self.current_page = ""
        self.loader = jinja2.ChoiceLoader([
            jinja2.FileSystemLoader([str(d) for d in template_dirs]),
            jinja2.PackageLoader("generator.site", "templates"),
        ])
        self.env = self.environment()

    def environment(self, **site_globals: object) -> jinja2.Environment:
        """A Jinja environment whose templates see ``site_globals`` (the site being
        rendered). A new one per render: Jinja keeps imported macro modules with
        the globals they were first imported with."""
        env = jinja2.Environment(
            loader=self.loader,
            finalize=_finalize,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            # With autoescape on, macro output is Markup and every other value goes
            # through _finalize, which escapes it.
            autoescape=True,
            # Templates are read once per build; no stat() per page to look for edits.
            auto_reload=False,
        )
        # Helpers are filters rather than functions where pages call them often:
        # Jinja calls a filter directly, a function through the context (several
        # times slower). The functions stay for templates written before.
        env.filters.update(
            clean=clean_text, teaser=teaser, first_sentence=first_sentence, plain=markdown_to_plain,
            note=note_html,
            distinct_words=distinct_words,
            heading=lambda text, level, anchor: heading(level, anchor, text),
            reason_summary=reason_summary,
            lookup_links=lookup_links,
            # Links by what they link to.
            paper_link=lambda paper: self._link(paper_uri(paper), clean_text(paper.title)),
            digest_link=lambda digest: self._link(digest_uri(digest), digest.title),
            topic_link=self._topic_link,
        )
        env.globals.update(
            site_globals,
            href=self._href,
            link=self._link,
            heading=heading,
            Markup=Markup,
            letter_id=letter_id,
            front_matter=_front_matter,
            lookup_links=lookup_links,
            reason_summary=reason_summary,
            by_letter=by_letter,
            charts=charts,
            paper_uri=paper_uri,
            topic_uri=topic_uri,
            letter_uri=letter_uri,
            digest_uri=digest_uri,
            UNSORTED=UNSORTED,
        )
        return env

    def page(self, template: str, uri: str, **context: object) -> str:
        # Pages render one at a time; macros (imported once, without the page's
        # context, which is much faster) find the current page here through href().
        self.current_page = uri
        return self.env.get_template(template).render(**context)

    def _href(self, target: str) -> Markup:
        """A link from the page being rendered to another page or file, by source path."""
        if not _SAFE_URI.match(target):
            raise ValueError(f"unexpected page path {target!r}")
        self.link_targets.add(target)
        return Markup(page_href(self.current_page, target, self.directory_urls))

    def _link(self, target: str, text: object, css_class: str = "") -> Markup:
        """``<a href>`` to a page or file by source path, cached: the same link (a topic
        chip, a related paper) recurs on many pages. Pages in one folder that are not
        its index write the same relative URL for any target that is not below them."""
        page = self.current_page
        self.link_targets.add(target)
        if target.startswith(page[: -len(".md")]):
            origin = page
        else:
            origin = page.rpartition("/")[0] + ("/index" if page.endswith("index.md") else "/*")
        return _cached_link(self, origin, target, text, css_class)

    def _topic_link(self, slug: str, css_class: str = "") -> Markup:
        topics = self.env.globals["topics"]
        return self._link(topic_uri(slug), topics[slug].name if slug in topics else "Unsorted", css_class)

    def build(self, site: Site, *, site_name: str, site_url: str, workers: int = 1) -> dict[str, str]:
        """Everything a build adds to ``docs/`` (as if it were there): the pages, then the data files."""
        view = index_site(site)
        pages = self.render(site, workers, view=view)
        with collector_paused():
            return pages | data_files(site, site_name=site_name, site_url=site_url, view=view)

    def render(self, site: Site, workers: int = 1, view: SiteIndex | None = None) -> dict[str, str]:
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
            pages = self._render_jobs(jobs, workers)
        # MkDocs checks links only in Markdown it converts; these it never sees.
        if broken := self.link_targets - pages.keys() - data_file_paths(site):
            raise ValueError(f"generated pages link to pages that are not generated: {sorted(broken)[:5]}")
        return pages

    def _render_share(self, jobs: Sequence[Job]) -> tuple[dict[str, str], set[str]]:
        self.link_targets = set()
        return {uri: self.page(template, uri, **context) for uri, template, context in jobs}, self.link_targets

    def _render_jobs(self, jobs: list[Job], workers: int) -> dict[str, str]:
        """The pages, on up to ``workers`` cores.

        Workers are forked (``parallel.in_shares``), so they start with this
        renderer and the site as they are (nothing is pickled on the way in),
        render every n-th page and send the text back. For a small site, or
        where forking is not safe, one process does it all.
        """
        results = in_shares(self._render_share, jobs, min(workers, len(jobs) // PAGES_PER_WORKER_MIN))
        merged: dict[str, str] = {}
        self.link_targets = set()
        for share_pages, targets in results:
            merged |= share_pages
            self.link_targets |= targets
        return {uri: merged[uri] for uri, _, _ in jobs}  # in order, as one process would have


Job = tuple[str, str, dict[str, object]]
"""A page to render: its path, its template and the template's own values."""


def page_jobs(site: Site, view: SiteIndex) -> list[Job]:
    """Every page of the site, in a fixed order; a clash of paths is a bug."""
    jobs: list[Job] = [
        ("index.md", "home.html.j2", {}),
        ("topics/index.md", "topics_index.html.j2", {}),
        ("digests/index.md", "digests_index.html.j2", {}),
    ]
    letters = by_letter(site.papers)
    split = len(site.papers) > AZ_SINGLE_PAGE_LIMIT
    jobs.append(("papers/index.md", "papers_index.html.j2", {"letters": letters, "split": split}))
    if split:
        jobs += [(letter_uri(letter), "papers_letter.html.j2", {"letter": letter, "group": group})
                 for letter, group in letters]
    listings = [(t, view.topic_papers.get(t.slug, ())) for t in site.topics]
    listings.append((None, view.unsorted))
    for topic, keys in listings:
        parts = chunks(keys)
        uris = paged_uris(topic_uri(topic.slug if topic else UNSORTED), len(parts))
        pager = list(enumerate(uris, start=1))
        for number, (uri, part) in enumerate(zip(uris, parts), start=1):
            jobs.append((uri, "topic.html.j2" if topic else "unsorted.html.j2", {
                "topic": topic, "keys": part, "total": len(keys), "pager": pager, "page_number": number}))
    for number, digest in enumerate(site.digests):
        newer = site.digests[number - 1] if number else None
        older = site.digests[number + 1] if number + 1 < len(site.digests) else None
        jobs.append((digest_uri(digest), "digest.html.j2", {"digest": digest, "newer": newer, "older": older}))
    jobs += [(paper_uri(paper), "paper.html.j2", {"paper": paper}) for paper in site.papers]
    seen: set[str] = set()
    if clash := {uri for uri, _, _ in jobs if uri in seen or seen.add(uri)}:
        raise ValueError(f"generated pages clash: {sorted(clash)}")
    return jobs


PAGES_PER_WORKER_MIN = 1000
"""Below this many pages per worker, forking costs more than it saves."""


@lru_cache(maxsize=1 << 16)
def _cached_link(renderer: Renderer, origin: str, target: str, text: object, css_class: str) -> Markup:
    attributes = f' class="{escape(css_class)}"' if css_class else ""
    return Markup(f'<a{attributes} href="{renderer._href(target)}">{_finalize(text)}</a>')


HEADING = re.compile(r'<h([2-6]) id="([^"]+)">(.*?)<a class="headerlink"')
"""A heading as ``heading`` writes it: level, anchor and inner HTML (the plugin builds
the table of contents from these)."""


@lru_cache(maxsize=256)
def heading(level: int, anchor: str, text: object) -> Markup:
    """A heading with the id and permalink Python-Markdown's toc extension would give it."""
    return Markup('<h{0} id="{1}">{2}<a class="headerlink" href="#{1}" title="Permanent link">&para;</a></h{0}>'
                  ).format(level, anchor, _finalize(text))


def output_path(uri: str, directory_urls: bool = True) -> str:
    """Where MkDocs writes a source file: ``papers/x.md`` → ``papers/x/index.html``."""
    if not uri.endswith(".md"):
        return uri
    stem = uri[: -len(".md")]
    if not directory_urls or stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def page_href(page: str, target: str, directory_urls: bool = True) -> str:
    """The relative URL MkDocs would write for a Markdown link from ``page`` to ``target``."""
    href = relative_path(output_path(page, directory_urls), output_path(target, directory_urls))
    if directory_urls and (href == "index.html" or href.endswith("/index.html")):
        href = href[: -len("index.html")] or "./"
    return href


def split_document(document: str) -> tuple[dict[str, object], str]:
    """A page document's front matter (as ``_front_matter`` writes it) and body."""
    if not document.startswith("---\n"):
        return {}, document
    head, _, body = document[4:].partition("\n---\n")
    meta = {}
    for line in head.splitlines():
        name, _, value = line.partition(": ")
        meta[name] = json.loads(value)
    return meta, body


def relative_path(page: str, target: str) -> str:
    """``posixpath.relpath(target, dirname(page))`` for our simple page paths, fast."""
    here = page.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


def data_file_paths(site: Site) -> set[str]:
    """The paths ``data_files`` writes, for link checking before it runs."""
    return {"feed.xml", "papers.json"} | {f"topics/{topic.slug}/feed.xml" for topic in site.topics}


def data_files(site: Site, *, site_name: str, site_url: str, view: SiteIndex | None = None) -> dict[str, str]:
    """The files beside the pages: the site feed, one feed per topic, papers.json."""
    view = view or index_site(site)  # once for all the feeds
    files = {
        "feed.xml": atom_feed(title=site_name, feed_url="feed.xml", site_url=site_url,
                              entries=feed_entries(site, site_url=site_url, view=view), updated=None),
        "papers.json": papers_json(site, site_url=site_url, view=view),
    }
    for topic in site.topics:
        path = f"topics/{topic.slug}/feed.xml"
        entries = feed_entries(site, site_url=site_url, topic=topic.slug, view=view)
        files[path] = atom_feed(title=f"{site_name}: {topic.name}", feed_url=path, site_url=site_url,
                                entries=entries, updated=None)
    return files


def render_site(site: Site, template_dirs: Sequence[Path] = ()) -> dict[str, str]:
    """Convenience for one-off rendering (CLI, tests)."""
    return Renderer(template_dirs).render(site)


__all__ = ["Renderer", "SiteIndex", "render_site", "teaser", "first_sentence", "paper_uri"]
