"""Material's navigation, rendered once per build for the pages outside it.

Material writes the whole navigation into every page (for the drawer). For a
page that is not in the navigation, which is every paper, topic and digest
page, no entry is active, so the markup depends on the page only through its
relative links: the same for every page whose links to the navigation's
targets are the same (the pages of one folder). At 10,000 pages, rendering it
for each was about a fifth of the time MkDocs spent on a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .page import GeneratedPage


class NavCache:
    """``digest_cached_nav(page)`` for ``overrides/partials/nav.html``, one per build."""

    def __init__(self, nav: Navigation, config: MkDocsConfig) -> None:
        targets = {item.url for item in _items(nav.items) if isinstance(item, (Page, Link))}
        # What else the partial links to: the home page (or extra.homepage) and the logo.
        for extra in (config.extra.get("homepage"), nav.homepage and nav.homepage.url, config.theme.get("logo")):
            if isinstance(extra, str):
                targets.add(extra)
        self.targets = sorted(targets)
        self.rendered: dict[tuple[str, ...], str] = {}

    def __call__(self, page: object, caller: Callable[[], str]) -> str:
        if not (isinstance(page, GeneratedPage) and page.file.inclusion.is_not_in_nav()):
            return caller()
        links = tuple(get_relative_url(target, page.url) for target in self.targets)
        if links not in self.rendered:
            self.rendered[links] = caller()
        return self.rendered[links]


def _items(items: Iterable[object]) -> Iterable[object]:
    for item in items:
        yield item
        if isinstance(item, Section):
            yield from _items(item.children)
