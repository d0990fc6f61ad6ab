"""Screenshots of the main pages, light and dark, for people to look at.

Saved under test-artifacts/screenshots/ (git-ignored; CI can keep them as
artifacts). The README's screenshot is made separately, on purpose, by
``python -m tests.browser.readme_screenshot``, so that test runs never
change a committed file.
"""

from __future__ import annotations

import struct

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP
from .site_facts import first_subpage, paper_pages

pytestmark = pytest.mark.browser

SCHEME_ATTRIBUTE = {"light": "default", "dark": "slate"}


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_home_topic_and_paper(open_reader, built_site, screenshot_dir, scheme):
    reader = open_reader(color_scheme=scheme)
    pages = {
        "home": "/",
        "topic": first_subpage(built_site, "topics", exclude=("unsorted",)),
        "paper": paper_pages(built_site)[0].path,
    }
    for name, path in pages.items():
        reader.open(path)
        # The reader's system preference picks the palette; wait until Material applied it.
        expect(reader.page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEME_ATTRIBUTE[scheme])
        target = screenshot_dir / f"{name}-{scheme}.png"
        target.write_bytes(reader.page.screenshot())
        assert png_size(target.read_bytes()) == (DESKTOP["width"], DESKTOP["height"])
