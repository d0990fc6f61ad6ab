"""A reader's browser tab: opens pages, follows links, and watches for trouble.

Every request the tab makes, every uncaught exception and every console error
is recorded, so each test can end by checking that no page it visited broke
or reached for a host other than the local server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import BrowserContext, Locator, Page, Response, expect

# The heading without Material's "¶" permalink, which is part of the h1's text.
_HEADING_TEXT = """el => [...el.childNodes]
    .filter(node => !(node.classList && node.classList.contains('headerlink')))
    .map(node => node.textContent).join('').trim()"""


@dataclass
class Watch:
    """What went wrong while a tab was open, recorded as it happened."""

    origin: str
    requests: list[str] = field(default_factory=list)
    js_errors: list[str] = field(default_factory=list)
    expected_missing: set[str] = field(default_factory=set)
    """Paths a test asks for knowing they are missing: their 404 is not an error."""

    def attach(self, context: BrowserContext) -> None:
        # On the context, so that requests of every page and worker are seen.
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("page", self._attach_page)

    def _attach_page(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.js_errors.append(f"{page.url}: uncaught {error}"))
        page.on("console", lambda message: self._console(page, message))

    def _console(self, page: Page, message) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if "404" in message.text and urlsplit(source).path in self.expected_missing:
            return
        self.js_errors.append(f"{page.url}: console error: {message.text}" + (f" ({source})" if source else ""))

    def foreign_requests(self) -> list[str]:
        """Requests to anything but the local server (another host or port, or a non-HTTP scheme)."""
        local = urlsplit(self.origin)
        foreign = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue  # made in the page itself, nothing leaves the machine
            if (parts.scheme, parts.netloc) != (local.scheme, local.netloc):
                foreign.append(url)
        return foreign

    def problems(self) -> list[str]:
        return self.js_errors + [f"request to another host: {url}" for url in self.foreign_requests()]


class Reader:
    """One browser context with one tab, pointed at the local server."""

    def __init__(self, context: BrowserContext, origin: str):
        self.context = context
        self.origin = origin
        self.watch = Watch(origin)
        self.watch.attach(context)
        self.page = context.new_page()
        self.visited: list[str] = []
        self.page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.visited.append(frame.url)

    @property
    def content(self) -> Locator:
        """The page's article, where the generated Markdown ends up."""
        return self.page.locator("article.md-content__inner")

    def open(self, path: str, status: int = 200) -> Response:
        """Load ``path`` (relative to the site root) as if typed in the address bar."""
        response = self.page.goto(urljoin(self.origin + "/", path.lstrip("/")))
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"{path}: HTTP {response.status}, expected {status}"
        return response

    def heading(self) -> str:
        """The page's h1 as a reader sees it, without the permalink sign."""
        h1 = self.content.locator("h1").first
        expect(h1).to_be_visible()
        return h1.evaluate(_HEADING_TEXT)

    def follow(self, link: Locator) -> str:
        """Click a link as a reader would and wait until its page is shown; returns the new h1."""
        expect(link).to_be_visible()
        target = urljoin(self.page.url, link.get_attribute("href") or "")
        # Material's instant navigation swaps the article in place and may set
        # the address before it does, so the old article is marked: the new
        # page is there once an unmarked article is.
        self.content.evaluate("article => article.setAttribute('data-reader-left', '')")
        link.click()
        wanted = target.split("#")[0]
        self.page.wait_for_url(lambda url: url.split("#")[0] == wanted)
        expect(self.page.locator("article.md-content__inner:not([data-reader-left])")).to_have_count(1)
        return self.heading()

    def path(self) -> str:
        """The current page's path on the site, e.g. ``/topics/quantization/``."""
        return urlsplit(self.page.url).path

    def assert_clean(self) -> None:
        """No JavaScript errors and no requests off the local server, on any page this tab showed."""
        self.page.evaluate("1")  # lets events still on their way be recorded
        problems = self.watch.problems()
        visited = ", ".join(dict.fromkeys(self.visited))
        assert not problems, f"pages visited: {visited}\n" + "\n".join(problems)
