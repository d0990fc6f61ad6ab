"""The request check that every browser test ends with: what counts as another host."""

from __future__ import annotations

from .reader import Watch


def test_only_the_local_servers_own_origin_counts_as_local():
    watch = Watch("http://127.0.0.1:41234")
    watch.requests += [
        "http://127.0.0.1:41234/assets/main.css",
        "http://127.0.0.1:41234/pagefind/pagefind.js?v=1",
        "data:image/svg+xml;base64,AAAA",
        "blob:http://127.0.0.1:41234/0f1e",
        "http://127.0.0.1:8000/papers/x/",  # the default site_url: same host, other port
        "https://fonts.googleapis.com/css?family=Roboto",
        "http://localhost:41234/",  # same port, but another name: not the address we serve
    ]
    assert watch.foreign_requests() == [
        "http://127.0.0.1:8000/papers/x/",
        "https://fonts.googleapis.com/css?family=Roboto",
        "http://localhost:41234/",
    ]
    assert len(watch.problems()) == 3


def test_a_404_counts_as_an_error_unless_the_test_asked_for_a_missing_page():
    class Message:
        type = "error"
        text = "Failed to load resource: the server responded with a status of 404 (Not Found)"

        def __init__(self, url):
            self.location = {"url": url}

    class Page:
        url = "http://127.0.0.1:41234/no-such-page/"

    watch = Watch("http://127.0.0.1:41234", expected_missing={"/no-such-page/"})
    watch._console(Page(), Message("http://127.0.0.1:41234/no-such-page/"))
    assert watch.js_errors == []
    watch._console(Page(), Message("http://127.0.0.1:41234/topics/x/sitemap.xml"))
    assert len(watch.js_errors) == 1 and "sitemap.xml" in watch.js_errors[0]
