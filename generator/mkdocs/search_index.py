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
it), and what Pagefind reads of a page is the generated body and the page
description: ``search_document`` gives it exactly those, as the theme prints
them (``overrides/main.html``).

Past a size (``search_split_from`` papers), each year's papers get a bundle of
their own in ``pagefind/<year>/``, beside the main bundle in ``pagefind/`` (the
newest year's papers and every other searchable page), and ``pagefind/bundles.json``
names them. A reader's first search fetches only the main bundle; the search
box merges the older ones (Pagefind's ``mergeIndex``) when the reader asks for
them. So what a first search downloads follows one year of papers, not the
archive, and each year's bundle is the step towards a site per year.

Two processes do the work, so that the MkDocs process only writes each page
to a pipe:

- this file run as a script (``_helper``), which speaks Pagefind's service
  protocol: base64-encoded JSON messages, each ended by a comma, on the
  binary's stdin, and one answer per message on its stdout. Encoding a page
  takes about 0.1 ms of Python, and reading the answers more; in a thread of
  the MkDocs process that was about 3 s of its GIL at 10,000 pages.
- the binary itself.

``pagefind.index.PagefindIndex``, the package's own client, is not used: it
reads one answer every 0.1 s (``asyncio.sleep(0.1)`` in its polling loop),
17 minutes for 10,000 pages, and waits forever if the binary dies. And the
index is fetched with GetFiles rather than written with WriteFiles: the
service answers WriteFiles before its last (unflushed tokio) writes reach the
disk, so stopping it then can leave truncated files.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import re
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

# Pages mark what is searchable with data-pagefind-body (the paper's title,
# note and abstract; a topic's name and description); the rest is not indexed.
EXCLUDE_SELECTORS = [".headerlink"]

# The longest we wait for Pagefind to build and write the index after the last page.
TIMEOUT = 600
_INSTALL_HINT = " (install the project with `python3 dev.py serve` or `pip install -e .`)"
_FINISH, _STOP = "finish", "stop"
# What a bundle may be called: it becomes a folder of the site, and a word of its search box.
_BUNDLE = re.compile(r"[0-9A-Za-z_-]{1,40}")
BUNDLES_FILE = "bundles.json"


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


def _last_line(file) -> str:
    file.seek(0)
    lines = file.read().decode("utf-8", "replace").splitlines()
    return next((line.strip() for line in reversed(lines) if line.strip()), "")


def search_document(body: str, description: str) -> str:
    """What Pagefind needs of a generated page: its body and its (HTML-escaped)
    description, in the markup the built page has (see the test that compares
    this index with one read from the built site)."""
    return (
        '<!doctype html><html lang="en"><head><meta property="og:description" '
        f'content="{description}" data-pagefind-meta="description[content]"></head>'
        f"<body>{body}</body></html>"
    )


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


def bundle_order(bundle: str) -> tuple[bool, list[int]]:
    """The order ``SearchIndex`` takes bundles in: the main one, then the years from the newest."""
    return bundle != "", [-ord(c) for c in bundle]


class SearchIndex:
    """One build's index: ``add`` each page, then ``finish`` (or ``abort`` on failure).

    ``add`` only queues the page; a thread writes it to the helper process, so
    MkDocs never waits on Pagefind before ``finish``.
    """

    def __init__(self, output: Path, main_label: str = "") -> None:
        """``main_label`` names what the main bundle holds when there are others (the newest year)."""
        binary = _pagefind_binary()
        self.log = tempfile.TemporaryFile()  # the helper's last line: the summary, or what failed
        try:
            self.helper = subprocess.Popen(
                [sys.executable, "-I", __file__, binary, str(output), main_label],
                stdin=subprocess.PIPE, stdout=self.log, stderr=self.log,
                # Its own process group, so that abort() stops the helper and Pagefind together.
                start_new_session=True,
            )
        except OSError as error:
            self.log.close()
            raise SearchIndexError(f"could not run Pagefind: {error}") from None
        self.pages: queue.SimpleQueue[tuple[str, str, str] | str] = queue.SimpleQueue()
        # A daemon, so that it never keeps a stopped build's process alive.
        self.feeder = threading.Thread(target=self._feed, name="pagefind-feeder", daemon=True)
        self.feeder.start()

    def add(self, dest_path: str, html: str, bundle: str = "") -> None:
        """Queue a page. ``dest_path`` is its path in the site (``papers/x/index.html``), from
        which Pagefind makes the URL (``/papers/x/``) as it does when it reads a built site.
        ``bundle`` names the bundle it goes into; the main one if empty. A bundle's pages
        come together, in ``bundle_order``: each is built and written before the next."""
        if bundle and not _BUNDLE.fullmatch(bundle):
            raise ValueError(f"not a bundle name: {bundle!r}")
        self.pages.put((dest_path, html, bundle))

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
            message = _last_line(self.log)
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
                dest_path, html, bundle = item
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


def _helper(binary: str, output: str, main_label: str = "") -> int:
    """The helper process: pages from stdin to Pagefind, then the bundles into ``output``.

    Each bundle's pages come together (the main bundle's first), and each bundle
    is built by a Pagefind process of its own, stopped once its files are
    written: Pagefind holds every page of an index until it writes it (about
    130 KB a paper), so the largest bundle sets the peak, not the archive.
    Its last line of output is the summary, or (exit status 1) what went wrong.
    """
    written: list[tuple[str, dict]] = []
    bundle: _Bundle | None = None
    try:
        bundle = _Bundle.start(binary, "")  # the main bundle, even with no page: the search box loads it
        pages = sys.stdin.buffer
        while (header := pages.readline()) != b"finish\n":
            if not header or bundle.client.failed.is_set():
                return bundle.fail()  # the build stopped, or Pagefind did
            size, name, path = header.split(b" ", 2)
            html = pages.read(int(size)).decode("utf-8")
            name = "" if name == b"-" else name.decode()
            if name != bundle.name:
                if name in dict(written) or name == "":
                    print(f"the pages of bundle {name or 'main'} came apart (a bug in the plugin)")
                    return 1
                if not bundle.finish(Path(output), written):
                    return bundle.fail()
                bundle = _Bundle.start(binary, name)
            bundle.add(json.loads(path), html)
        if not bundle.finish(Path(output), written):
            return bundle.fail()
        older = [name for name, _ in written if name]
        bundles = {"main": main_label if older else "", "older": sorted(older, reverse=True)}
        (Path(output) / BUNDLES_FILE).write_text(json.dumps(bundles, sort_keys=True) + "\n", encoding="utf-8")
        print(_summary(Path(output), written))
        return 0
    except BrokenPipeError:  # Pagefind stopped reading: it stopped
        return bundle.fail() if bundle else 1
    except OSError as error:
        print(f"could not run Pagefind: {error}")
        return 1
    finally:
        if bundle is not None:
            bundle.stop()


class _Bundle:
    """One bundle's index, built by one Pagefind process."""

    def __init__(self, name: str, pagefind: subprocess.Popen, log) -> None:
        self.name, self.pagefind, self.log = name, pagefind, log
        self.client = _Client(pagefind)

    @classmethod
    def start(cls, binary: str, name: str) -> _Bundle:
        log = tempfile.TemporaryFile()
        pagefind = subprocess.Popen([binary, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
        bundle = cls(name, pagefind, log)
        try:
            bundle.client.send({"type": "NewIndex", "config": {"exclude_selectors": EXCLUDE_SELECTORS}},
                               f"starting the {name or 'main'} index")
        except BrokenPipeError:  # Pagefind stopped at once: the next step sees it failed, and says why
            pass
        return bundle

    def add(self, path: str, html: str) -> None:
        self.client.send({"type": "AddFile", "index_id": 0, "file_path": path, "file_contents": html}, path)

    def finish(self, output: Path, written: list[tuple[str, dict]]) -> bool:
        """Build and write this bundle, then stop its Pagefind; False if that failed."""
        files = self.client.get_files()
        if files is None:
            return False
        written.append((self.name, _write_bundle(output / self.name if self.name else output, files,
                                                 whole=not self.name)))
        self.stop()
        return True

    def fail(self) -> int:
        return self.client.fail(self.log)

    def stop(self) -> None:
        self.pagefind.kill()
        self.pagefind.wait()


class _Client:
    """The helper's side of Pagefind's service protocol; a thread reads the answers."""

    def __init__(self, pagefind: subprocess.Popen) -> None:
        self.pagefind = pagefind
        self.sent: dict[int, str] = {}  # message id -> what it was, until Pagefind answers it
        self.next_id = 0
        self.files_id = -1
        self.files: list[dict] | None = None
        self.errors: list[str] = []
        self.failed = threading.Event()
        self.answered = threading.Event()  # the files came, or Pagefind failed or stopped
        threading.Thread(target=self._read, daemon=True).start()

    def send(self, payload: dict, what: str) -> None:
        self.sent[self.next_id] = what
        message = json.dumps({"message_id": self.next_id, "payload": payload}).encode("utf-8")
        self.next_id += 1
        self.pagefind.stdin.write(base64.b64encode(message) + b",")
        self.pagefind.stdin.flush()

    def get_files(self) -> list[dict] | None:
        self.files_id = self.next_id  # before sending: the answer may come back at once
        self.send({"type": "GetFiles", "index_id": 0}, "building the index")
        self.answered.wait()  # the MkDocs process times this out
        return None if self.errors else self.files

    def fail(self, pagefind_log) -> int:
        self.failed.wait(1)  # Pagefind's answer or exit may be on its way
        print(f"Pagefind failed: {self.errors[0]}" if self.errors else
              f"Pagefind stopped: {_last_line(pagefind_log) or 'no message'}")
        return 1

    def _read(self) -> None:
        parts: list[bytes] = []  # of the answer being read; the last (the files) is megabytes
        try:
            while chunk := self.pagefind.stdout.read1(1 << 20):
                *ends, rest = chunk.split(b",")
                for end in ends:
                    self._answer(json.loads(base64.b64decode(b"".join([*parts, end]))))
                    parts = []
                parts.append(rest)
        except (OSError, ValueError) as error:
            self.errors.append(f"unreadable answer ({error})")
        self.failed.set()  # Pagefind closed its output: it stopped
        self.answered.set()

    def _answer(self, response: dict) -> None:
        message_id, payload = response.get("message_id"), response.get("payload") or {}
        what = self.sent.pop(message_id, None)
        if payload.get("type") == "Error":
            self.errors.append(f"{payload.get('message')} ({what or 'a message it could not read'})")
        elif payload.get("type") == "NewIndex" and payload.get("index_id") != 0:
            # Pagefind numbers a process's indexes from 0; each process here has one.
            self.errors.append(f"unexpected index number {payload.get('index_id')}, not 0")
        elif message_id == self.files_id:
            self.files = payload.get("files") or []
        else:
            return
        if self.errors:
            self.failed.set()
        self.answered.set()


# What a merged bundle needs: the search box runs the main bundle's script and WebAssembly.
_MERGED_NEEDS = re.compile(r"pagefind-entry\.json|[^/]+\.pf_meta|(index|fragment|filter)/[^/]+")


def _write_bundle(output: Path, files: list[dict], whole: bool = True) -> dict:
    """Write the files Pagefind sent into ``output`` (for a bundle that is merged into
    the main one, only its index); returns its entry (languages and page counts)."""
    entry: dict = {}
    folders: set[Path] = set()
    for file in files:
        relative = Path(file["path"])
        if relative.is_absolute() or ".." in relative.parts:
            raise ValueError(f"Pagefind named a file outside its folder: {relative}")
        if not whole and not _MERGED_NEEDS.fullmatch(relative.as_posix()):
            continue
        path = output / relative
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        content = base64.b64decode(file["content"])
        path.write_bytes(content)
        if file["path"] == "pagefind-entry.json":
            entry = json.loads(content)
    return entry


def _summary(output: Path, written: list[tuple[str, dict]]) -> str:
    """How many pages the bundles index, in which languages, and (when split) how many each."""
    def pages(entry: dict) -> int:
        return sum(language.get("page_count", 0) for language in entry.get("languages", {}).values())

    languages = sorted({language for _, entry in written for language in entry.get("languages", {})})
    line = (f"{sum(pages(entry) for _, entry in written)} pages indexed ({', '.join(languages) or 'no language'}) "
            f"into {output.name}/")
    if len(written) > 1:
        line += ": " + ", ".join(f"{name or 'main'} {pages(entry)}" for name, entry in written)
    return line


if __name__ == "__main__":
    try:
        sys.exit(_helper(*sys.argv[1:]))
    except Exception as error:  # a bug here: one line for the build log, not a traceback
        print(f"Pagefind's helper failed: {error!r}")
        sys.exit(1)
