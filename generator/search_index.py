"""Pagefind: a chunked static search index, fed page by page while MkDocs builds.

Material's own search ships the whole index to the first reader who searches
(about 1 KB per paper); Pagefind splits it into chunks fetched per query. It
runs as the ``pagefind`` binary that the ``pagefind[bin]`` package installs.

MkDocs renders on one core. Rather than index the finished site afterwards
(about 7 s at 10,000 pages, with the other core idle), ``SearchIndex`` starts
Pagefind in service mode (``pagefind --service``) before the build and hands it
each page's final HTML as MkDocs writes it, so Pagefind parses pages on the
other core while MkDocs renders; only building and writing the index is left
for the end.

We speak the service's protocol (base64 JSON messages, each ended by a comma,
on the binary's stdin and stdout) ourselves rather than through
``pagefind.index.PagefindIndex``: that client reads one response every 0.1 s
(``asyncio.sleep(0.1)`` in its polling loop), which is 17 minutes for 10,000
pages, and waits forever if the binary dies.
"""

from __future__ import annotations

import base64
import json
import queue
import subprocess
import tempfile
import threading
from pathlib import Path

# Pages mark what is searchable with data-pagefind-body (the paper's title,
# note and abstract; a topic's name and description); the rest is not indexed.
EXCLUDE_SELECTORS = [".headerlink"]

# The longest we wait for Pagefind to build and write the index after the last page.
TIMEOUT = 600
_INSTALL_HINT = " (install the project with `python3 dev.py serve` or `pip install -e .`)"


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
    return str(binary)


_FINISH, _STOP = "finish", "stop"  # what the feeder thread does after the last page


