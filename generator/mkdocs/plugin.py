"""MkDocs plugin: feeds the generated pages to MkDocs as in-memory files.

Only wiring lives here; the work is in ``pipeline`` and ``site``. Nothing is
written into ``docs/``: MkDocs' file watcher would rebuild forever.

Generated pages are ordinary MkDocs pages (nav, theme, sitemap, hooks of
other plugins) except for one step: their body is HTML already, so
``GeneratedPage`` hands it over instead of running Python-Markdown on it.

Under ``mkdocs serve`` two more things hold (see ``rebuilds``): a rebuild reuses
what did not change, and tells ``--dirty`` which pages did; and a bad edit
never stops the preview. MkDocs has already advanced the site's version when a
rebuild fails, and every request then waits for that version forever
(LiveReloadServer's ``_serve_request``), while the failed build has emptied the
site folder. So a serve build that meets bad input builds the last good site
again, with the error in a banner on every page and in the log.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..enrich.quality import gate_failures, quality_report, title_pairs
from ..models import InputError, Site, printable
from ..pipeline import Sources, gather_site
from ..runtime.compiled import COMPILED
from ..runtime.memo import generator_version
from ..runtime.memory import collector_paused
from ..runtime.parallel import available_cores
from ..site import reuse
from ..site.document import document_body
from ..site.markup import compact_html
from ..site.render import Renderer
from ..site.urls import INDEX_PAGES, digest_uri, site_path
from .fragments import FolderFragments
from .options import DigestConfig
from .page import GeneratedPage
from .rebuilds import SESSION, GeneratedFile
from .search_index import SearchIndex, SearchIndexError, bundle_order, search_document, year_bundles

log = logging.getLogger("mkdocs.plugins." + __name__)


def _project_path(root: Path, path: str) -> str:
    """c.Dir and c.File give absolute paths; messages name files relative to the project."""
    resolved = Path(path).resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else resolved.as_posix()


class DigestPlugin(BasePlugin[DigestConfig]):
    last_good: Site | None = None
    serve_error: str | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also makes MkDocs keep this one plugin object for
        # every rebuild of a serve, which is what lets it remember the last good site.
        # (`serve --clean` starts up as "build": it stops on bad input as a build does.)
        SESSION.command, SESSION.dirty = command, dirty
        self.last_good, self.serve_error = None, None

    def on_config(self, config: MkDocsConfig) -> None:
        SESSION.postpone_collection()
        root = Path(config.config_file_path).resolve().parent
        curation = _project_path(root, self.config.curation) if self.config.curation else "curation.yml"
        self.sources = Sources(root, _project_path(root, self.config.dumps), _project_path(root, self.config.topics),
                               curation, self.config.limits.as_limits())
        template_dirs = [Path(self.config.templates)] if self.config.templates else []
        self.renderer = Renderer(template_dirs, directory_urls=config.use_directory_urls)
        self.site_dir = str(config.site_dir)
        cache = os.environ.get("DIGEST_CACHE") or self.config.cache
        self.memo = SESSION.memo(root, root / cache if cache else None)

    def _gather(self) -> Site:
        try:
            gathered = gather_site(self.sources, memo=self.memo)
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
        # Near-duplicate titles compare every title: in serve, only when a title changed.
        quality = quality_report(site) if self.memo is None else quality_report(
            site, self.memo.get("title pairs", reuse.titles_key(site), lambda: title_pairs(site)))
        log.info("digest quality: %s (python -m generator check lists them)", quality.summary())
        for failure in gate_failures(quality, self.config.quality_gates):
            log.warning("quality gate in mkdocs.yml: %s", failure)
        return site

    def _site_to_build(self) -> Site:
        """The site from the inputs; while serving, the last good one if they are bad."""
        try:
            site = self._gather()
        except PluginError as error:
            if not SESSION.serving:
                raise
            self.serve_error = printable(str(error))
            log.error("%s\n  The preview goes on showing the last good site; it rebuilds when you save a fix.",
                      self.serve_error)
            return self.last_good or Site(papers=(), digests=(), topics=(), assignments={})
        self.last_good, self.serve_error = site, None
        return site

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # Ten thousand pages and files, and no cycles among them worth a full pass of the collector.
        with collector_paused():
            return self._add_generated(files, config)

    def _add_generated(self, files: Files, config: MkDocsConfig) -> Files:
        site = self._site_to_build()
        # The theme's 404 page (overrides/404.html) offers the latest digest.
        if latest := next((d for d in site.digests if d.date), None):
            config.extra["digest_latest"] = {"title": latest.title, "url": site_path(digest_uri(latest))}
        # MkDocs has not started on pages yet, so every core can render.
        generated = self.renderer.build(site, site_name=config.site_name, site_url=config.site_url or "",
                                        workers=available_cores(), memo=self.memo if SESSION.serving else None)
        searchable: list[tuple[File, str]] = []
        made: list[GeneratedFile] = []
        # The banner is on every page: when it comes or goes, every page has changed.
        last = SESSION.last_files(config, files, banner=self.serve_error or "")
        for uri, content in generated.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} is also a generated page; rename or remove docs/{uri}")
            is_page = uri.endswith(".md")
            same = last.same_text(uri, content)
            file = last.reused(uri) if same else None
            if file is None:  # new or changed, or a page in the navigation (made anew every build)
                in_nav = uri in INDEX_PAGES
                inclusion = InclusionLevel.NOT_IN_NAV if is_page and not in_nav else InclusionLevel.UNDEFINED
                file = GeneratedFile.generated(config, uri, content=content, inclusion=inclusion)
                file.modified = not same
                if is_page:
                    GeneratedPage(file, config, in_nav)  # becomes file.page, which MkDocs then uses
            files.append(file)
            made.append(file)
            if is_page and "data-pagefind-body" in content:
                searchable.append((file, content))
        changed, removed = SESSION.record(config, last, made)
        if SESSION.dirty:
            SESSION.remove_outputs(config, removed)
        index_kept = SESSION.search is not None or (Path(config.site_dir) / "pagefind").is_dir()
        reindex = self.config.search and (not SESSION.dirty or not index_kept or bool(removed)
                                          or any(f.modified for f, _ in searchable))
        if self.memo is not None:
            self.memo.finish()
        if SESSION.serving:
            edited = SESSION.changed_inputs(self.sources.watched(), self.sources.root)
            log.info("rebuild: %s; %d of %d pages rendered again, %d changed, %d removed%s; search index %s",
                     ", ".join(edited) + " changed" if edited else "first build", len(generated) - self.renderer.reused,
                     len(generated), len(changed), len(removed),
                     "" if SESSION.dirty else " (not --dirty: MkDocs writes them all)",
                     "rebuilt" if reindex else "unchanged")
        if reindex:
            self._start_search_index(searchable, config)
        return files

    # Search: Pagefind indexes the generated pages while MkDocs writes the site (see search_index).
    search_index: SearchIndex | None = None

    def _start_search_index(self, searchable: list[tuple[File, str]], config: MkDocsConfig) -> None:
        """Hand the searchable pages to Pagefind now, so that it indexes them while
        MkDocs writes the site (started after rendering, whose forked workers
        should not inherit it; a fresh index for every build, serve's included)."""
        self.on_build_error(None)  # an index a failed earlier build left running
        SESSION.stop_search()
        # A rebuild of serve --dirty writes the index beside the one readers use until it is done;
        # Pagefind only adds files, so a fresh folder also leaves none of the last index behind.
        self.search_output = Path(config.site_dir) / ("pagefind.next" if SESSION.background_search else "pagefind")
        shutil.rmtree(self.search_output, ignore_errors=True)
        newest, bundles = year_bundles([document for _, document in searchable], self.config.search_split_from)
        # The build cache keeps each bundle's files, keyed by its pages: unchanged years are copied, not indexed.
        # Without one, serve keeps a split index's bundles for the session (one bundle would never be reused).
        cache = None
        if self.memo is not None and self.memo.directory:
            cache = self.memo.directory / generator_version() / "search"
        elif SESSION.serving and newest:
            cache = SESSION.search_cache()
        try:
            self.search_index = SearchIndex(self.search_output, newest, cache)
        except SearchIndexError as error:
            raise PluginError(str(error)) from None
        # Bundle by bundle (the main one first, then the years from the newest): each is built in turn.
        by_bundle: dict[str, list[tuple[str, str]]] = {}
        for (file, document), bundle in sorted(zip(searchable, bundles), key=lambda page: bundle_order(page[1])):
            by_bundle.setdefault(bundle, []).append((file.dest_uri, search_document(document_body(document))))
        for bundle, pages in by_bundle.items():
            self.search_index.add_bundle(bundle, pages)
        self.search_index.close()

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.fragments = FolderFragments(nav, config)
        return nav

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        env.bytecode_cache = COMPILED  # the theme's templates, compiled once per serve rather than per rebuild
        env.globals["digest_cached"] = self.fragments  # see generator/mkdocs/fragments.py
        return env

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        if self.serve_error:
            output = _BODY.sub(lambda m: m.group(0) + error_banner(self.serve_error or ""), output, count=1)
        return compact_html(output)  # the theme's indentation was a fifth of a paper page

    def on_post_build(self, config: MkDocsConfig) -> None:
        if SESSION.serving:
            SESSION.release_pages()
            SESSION.collect_when_idle()
        index, self.search_index = self.search_index, None
        if index is None:
            return
        if SESSION.background_search:  # the preview reloads now; search catches up in a moment
            SESSION.index_in_background(index, self.search_output, Path(config.site_dir) / "pagefind")
            return
        try:
            summary = index.finish()
        except SearchIndexError as error:
            raise PluginError(str(error)) from None
        log.info("search index: %s", summary)

    def on_build_error(self, error: Exception | None) -> None:
        if error is not None:
            SESSION.forget(self.site_dir)
            if SESSION.serving:
                SESSION.collect_when_idle()  # the collector was off for the build
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
