"""Parts of Material's pages rendered once per build for every folder of pages
outside the navigation, rather than once per page.

Material writes the whole navigation and the header into every page. For a
page that is not in the navigation, which is every paper, topic and digest
page, no entry is active, so those parts depend on the page only through its
relative links: they are the same for every such page whose links to their
targets are the same (the pages of one folder). Measured on 2,000 paper
pages of a 10,000-paper site, rendering them once per folder takes the
theme's time for a page from about 1.5 ms to 0.85 ms.

The theme's templates mark the parts with ``{% call digest_cached(name, page,
base_url) %}`` (``overrides/partials/nav.html``, ``header.html``, the config
block of ``main.html``), or pass a block's parent to it
(``{{ digest_cached(name, page, base_url, super) }}``: the styles, scripts and
footer blocks of ``main.html``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .page import GeneratedPage


class FolderFragments:
    """``digest_cached(name, page, base_url)`` for the theme's templates, one per build."""

    def __init__(self, nav: Navigation, config: MkDocsConfig) -> None:
        alternates = config.extra.get("alternate")
        alternates = alternates if isinstance(alternates, list) else []
        # Besides the navigation, the parts link to the home page (or extra.homepage), the logo,
        # the theme's assets, the extra stylesheets and scripts, and other languages.
        extras = [
            config.extra.get("homepage"), nav.homepage and nav.homepage.url, config.theme.get("logo"), "assets/",
            *config.extra_css, *map(str, config.extra_javascript), *map(str, config.extra.get("polyfills") or ()),
            *(alt.get("link") for alt in alternates if isinstance(alt, dict)),
        ]
        targets = {item.url for item in _items(nav.items) if isinstance(item, (Page, Link))}
        self.targets = sorted(targets | {extra for extra in extras if isinstance(extra, str)})
        self.rendered: dict[tuple[object, ...], str] = {}
        self._links: tuple[Page | None, tuple[str, ...]] = (None, ())
        """The page last asked about and its relative links: a page's parts come one after another."""

    def __call__(self, name: str, page: object, base_url: str, caller: Callable[[], str]) -> str:
        if not (isinstance(page, GeneratedPage) and page.file.inclusion.is_not_in_nav()):
            return caller()
        if self._links[0] is not page:
            self._links = (page, tuple(get_relative_url(target, page.url) for target in self.targets))
        key = (name, base_url, self._links[1])
        if key not in self.rendered:
            self.rendered[key] = caller()
        return self.rendered[key]


def _items(items: Iterable[object]) -> Iterable[object]:
    for item in items:
        yield item
        if isinstance(item, Section):
            yield from _items(item.children)
