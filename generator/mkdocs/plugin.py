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
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..models import InputError
from ..pipeline import Sources, gather_site
from ..runtime.parallel import available_cores
from ..site.document import split_document
from ..site.markup import compact_html
from ..site.render import Renderer
from ..site.urls import INDEX_PAGES, digest_uri, site_path
from .page import GeneratedPage
from .search_index import SearchIndex, SearchIndexError, search_document

log = logging.getLogger("mkdocs.plugins." + __name__)


class DigestConfig(Config):
    """The plugin's options in ``mkdocs.yml``; paths are relative to that file, and
    MkDocs itself reports one that does not exist."""

    dumps = c.Dir(exists=True, default="dumps")
    topics = c.File(exists=True, default="topics.yml")
    curation = c.Optional(c.File(exists=True))
    """The curator's overrides; without the option, ``curation.yml`` beside mkdocs.yml if it exists."""
    templates = c.Optional(c.Dir(exists=True))
    """A folder of Jinja templates that replace the built-in ones of the same name."""
    search = c.Type(bool, default=True)
    """Index the generated pages with Pagefind while MkDocs writes the site, and show its search box in the header."""


def _project_path(root: Path, path: str) -> str:
    """c.Dir and c.File give absolute paths; messages name files relative to the project."""
    resolved = Path(path).resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else resolved.as_posix()


class DigestPlugin(BasePlugin[DigestConfig]):
    def on_config(self, config: MkDocsConfig) -> None:
        root = Path(config.config_file_path).resolve().parent
        curation = _project_path(root, self.config.curation) if self.config.curation else "curation.yml"
        self.sources = Sources(root, _project_path(root, self.config.dumps), _project_path(root, self.config.topics),
                               curation)
        template_dirs = [Path(self.config.templates)] if self.config.templates else []
        self.renderer = Renderer(template_dirs, directory_urls=config.use_directory_urls)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
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
        # The theme's 404 page (overrides/404.html) offers the latest digest.
        if latest := next((d for d in site.digests if d.date), None):
            config.extra["digest_latest"] = {"title": latest.title, "url": site_path(digest_uri(latest))}
        # MkDocs has not started on pages yet, so every core can render.
        generated = self.renderer.build(site, site_name=config.site_name, site_url=config.site_url or "",
                                        workers=available_cores())
        searchable: list[tuple[File, dict, str]] = []
        for uri, content in generated.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} is also a generated page; rename or remove docs/{uri}")
            is_page = uri.endswith(".md")
            inclusion = InclusionLevel.NOT_IN_NAV if is_page and uri not in INDEX_PAGES else InclusionLevel.UNDEFINED
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
