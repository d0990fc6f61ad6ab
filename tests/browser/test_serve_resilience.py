"""`mkdocs serve` on a bad edit: it goes on serving the last good site, says
what is wrong in the terminal and on every page, and recovers when fixed.

A real ``mkdocs serve`` subprocess on a free loopback port, driven with real
HTTP requests. Every request and every wait has a timeout: before the fix, a
bad edit made every request hang until the file was fixed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.mkdocs.plugin import BANNER_CLASS

from ..conftest import ROOT, make_project

pytestmark = pytest.mark.build

GOOD = (ROOT / "dumps" / "003_19a10e7b31dfc146.txt").read_bytes()
MANIFEST = "dumps:\n  001.txt: {date: 2025-03-14}\n"
REQUEST_TIMEOUT = 10
REBUILD_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Serve:
    """A running ``mkdocs serve`` and everything it has printed."""

    def __init__(self, project: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{self.port}",
             "-f", str(project / "mkdocs.yml")],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NO_MKDOCS_2_WARNING": "1",
                 "SITE_URL": f"http://127.0.0.1:{self.port}/"},
        )
        self.output: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def log(self) -> str:
        return "".join(self.output)

    def get(self, path: str) -> tuple[int, str]:
        """Status and body of one request; a hang fails the test by its timeout."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + REBUILD_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"mkdocs serve exited while waiting for {what}:\n{self.log()}")
            if condition():
                return
            time.sleep(0.5)
        pytest.fail(f"timed out waiting for {what}:\n{self.log()[-4000:]}")

    def wait_for_log(self, text: str, after: int) -> None:
        self.wait_for(lambda: text in "".join(self.output[after:]), repr(text))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
        self._reader.join(timeout=20)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def serve(tmp_path) -> Iterator[tuple[Serve, Path]]:
    project = make_project(tmp_path / "p", {"001.txt": GOOD}, MANIFEST)
    server = Serve(project)
    try:
        server.wait_for_log("Serving on", after=0)
        yield server, project
    finally:
        server.stop()


def _reachable(server: Serve) -> bool:
    try:
        return server.get("")[0] == 200
    except OSError:
        return False


def _edit_and_wait(server: Serve, path: Path, text: str | bytes) -> None:
    """Change a watched file and wait until the rebuild it causes has finished."""
    mark = len(server.output)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    server.wait_for_log("Detected file changes", after=mark)
    server.wait_for(lambda: any(("Reloading browsers" in line or "An error happened" in line)
                                for line in server.output[mark:]), "the rebuild to finish")


@pytest.mark.parametrize("breakage", ["tab in topics.yml", "index title in a dump", "a binary dump"])
def test_a_bad_edit_keeps_the_last_good_site_served_with_the_error(serve, breakage):
    server, project = serve
    server.wait_for(lambda: _reachable(server), "the first page")
    status, home = server.get("")
    assert status == 200 and BANNER_CLASS not in home
    a_paper = next(p for p in (project / "dumps" / "001.txt").read_text(encoding="utf-8").split("\n\n")
                   if 20 < len(p) < 150 and not p.startswith(("Get trending", "Subscribe", "by")))

    topics = project / "topics.yml"
    good_topics = topics.read_text(encoding="utf-8")
    if breakage == "tab in topics.yml":
        edited, bad = topics, good_topics.replace("\n  - slug:", "\n\t- slug:", 1)
        good: str | bytes = good_topics
    elif breakage == "index title in a dump":
        edited, bad = project / "dumps" / "001.txt", GOOD + b"\n\nINDEX\n\n" + b"An abstract " * 30 + b"\n"
        good = GOOD
    else:
        edited, bad, good = project / "dumps" / "001.txt", b"\x00\x01binary" * 10, GOOD
    _edit_and_wait(server, edited, bad)

    # Pages and assets are served at once, the pages with the error in a banner.
    status, home = server.get("")
    assert status == 200
    status, css = server.get("stylesheets/digest.css")
    assert status == 200 and css
    if breakage == "index title in a dump":
        # Not an error any more: a paper titled "INDEX" (a bare "Index" is refused as
        # a wrapped line) gets a hashed slug and the list of papers stays at papers/.
        assert BANNER_CLASS not in home
        status, papers = server.get("papers/")
        assert status == 200 and "INDEX" in papers
    else:
        assert BANNER_CLASS in home
        assert ("topics.yml:" if edited == topics else "dumps/001.txt") in home
        status, papers = server.get("papers/")
        assert status == 200 and BANNER_CLASS in papers
        assert a_paper.split(":")[0][:40] in papers.replace("&#39;", "'").replace("&amp;", "&")
        assert ("topics.yml:" if edited == topics else "dumps/001.txt") in server.log()
        assert "last good site" in server.log()

    # Fixed: it rebuilds by itself and the banner goes.
    _edit_and_wait(server, edited, good)
    status, home = server.get("")
    assert status == 200 and BANNER_CLASS not in home
