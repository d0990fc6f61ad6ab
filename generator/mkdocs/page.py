"""The page class of generated pages: MkDocs' ``Page``, minus the Markdown step."""

from __future__ import annotations

import html
from functools import lru_cache
from urllib.parse import urlsplit

from markdown.extensions.toc import nest_toc_tokens
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..site.document import HEADING, split_document


@lru_cache(maxsize=8)
def _path_of(base: str) -> str:
    return urlsplit(base).path
from ..site.markup import plain_text


class GeneratedPage(Page):
    """A page whose body the templates wrote as HTML: it is used as it is.

    Python-Markdown would pass raw HTML through unchanged anyway, at about
    1 ms a page; the table of contents and anchors it would collect come
    from the headings instead. Links were checked when the pages were rendered.

    The page's document is its file's content. A page in the navigation reads
    it at once: a dirty build skips reading unchanged pages, and the navigation
    of the pages it does build needs their titles. Any other page reads it
    when MkDocs builds it, which in a dirty rebuild is only if it changed.
    """

    def __init__(self, file: File, config: MkDocsConfig, in_nav: bool = False) -> None:
        super().__init__(None, file, config)
        if in_nav:
            self.meta, self.markdown = split_document(file.content_string)

    def _set_canonical_url(self, base: str | None) -> None:
        # MkDocs' urljoin and urlsplit per page were a tenth of a rebuild at 10,000 pages;
        # for our URLs (relative, no dot segments) joining is concatenation.
        url = self.url
        if not base or url.startswith(("/", ".")) or ":" in url:
            super()._set_canonical_url(base)
            return
        base = base if base.endswith("/") else base + "/"
        self.canonical_url = base + url
        self.abs_url = _path_of(base) + url

    def read_source(self, config: MkDocsConfig) -> None:
        source = config.plugins.on_page_read_source(page=self, config=config)
        self.meta, self.markdown = split_document(self.file.content_string if source is None else source)

    def release(self) -> None:
        """Drop the text read for the last build: the file keeps the document, and a
        page kept for the next rebuild (see ``rebuilds``) reads it again if it is built."""
        if self.file.inclusion.is_not_in_nav():
            self.markdown = self.content = None
            self.meta, self.toc = {}, get_toc([])

    def render(self, config: MkDocsConfig, files: Files) -> None:
        body = self.markdown or ""
        headings = HEADING.findall(body)
        # The tokens Python-Markdown's toc extension would make, nested as it nests them.
        tokens = [{"level": int(level), "id": anchor, "name": html.escape(plain_text(inner), quote=False)}
                  for level, anchor, inner in headings]
        self.content = body
        self.toc = get_toc(nest_toc_tokens(tokens))
        self.present_anchor_ids = {anchor for _, anchor, _ in headings}
