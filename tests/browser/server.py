"""A static server for the built site, on a loopback port, from a thread.

It behaves like GitHub Pages where the browser tests can tell: files and
directory indexes are served as they are, and a missing path gets the site's
own ``404.html`` with status 404.

One file is adapted: ``sitemap.xml`` lists absolute URLs under ``site_url``
(``http://127.0.0.1:8000/`` in a local build), and Material's instant
navigation only takes over links found in the sitemap, comparing scheme and
host but not port. So the sitemap is served with ``site_url`` replaced by the
server's own address, as if the site were deployed where it says it is;
without that, every click would be a full page load and instant navigation
would go untested. Pages are served unchanged, so an absolute link to
``site_url`` still shows up as a request to another host.
"""

from __future__ import annotations

import functools
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# The site's default site_url. The server must not use this port, so that a
# link or request still pointing at site_url shows up as one to another host.
SITE_URL = "http://127.0.0.1:8000/"
SITE_URL_PORT = 8000


class SiteRequestHandler(SimpleHTTPRequestHandler):
    """Serves one directory quietly, with ``404.html`` for missing paths."""

    site_url = SITE_URL
    served_url = ""  # set per server, see SiteServer

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # the test output should show failures, not an access log

    def do_GET(self):
        if self.path.split("?")[0].endswith("/sitemap.xml") and self.served_url:
            self._send_sitemap()
        else:
            super().do_GET()

    def _send_sitemap(self):
        file = Path(self.translate_path(self.path))
        if not file.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        body = file.read_bytes().replace(self.site_url.encode(), self.served_url.encode())
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class SiteServer:
    """``with SiteServer(site_dir) as server: server.url`` -> ``http://127.0.0.1:PORT/``."""

    def __init__(self, site_dir: Path, site_url: str = SITE_URL):
        handler = type("Handler", (SiteRequestHandler,), {"site_url": site_url})
        bind = functools.partial(ThreadingHTTPServer, ("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
        self._httpd = bind()
        while self._httpd.server_address[1] == SITE_URL_PORT:  # vanishingly rare, but it would hide bugs
            self._httpd.server_close()
            self._httpd = bind()
        self._httpd.daemon_threads = True
        handler.served_url = self.url
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="site-server", daemon=True)

    @property
    def origin(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        return self.origin + "/"

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
