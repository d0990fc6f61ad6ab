"""Pagefind: a chunked static search index, built while MkDocs writes the pages.

Material's own search ships the whole index to the first reader who searches
(about 1 KB per paper); Pagefind splits it into chunks fetched per query. It
runs as the ``pagefind`` binary that the ``pagefind[bin]`` package installs.

MkDocs renders on one core. Rather than index the finished site afterwards,
``SearchIndex`` hands the searchable pages to Pagefind in service mode
(``pagefind --service``) as soon as the generator has rendered them, before
MkDocs starts on pages: Pagefind parses them, builds the index and writes it
on the other core while MkDocs works. Only generated pages are searchable
(they carry ``data-pagefind-body``, and Pagefind then skips every page without
it), and what Pagefind reads of a page is the generated body:
``search_document`` gives it exactly that. Results show Pagefind's excerpt of
the body, so the page description is not indexed: it would index each
abstract's first sentence twice.

Past a size (``search_split_from`` papers), each year's papers get a bundle of
their own in ``pagefind/<year>/``, beside the main bundle in ``pagefind/`` (the
newest year's papers and every other searchable page), and ``pagefind/bundles.json``
names them. A reader's first search fetches only the main bundle; the search
box merges the older ones (Pagefind's ``mergeIndex``) when the reader asks for
them. So what a first search downloads follows one year of papers, not the
archive, and each year's bundle is the step towards a site per year.

Two processes do the work, so that the MkDocs process only writes each page
to a pipe:

- ``pagefind_service.py`` run as a script, which speaks Pagefind's service
  protocol (see there). Encoding a page takes about 0.1 ms of Python, and
  reading the answers more; in a thread of the MkDocs process that was about
  3 s of its GIL at 10,000 pages.
- the binary itself, one process per bundle.

With the build cache on, each bundle's files are kept there under a key made
from its pages, the generator and the Pagefind binary (``bundle_key``): a
bundle whose pages did not change is copied from the cache rather than built,
which at 10,000 papers takes a build from about 27 to 20 s and its peak memory
from 1.3 GB to 0.6 GB. The index being the same bytes on every build
(``pagefind_files``) is what makes a copy as good as a new one.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from ..runtime.memo import fingerprint, generator_version
from .pagefind_files import ENTRY
from .pagefind_service import last_line

# The longest we wait for Pagefind to build and write the index after the last page.
TIMEOUT = 600
_SERVICE = Path(__file__).with_name("pagefind_service.py")  # run as a script: no package imports
_INSTALL_HINT = " (install the project with `python3 dev.py serve` or `pip install -e .`)"
_FINISH, _STOP = "finish", "stop"
# What a bundle may be called: it becomes a folder of the site, and a word of its search box.
_BUNDLE = re.compile(r"[0-9A-Za-z_-]{1,40}")


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says which and why."""


def _pagefind_binary() -> str:
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise SearchIndexError(f"Pagefind is not installed{_INSTALL_HINT}") from None
    binary = get_executable()  # PAGEFIND_BINARY_PATH, else the pagefind_bin package, else the PATH
    if binary is None:
        raise SearchIndexError(f"Pagefind's binary is not installed{_INSTALL_HINT}")
    if not os.access(binary, os.X_OK):  # here, not in the helper: say so before MkDocs writes pages
        raise SearchIndexError(f"could not run Pagefind: {binary} is missing or not executable")
    return str(binary)


@lru_cache(maxsize=4)
def _binary_digest(binary: str) -> str:
    return fingerprint(Path(binary).read_bytes())


def bundle_key(binary: str, bundle: str, pages: list[tuple[str, str]]) -> str:
    """What a bundle's files follow from: the generator (its helper and file fixes
    included), the Pagefind binary, the bundle's name and its pages in order."""
    return fingerprint(generator_version(), _binary_digest(binary), bundle,
                       *(part for page in pages for part in page))


def search_document(body: str) -> str:
    """What Pagefind needs of a generated page: its body, in the markup the built
    page has (see the test that compares this index with one read from the built site)."""
    return f'<!doctype html><html lang="en"><head></head><body>{body}</body></html>'


# A paper page's date as search sorts it (paper.html.j2): its year is the page's bundle.
_SORT_YEAR = re.compile(r'data-pagefind-sort="date">(\d{4})-')


def year_bundles(bodies: list[str], split_from: int) -> tuple[str, list[str]]:
    """The newest year and each page's bundle: its year, or "" for the main bundle
    (the newest year's pages and those without a date). All in the main bundle
    below ``split_from`` dated pages, or with only one year."""
    years = [match.group(1) if (match := _SORT_YEAR.search(body)) else "" for body in bodies]
    dated = [year for year in years if year]
    if len(dated) < split_from or len(set(dated)) < 2:
        return "", [""] * len(bodies)
    newest = max(dated)
    return newest, ["" if year == newest else year for year in years]


def _bundle_name(bundle: str) -> str:
    """``bundle``, if it can name a folder of the site and a word of the search box."""
    if bundle and not _BUNDLE.fullmatch(bundle):
        raise ValueError(f"not a bundle name: {bundle!r}")
    return bundle


