"""Make docs/assets/screenshot-home.png, the README's picture of the home page.

    .venv/bin/python -m tests.browser.readme_screenshot

Builds the site strictly into a temporary folder, serves it locally and takes
a 1280x800 screenshot of the home page in the light palette. Run it by hand
when the home page's look changes; the tests never rewrite committed files.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from ..conftest import ROOT, mkdocs_build
from .conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP
from .server import SiteServer

TARGET = ROOT / "docs" / "assets" / "screenshot-home.png"


def main() -> int:
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        result = mkdocs_build(ROOT, site)
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            return 1
        with SiteServer(site) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=DESKTOP, color_scheme="light")
            page.goto(server.url)
            page.wait_for_load_state("networkidle")
            TARGET.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(TARGET))
            browser.close()
    print(f"wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
