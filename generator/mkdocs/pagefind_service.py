"""The helper process of ``search_index``: pages from its stdin to Pagefind, bundles to disk.

    python -I pagefind_service.py PAGEFIND_BINARY OUTPUT_FOLDER [MAIN_LABEL [CACHE_FOLDER]]

Run as a script (``-I``: nothing of the project is imported but ``pagefind_files``,
from its folder), so it starts in a few milliseconds and shares nothing with the
MkDocs process but a pipe. Its input is each page as a header line (its length,
its bundle or ``-``, its path as JSON) and its bytes, then ``finish``; with a
cache folder, a line ``key BUNDLE KEY`` before a bundle's pages stores the
bundle there too, and ``reuse BUNDLE KEY`` copies one from there instead of its
pages. Its last line of output is the summary, or (exit status 1) what went wrong.

It speaks Pagefind's service protocol (``pagefind --service``): base64-encoded
JSON messages, each ended by a comma, on the binary's stdin, and one answer per
message on its stdout. ``pagefind.index.PagefindIndex``, the package's own
client, is not used: it reads one answer every 0.1 s (``asyncio.sleep(0.1)`` in
its polling loop), 17 minutes for 10,000 pages, and waits forever if the binary
dies. And the index is fetched with GetFiles rather than written with
WriteFiles: the service answers WriteFiles before its last (unflushed tokio)
writes reach the disk, so stopping it then can leave truncated files.
Fetching the files also lets the helper put the filter index in a fixed order
before writing it (``pagefind_files``), so the same pages give the same bytes.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

if __package__:
    from . import pagefind_files
else:  # run as a script: -I leaves its folder off the path, and the package is not imported
    sys.path.append(str(Path(__file__).resolve().parent))
    import pagefind_files

# Pages mark what is searchable with data-pagefind-body (the paper's title,
# note and abstract; a topic's name and description); the rest is not indexed.
EXCLUDE_SELECTORS = [".headerlink"]
BUNDLES_FILE = "bundles.json"
_KEY = re.compile(r"[0-9a-f]{8,64}")  # a folder of the build cache: hex digits, nothing that names another


def last_line(file) -> str:
    """The last non-blank line of a log file (a temporary file opened in binary)."""
    file.seek(0)
    lines = file.read().decode("utf-8", "replace").splitlines()
    return next((line.strip() for line in reversed(lines) if line.strip()), "")


def main(binary: str, output: str, main_label: str = "", cache: str = "") -> int:
    """The helper process: pages from stdin to Pagefind, then the bundles into ``output``.

    Each bundle's pages come together (the main bundle's first), and each bundle
    is built by a Pagefind process of its own, stopped once its files are
    written: Pagefind holds every page of an index until it writes it (about
    130 KB a paper), so the largest bundle sets the peak, not the archive.
    With a ``cache`` folder, a bundle announced with ``key`` is also stored
    there under that key, and one announced with ``reuse`` is copied from it
    instead of built (its pages are not sent); what this build did not use is
    removed. Its last line of output is the summary, or (exit status 1) what went wrong.
    """
    out, store = Path(output), Path(cache) if cache else None
    written: list[tuple[str, dict, bool]] = []  # each bundle: name, entry, whether it came from the cache
    keys: dict[str, str] = {}  # bundle -> the key it is stored under
    seen: list[str] = []
    bundle: _Bundle | None = None
    try:
        pages = sys.stdin.buffer
        while (header := pages.readline()) != b"finish\n":
            if not header or (bundle is not None and bundle.client.failed.is_set()):
                return bundle.fail() if bundle is not None else 1  # the build stopped, or Pagefind did
            word, name, rest = header.split(b" ", 2)
            name = "" if name == b"-" else name.decode()
            if word in (b"key", b"reuse") and not _KEY.fullmatch(rest.decode().strip()):
                print(f"not a cache key: {rest.decode().strip()!r} (a bug in the plugin)")
                return 1
            if word == b"key":
                keys[name] = rest.decode().strip()
                continue
            if bundle is None or name != bundle.name:
                if name in seen or (name == "" and seen):
                    print(f"the pages of bundle {name or 'main'} came apart (a bug in the plugin)")
                    return 1
                seen.append(name)
                if bundle is not None and not bundle.finish(out, written, _stored(store, keys, bundle.name)):
                    return bundle.fail()
                bundle = None
            if word == b"reuse":
                if bundle is not None:
                    print(f"bundle {name or 'main'} was both sent and reused (a bug in the plugin)")
                    return 1
                keys[name] = rest.decode().strip()
                try:
                    entry = _copy_bundle(_stored(store, keys, name), out / name if name else out)
                except OSError as error:
                    print(f"could not take the search bundle {name or 'main'} from the build cache: {error}")
                    return 1
                written.append((name, entry, True))
                continue
            html = pages.read(int(word)).decode("utf-8")
            if bundle is None:
                bundle = _Bundle.start(binary, name)
            bundle.add(json.loads(rest), html)
        if bundle is not None and not bundle.finish(out, written, _stored(store, keys, bundle.name)):
            return bundle.fail()
        if "" not in seen:  # the main bundle, even with no page: the search box loads it
            bundle = _Bundle.start(binary, "")
            if not bundle.finish(out, written, None):
                return bundle.fail()
        older = [name for name, _, _ in written if name]
        bundles = {"main": main_label if older else "", "older": sorted(older, reverse=True)}
        (out / BUNDLES_FILE).write_text(json.dumps(bundles, sort_keys=True) + "\n", encoding="utf-8")
        if store is not None:
            _prune(store, set(keys.values()))
        print(_summary(out, written))
        return 0
    except BrokenPipeError:  # Pagefind stopped reading: it stopped
        return bundle.fail() if bundle else 1
    except pagefind_files.UnknownFormat as error:
        print(f"Pagefind wrote a filter index this build does not know how to read: {error} "
              "(the project is tested with Pagefind 1.3 to 1.5; see pagefind_files.py)")
        return 1
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

    def finish(self, output: Path, written: list[tuple[str, dict, bool]], store: Path | None) -> bool:
        """Build and write this bundle (and store it, if ``store`` names where), then stop
        its Pagefind; False if that failed."""
        files = self.client.get_files()
        if files is None:
            return False
        target = output / self.name if self.name else output
        written.append((self.name, _write_bundle(target, files, whole=not self.name, store=store), False))
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
              f"Pagefind stopped: {last_line(pagefind_log) or 'no message'}")
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


def _write_bundle(output: Path, files: list[dict], whole: bool = True, store: Path | None = None) -> dict:
    """Write the files Pagefind sent into ``output`` (for a bundle that is merged into
    the main one, only its index), its filter files in a fixed order (see
    ``pagefind_files``), and the same into ``store`` if given; returns its entry
    (languages and page counts)."""
    content: dict[str, bytes] = {}
    for file in files:
        relative = Path(file["path"])
        if relative.is_absolute() or ".." in relative.parts:
            raise ValueError(f"Pagefind named a file outside its folder: {relative}")
        if whole or _MERGED_NEEDS.fullmatch(relative.as_posix()):
            content[relative.as_posix()] = base64.b64decode(file["content"])
    content = pagefind_files.stable_files(content)
    _write_files(output, content)
    if store is not None:
        _store_bundle(store, content)
    return json.loads(content.get(pagefind_files.ENTRY, b"{}"))


def _store_bundle(store: Path, content: dict[str, bytes]) -> None:
    """Keep a bundle's files in the build cache. Written whole beside ``store``, then
    renamed, so that a build stopped half-way stores nothing; a failure only means
    the next build indexes the bundle again."""
    partial = None
    try:
        shutil.rmtree(store, ignore_errors=True)  # an incomplete copy, which the plugin did not reuse
        store.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(dir=store.parent, prefix=".partial-"))
        _write_files(partial, content)
        partial.rename(store)
    except OSError:  # a full disk, or another build storing the same bundle meanwhile
        if partial is not None:
            shutil.rmtree(partial, ignore_errors=True)


def _write_files(folder: Path, content: dict[str, bytes]) -> None:
    folders: set[Path] = set()
    for relative, data in content.items():
        path = folder / relative
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_bytes(data)


def _stored(store: Path | None, keys: dict[str, str], bundle: str) -> Path | None:
    """Where the build cache keeps ``bundle`` (None without a cache, or without a key)."""
    return store / keys[bundle] if store is not None and bundle in keys else None


def _copy_bundle(stored: Path | None, output: Path) -> dict:
    """A bundle from the build cache into ``output``; returns its entry."""
    if stored is None or not (stored / pagefind_files.ENTRY).is_file():
        raise OSError(f"no index in {stored}")
    content = {path.relative_to(stored).as_posix(): path.read_bytes()
               for path in sorted(stored.rglob("*")) if path.is_file()}
    _write_files(output, content)
    return json.loads(content.get(pagefind_files.ENTRY, b"{}"))


def _prune(store: Path, used: set[str]) -> None:
    """Keep only the bundles this build used (and none a stopped build left half-written)."""
    for path in store.iterdir() if store.is_dir() else ():
        if path.name not in used:
            shutil.rmtree(path, ignore_errors=True)


def _summary(output: Path, written: list[tuple[str, dict, bool]]) -> str:
    """How many pages the bundles index, in which languages, how many each (when
    split), and which came from the build cache."""
    def pages(entry: dict) -> int:
        return sum(language.get("page_count", 0) for language in entry.get("languages", {}).values())

    languages = sorted({language for _, entry, _ in written for language in entry.get("languages", {})})
    line = (f"{sum(pages(entry) for _, entry, _ in written)} pages indexed ({', '.join(languages) or 'no language'}) "
            f"into {output.name}/")
    if len(written) > 1:
        line += ": " + ", ".join(f"{name or 'main'} {pages(entry)}" for name, entry, _ in written)
    if reused := [name or "main" for name, _, cached in written if cached]:
        line += ("; all" if len(reused) == len(written) else "; " + ", ".join(reused)) + " from the build cache"
    return line


if __name__ == "__main__":
    try:
        sys.exit(main(*sys.argv[1:]))
    except Exception as error:  # a bug here: one line for the build log, not a traceback
        print(f"Pagefind's helper failed: {error!r}")
        sys.exit(1)
