"""MkDocs plugin: feeds the generated pages to MkDocs as in-memory files.

Only wiring lives here; the work is in ``pipeline`` and ``render``. Nothing is
written into ``docs/``: MkDocs' file watcher would rebuild forever.

Generated pages are ordinary MkDocs pages (nav, theme, sitemap, hooks of
other plugins) except for one step: their body is HTML already, so
``GeneratedPage`` hands it over instead of running Python-Markdown on it.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import fields
from pathlib import Path

from markdown.extensions.toc import nest_toc_tokens
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..site.markup import compact_html, plain_text
from ..ingest.limits import DEFAULT_LIMITS, Limits
from ..models import InputError, Site, printable
from ..pipeline import Sources, gather_site
from ..runtime.parallel import available_cores
from ..site.render import HEADING, Renderer, split_document
from .search_index import SearchIndex, SearchIndexError, search_document

log = logging.getLogger("mkdocs.plugins." + __name__)

_INDEX_PAGES = {"index.md", "papers/index.md", "topics/index.md", "digests/index.md"}


class LimitsConfig(Config):
    """The largest input a build accepts; past one, the dump or entry is refused (see the README)."""

    title_chars = c.Type(int, default=DEFAULT_LIMITS.title_chars)
    abstract_chars = c.Type(int, default=DEFAULT_LIMITS.abstract_chars)
    dump_bytes = c.Type(int, default=DEFAULT_LIMITS.dump_bytes)
    papers_per_dump = c.Type(int, default=DEFAULT_LIMITS.papers_per_dump)


class DigestConfig(Config):
    dumps = c.Type(str, default="dumps")
    topics = c.Type(str, default="topics.yml")
    curation = c.Type(str, default="curation.yml")
    templates = c.Optional(c.Type(str))
    """A folder of Jinja templates that replace the built-in ones of the same name."""
    search = c.Type(bool, default=True)
    """Index the generated pages with Pagefind while MkDocs writes the site, and show its search box in the header."""
    limits = c.SubConfig(LimitsConfig)


class DigestPlugin(BasePlugin[DigestConfig]):
    # Under `mkdocs serve`, a bad edit must not stop the preview: MkDocs has
    # already advanced the site's version when a rebuild fails, and every
    # request then waits for that version forever (LiveReloadServer's
    # _serve_request), while the failed build has already emptied the site
    # folder. So a serve build that meets bad input builds the last good site
    # again, with the error shown in a banner on every page and in the log.
    serving = False
    last_good: Site | None = None
    serve_error: str | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also makes MkDocs keep this one plugin object for
        # every rebuild of a serve, which is what lets it remember the last good site.
        # (`serve --clean` starts up as "build": it stops on bad input as a build does.)
        self.serving, self.last_good, self.serve_error = command == "serve", None, None

    def on_config(self, config: MkDocsConfig) -> None:
        root = Path(config.config_file_path).resolve().parent
        limits = Limits(**{f.name: self.config.limits[f.name] for f in fields(Limits)})
        self.sources = Sources(root, self.config.dumps, self.config.topics, self.config.curation, limits)
        template_dirs = [root / self.config.templates] if self.config.templates else []
        self.renderer = Renderer(template_dirs, directory_urls=config.use_directory_urls)

    def _gather(self) -> Site:
        try:
            gathered = gather_site(self.sources)
        except InputError as error:
            raise PluginError(str(error)) from None
        for diagnostic in gathered.diagnostics:
            (log.error if diagnostic.level == "error" else log.warning)(str(diagnostic))
        if gathered.errors:
            raise PluginError(f"{gathered.errors[0]} ({len(gathered.errors)} error(s) in all; see above)")
        site = gathered.site
        log.info(
            "digest: %d papers from %d entries in %d dumps, %d digests; %d hidden by the curator",
            len(site.papers), gathered.entry_count, len(gathered.dumps), len(site.digests), len(gathered.hidden),
        )
        return site

    def _site_to_build(self) -> Site:
        """The site from the inputs; while serving, the last good one if they are bad."""
        try:
            site = self._gather()
        except PluginError as error:
            if not self.serving:
                raise
            self.serve_error = printable(str(error))
            log.error("%s\n  The preview goes on showing the last good site; it rebuilds when you save a fix.",
                      self.serve_error)
            return self.last_good or Site(papers=(), digests=(), topics=(), assignments={})
        self.last_good, self.serve_error = site, None
        return site

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        site = self._site_to_build()
        # MkDocs has not started on pages yet, so every core can render.
        generated = self.renderer.build(site, site_name=config.site_name, site_url=config.site_url or "",
                                        workers=available_cores())
        searchable: list[tuple[File, dict, str]] = []
        for uri, content in generated.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} is also a generated page; rename or remove docs/{uri}")
            is_page = uri.endswith(".md")
            inclusion = InclusionLevel.NOT_IN_NAV if is_page and uri not in _INDEX_PAGES else InclusionLevel.UNDEFINED
            file = File.generated(config, uri, content=content, inclusion=inclusion)
            files.append(file)
            if is_page:
                meta, body = split_document(content)
                GeneratedPage(file, config, meta, body)  # becomes file.page, which MkDocs then uses
                if "data-pagefind-body" in body:
                    searchable.append((file, meta, body))
        if self.config.search:
            self._start_search_index(searchable, config)
        return files

    # Search: Pagefind indexes the generated pages while MkDocs writes the site (see search_index).
    search_index: SearchIndex | None = None

    def _start_search_index(self, searchable: list[tuple[File, dict, str]], config: MkDocsConfig) -> None:
        """Hand the searchable pages to Pagefind now, so that it indexes them while
        MkDocs writes the site (started after rendering, whose forked workers
        should not inherit it; a fresh index for every build, serve's included)."""
        self.on_build_error(None)  # an index a failed earlier build left running
        try:
            self.search_index = SearchIndex(Path(config.site_dir) / "pagefind")
        except SearchIndexError as error:
            raise PluginError(str(error)) from None
        fallback = html.escape(config.site_description or "")
        for file, meta, body in searchable:
            self.search_index.add(file.dest_uri, search_document(body, str(meta.get("description") or fallback)))
        self.search_index.close()

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.serve_error:
            output = _BODY.sub(lambda m: m.group(0) + error_banner(self.serve_error or ""), output, count=1)
        return compact_html(output)  # the theme's indentation was a fifth of a paper page

    def on_post_build(self, config: MkDocsConfig) -> None:
        index, self.search_index = self.search_index, None
        if index is None:
            return
        try:
            summary = index.finish()
        except SearchIndexError as error:
            raise PluginError(str(error)) from None
        log.info("search index: %s", summary)

    def on_build_error(self, error: Exception | None) -> None:
        index, self.search_index = self.search_index, None
        if index is not None:
            index.abort()  # the build stopped: no index, and no Pagefind process left behind

    def on_serve(self, server, config: MkDocsConfig, builder):
        for path in self.sources.watched():
            if path.exists():
                server.watch(str(path))
        return server


_BODY = re.compile(r"<body\b[^>]*>")
BANNER_CLASS = "digest-build-error"


def error_banner(message: str) -> str:
    """What every page of the preview shows while the inputs have an error."""
    return (
        f'<div class="{BANNER_CLASS}" role="alert" style="background:#b00020;color:#fff;padding:.75em 1em;'
        'font:.8rem/1.5 monospace;white-space:pre-wrap;position:relative;z-index:10">'
        f"<strong>The last edit broke the build; this is the last good site.</strong>\n{html.escape(message)}</div>"
    )


class GeneratedPage(Page):
    """A page whose body the templates wrote as HTML: it is used as it is.

    Python-Markdown would pass raw HTML through unchanged anyway, at about
    1 ms a page; the table of contents and anchors it would collect come
    from the headings instead. Links were checked when the pages were rendered.
    """

    def __init__(self, file: File, config: MkDocsConfig, meta: dict, body: str) -> None:
        super().__init__(None, file, config)
        self._document = (meta, body)  # the file's content, already split in on_files

    def read_source(self, config: MkDocsConfig) -> None:
        source = config.plugins.on_page_read_source(page=self, config=config)
        meta, body = self._document if source is None else split_document(source)
        self.meta, self.markdown = dict(meta), body

    def render(self, config: MkDocsConfig, files: Files) -> None:
        body = self.markdown or ""
        headings = HEADING.findall(body)
        # The tokens Python-Markdown's toc extension would make, nested as it nests them.
        tokens = [{"level": int(level), "id": anchor, "name": html.escape(plain_text(inner), quote=False)}
                  for level, anchor, inner in headings]
        self.content = body
        self.toc = get_toc(nest_toc_tokens(tokens))
        self.present_anchor_ids = {anchor for _, anchor, _ in headings}