def bundle_order(bundle: str) -> tuple[bool, list[int]]:
    """The order ``SearchIndex`` takes bundles in: the main one, then the years from the newest."""
    return bundle != "", [-ord(c) for c in bundle]


class SearchIndex:
    """One build's index: ``add`` each page, then ``finish`` (or ``abort`` on failure).

    ``add`` only queues the page; a thread writes it to the helper process, so
    MkDocs never waits on Pagefind before ``finish``.
    """

    def __init__(self, output: Path, main_label: str = "", cache: Path | None = None) -> None:
        """``main_label`` names what the main bundle holds when there are others (the newest year).
        With ``cache`` (a folder of the build cache), ``add_bundle`` reuses a bundle built
        from the same pages by the same generator and Pagefind, and stores the others."""
        binary = _pagefind_binary()
        self.cache, self.binary = cache, binary
        self.log = tempfile.TemporaryFile()  # the helper's last line: the summary, or what failed
        try:
            self.helper = subprocess.Popen(
                [sys.executable, "-I", str(_SERVICE), binary, str(output), main_label, str(cache or "")],
                stdin=subprocess.PIPE, stdout=self.log, stderr=self.log,
                # Its own process group, so that abort() stops the helper and Pagefind together.
                start_new_session=True,
            )
        except OSError as error:
            self.log.close()
            raise SearchIndexError(f"could not run Pagefind: {error}") from None
        self.pages: queue.SimpleQueue[tuple[str, str, str, str] | str] = queue.SimpleQueue()
        # A daemon, so that it never keeps a stopped build's process alive.
        self.feeder = threading.Thread(target=self._feed, name="pagefind-feeder", daemon=True)
        self.feeder.start()

    def add(self, dest_path: str, html: str, bundle: str = "") -> None:
        """Queue a page. ``dest_path`` is its path in the site (``papers/x/index.html``), from
        which Pagefind makes the URL (``/papers/x/``) as it does when it reads a built site.
        ``bundle`` names the bundle it goes into; the main one if empty. A bundle's pages
        come together, in ``bundle_order``: each is built and written before the next."""
        self.pages.put(("page", dest_path, html, _bundle_name(bundle)))

    def add_bundle(self, bundle: str, pages: list[tuple[str, str]]) -> None:
        """Queue a bundle's pages (path, HTML), as ``add`` would each; with a build cache,
        only a key when the cache holds the bundle those pages make."""
        _bundle_name(bundle)
        if self.cache is not None:
            key = bundle_key(self.binary, bundle, pages)
            if (self.cache / key / ENTRY).is_file():  # stored whole, then renamed: the entry means all of it
                self.pages.put(("reuse", key, "", bundle))
                return
            self.pages.put(("key", key, "", bundle))
        for dest_path, html in pages:
            self.pages.put(("page", dest_path, html, bundle))

    def close(self) -> None:
        """No more pages: Pagefind builds and writes the index in the background."""
        self.pages.put(_FINISH)

    def finish(self) -> str:
        """Wait for the index to be written; returns a summary. Stops Pagefind either way."""
        try:
            self.close()  # if not closed yet; a second close is ignored
            try:
                status = self.helper.wait(TIMEOUT)
            except subprocess.TimeoutExpired:
                raise SearchIndexError(f"Pagefind did not finish the index within {TIMEOUT} s") from None
            message = last_line(self.log)
            if status != 0:
                raise SearchIndexError(message or f"Pagefind's helper stopped ({status})")
            return message
        finally:
            self.abort()

    def abort(self) -> None:
        """Stop the helper and Pagefind, writing nothing more; safe to call again."""
        self.pages.put(_STOP)
        if self.helper.poll() is None:
            try:
                os.killpg(self.helper.pid, signal.SIGKILL)
            except (AttributeError, OSError):  # no process groups (Windows), or already gone
                self.helper.kill()
        self.helper.wait()
        self.feeder.join(5)
        for stream in (self.helper.stdin, self.log):
            try:
                stream.close()
            except OSError:  # the pipe's buffer could not be flushed: the helper is gone
                pass

    def _feed(self) -> None:
        """Each page as a header line (its length and path) and its bytes, then ``finish``."""
        pipe = self.helper.stdin
        try:
            while (item := self.pages.get()) not in (_FINISH, _STOP):
                kind, dest_path, html, bundle = item
                if kind != "page":  # a bundle's key: "key" before its pages, or "reuse" instead of them
                    pipe.write(b"%s %s %s\n" % (kind.encode(), bundle.encode() or b"-", dest_path.encode()))
                    continue
                # As MkDocs writes the file, so that a stray surrogate still makes valid UTF-8.
                data = html.encode("utf-8", "xmlcharrefreplace")
                pipe.write(b"%d %s %s\n" % (len(data), bundle.encode() or b"-", json.dumps(dest_path).encode()))
                pipe.write(data)
                pipe.flush()  # now: Pagefind parses this page while the next is sent
            if item == _FINISH:
                pipe.write(b"finish\n")
                pipe.close()
        except (OSError, ValueError):  # the helper stopped (it says why) or was stopped (abort)
            pass