class SearchIndex:
    """One build's index: ``add`` each page, then ``finish`` (or ``abort`` on failure).

    ``add`` only queues the page: a feeder thread encodes it and writes it to
    Pagefind, and a reader thread collects Pagefind's answers, so the MkDocs
    thread never waits on Pagefind until ``finish``.
    """

    def __init__(self, output: Path) -> None:
        self.output = output
        self.pages: queue.SimpleQueue[tuple[str, str] | str] = queue.SimpleQueue()
        self.sent: dict[int, str] = {}  # message id -> what it was, until Pagefind answers it
        self.next_id = 0
        self.files_id = -1  # the last message: asks for the index's files
        self.files: list[dict] | None = None
        self.errors: list[str] = []
        self.done = threading.Event()  # Pagefind sent the files, failed, or stopped
        binary = _pagefind_binary()
        self.stderr = tempfile.TemporaryFile()  # a file, not a pipe: nobody has to drain it
        try:
            self.process = subprocess.Popen(
                [binary, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr
            )
        except OSError as error:
            self.stderr.close()
            raise SearchIndexError(f"could not run Pagefind: {error}") from None
        # Daemons, so that they never keep a stopped build's process alive. Pagefind itself
        # exits when its stdin closes, which the system does when this process ends however it ends.
        self.reader = threading.Thread(target=self._read, name="pagefind-reader", daemon=True)
        self.feeder = threading.Thread(target=self._feed, name="pagefind-feeder", daemon=True)
        self.reader.start()
        self.feeder.start()

    def add(self, dest_path: str, html: str) -> None:
        """Queue a page. ``dest_path`` is its path in the site (``papers/x/index.html``), from
        which Pagefind makes the URL (``/papers/x/``) as it does when it reads a built site."""
        self.pages.put((dest_path, html))

    def finish(self) -> str:
        """Write the index after the last page; returns a summary. Stops Pagefind either way."""
        try:
            self.pages.put(_FINISH)
            if not self.done.wait(TIMEOUT):
                raise SearchIndexError(f"Pagefind did not finish the index within {TIMEOUT} s")
            if self.errors:
                raise SearchIndexError(f"Pagefind failed: {self.errors[0]}")
            if self.files is None:
                raise SearchIndexError(f"Pagefind stopped: {self._last_words() or 'no message'}")
            return self._write(self.files)
        finally:
            self.abort()

    def abort(self) -> None:
        """Stop Pagefind and the threads, writing nothing more; safe to call again."""
        self.pages.put(_STOP)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.reader.join(5)
        self.feeder.join(5)
        for stream in (self.process.stdin, self.process.stdout, self.stderr):
            try:
                stream.close()
            except OSError:  # stdin's buffer could not be flushed into the closed pipe
                pass
        self.files = None

    def _feed(self) -> None:
        """The feeder thread: pages in queue order, then the request for the index's files."""
        try:
            # Pagefind numbers a process's indexes from 0; this is its only one.
            self._send({"type": "NewIndex", "config": {"exclude_selectors": EXCLUDE_SELECTORS}}, "starting")
            while (item := self.pages.get()) not in (_FINISH, _STOP):
                dest_path, html = item
                # Encoded as MkDocs writes the file, so that a stray surrogate cannot make the JSON invalid.
                html = html.encode("utf-8", "xmlcharrefreplace").decode("utf-8")
                self._send({"type": "AddFile", "index_id": 0, "file_path": dest_path, "file_contents": html},
                           dest_path)
            if item == _FINISH:
                # GetFiles, not WriteFiles: the service answers WriteFiles before its last writes
                # reach the disk (tokio files are not flushed), so stopping it then can truncate files.
                self.files_id = self.next_id  # before sending: the answer may come back at once
                self._send({"type": "GetFiles", "index_id": 0}, "building the index")
        except (OSError, ValueError):  # the pipe broke (Pagefind stopped) or was closed (abort)
            self.done.set()

    def _send(self, payload: dict, what: str) -> None:
        self.sent[self.next_id] = what
        message = json.dumps({"message_id": self.next_id, "payload": payload}).encode("utf-8")
        self.next_id += 1
        self.process.stdin.write(base64.b64encode(message) + b",")
        self.process.stdin.flush()  # now: Pagefind parses this page while MkDocs renders the next

    def _read(self) -> None:
        """The reader thread: Pagefind's answers, one per message, each ended by a comma."""
        parts: list[bytes] = []  # of the answer being read; the last (the files) is megabytes
        try:
            while chunk := self.process.stdout.read1(1 << 20):
                *ends, rest = chunk.split(b",")
                for end in ends:
                    self._answer(json.loads(base64.b64decode(b"".join([*parts, end]))))
                    parts = []
                parts.append(rest)
        except (OSError, ValueError) as error:
            self.errors.append(f"unreadable answer ({error})")
        self.done.set()  # Pagefind closed its output: it stopped, nothing more will come

    def _answer(self, response: dict) -> None:
        message_id, payload = response.get("message_id"), response.get("payload") or {}
        what = self.sent.pop(message_id, None)
        if payload.get("type") == "Error":
            self.errors.append(f"{payload.get('message')} ({what or 'a message it could not read'})")
            self.done.set()
        elif payload.get("type") == "NewIndex" and payload.get("index_id") != 0:
            self.errors.append(f"unexpected index number {payload.get('index_id')}, not 0")
            self.done.set()
        elif message_id == self.files_id:
            self.files = payload.get("files") or []
            self.done.set()

    def _write(self, files: list[dict]) -> str:
        """Write the bundle into ``output``; returns how many pages it indexes."""
        entry: dict = {}
        folders: set[Path] = set()
        for file in files:
            path = self.output / file["path"]
            if ".." in Path(file["path"]).parts or Path(file["path"]).is_absolute():
                raise SearchIndexError(f"Pagefind named a file outside its folder: {file['path']}")
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.add(path.parent)
            content = base64.b64decode(file["content"])
            path.write_bytes(content)
            if file["path"] == "pagefind-entry.json":
                entry = json.loads(content)
        languages = entry.get("languages", {})
        if not languages:
            raise SearchIndexError("Pagefind built an index of no pages")
        pages = sum(language.get("page_count", 0) for language in languages.values())
        return f"{pages} pages indexed ({', '.join(sorted(languages))}) into {self.output.name}/"

    def _last_words(self) -> str:
        self.stderr.seek(0)
        lines = self.stderr.read().decode("utf-8", "replace").splitlines()
        return next((line.strip() for line in reversed(lines) if line.strip()), "")
