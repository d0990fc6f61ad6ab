"""Fixtures for the browser tests: one headless Chromium per run, the built
site on a local port, and a fresh browser context (a "reader") per test.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``dev.py test``);
Playwright is only the driver, so nothing is ever downloaded. A missing
Chromium fails these tests with a message instead of skipping them, so that
CI can never pass without having run them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from .server import SiteServer

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}

# Headless and quiet: no GPU, no sandbox (CI runs as root in a container), and
# none of Chromium's own calls home, which would show up as foreign requests.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; each test gets its own context."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}. Run `python3 dev.py test`, which installs it, "
            "or `apt-get install --no-install-recommends chromium` as root.",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: install the test extras (`pip install -e '.[test]'`).", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[SiteServer]:
    """The strict build of the shipped site, served on 127.0.0.1 at an ephemeral port."""
    with SiteServer(built_site) as server:
        yield server


@pytest.fixture
def open_reader(browser, site_server) -> Iterator[Callable[..., object]]:
    """``open_reader(**context_options)`` -> a new Reader (its own context). All are closed after the test."""
    from .reader import Reader

    readers: list[Reader] = []

    def make(**options) -> Reader:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("color_scheme", "light")
        options.setdefault("locale", "en-US")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        reader = Reader(context, site_server.origin)
        readers.append(reader)
        return reader

    make.readers = readers
    yield make
    for reader in readers:
        reader.context.close()


@pytest.fixture
def reader(open_reader):
    """A desktop reader with a light colour preference."""
    return open_reader()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a browser test's own steps pass, check every page it visited for JS errors and foreign requests."""
    result = yield
    factory = item.funcargs.get("open_reader") if hasattr(item, "funcargs") else None
    for reader in getattr(factory, "readers", ()):
        reader.assert_clean()
    return result


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, from node_modules (``npm ci``)."""
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `npm ci` (or `python3 dev.py test`).", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """test-artifacts/screenshots/, emptied once per run (git-ignored)."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


# --- helpers the browser tests share ------------------------------------------

def search(page: Page, query: str) -> Locator:
    """Type ``query`` into the site's search box; returns the result links.

    The only place that knows the search UI (Pagefind in Material's search box); swap
    the selectors here if the engine changes.
    """
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    results = page.locator("a.md-search-result__link")
    expect(results.first).to_be_visible()
    assert is_on_top(results.first), (
        "the first search result is covered by the page: the results panel did not open over it "
        "(a reader who clicked into the search box and typed cannot see or click the results)"
    )
    return results


def is_on_top(element: Locator) -> bool:
    """Whether a click at the element's centre would reach it, not something drawn over it."""
    return element.evaluate(
        """el => { const box = el.getBoundingClientRect();
                   const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
                   return hit !== null && el.contains(hit); }"""
    )
