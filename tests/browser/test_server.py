"""The test server itself: GitHub Pages' 404 behaviour and the sitemap's address."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from .server import SITE_URL, SiteServer


@pytest.fixture
def tiny_site(tmp_path):
    (tmp_path / "404.html").write_text("<h1>our own 404</h1>", encoding="utf-8")
    (tmp_path / "papers" / "x").mkdir(parents=True)
    (tmp_path / "papers" / "x" / "index.html").write_text("<h1>paper x</h1>", encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text(f"<urlset><url><loc>{SITE_URL}papers/x/</loc></url></urlset>", encoding="utf-8")
    return tmp_path


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_serves_directory_indexes_and_the_sites_404_page(tiny_site):
    with SiteServer(tiny_site) as server:
        assert server.url != SITE_URL
        assert fetch(server.url + "papers/x/") == (200, "<h1>paper x</h1>")
        assert fetch(server.url + "no-such-page/") == (404, "<h1>our own 404</h1>")


def test_sitemap_names_the_servers_own_address(tiny_site):
    with SiteServer(tiny_site) as server:
        status, body = fetch(server.url + "sitemap.xml")
    assert status == 200
    assert f"<loc>{server.url}papers/x/</loc>" in body
    assert SITE_URL not in body
