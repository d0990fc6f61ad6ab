"""Results reused between builds, keyed by what they were computed from.

A rebuild during ``mkdocs serve`` usually changes one input: one dump, one
rule, one note. Every stage result here is stored under a key made from its
inputs' content (a dump's bytes, a paper's text and the taxonomy, the whole
list of texts), so reusing one can never give a result a clean build would
not: a changed input is a different key. Stale state is impossible by
construction, which is why the store may live longer than one build.

``Memo`` keeps the results of the latest build only: every ``get`` or ``put``
marks an entry as used, and ``finish()`` drops the rest, so memory stays the
size of one build's results. With a ``directory``, ``finish()`` also writes
them there and a later process loads them (the persistent build cache, off
unless asked for). Stored results are keyed by the generator's own source
too (``generator_version``), so a changed generator never reads old results.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Hashable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger("mkdocs.plugins.generator.memo")

_PACKAGE = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def generator_version() -> str:
    """A digest of the generator's code and templates: what made a stored result."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".j2") and path.is_file():
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(*parts: str | bytes) -> str:
    """A short content key for strings or bytes (length-prefixed, so parts cannot run together)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


class Memo:
    """Stage results by namespace and content key; see the module docstring."""

    def __init__(self, directory: Path | None = None, persist: tuple[str, ...] = ()):
        self.directory = directory
        self.persist = persist
        """The namespaces written to ``directory``; the others live in this process only."""
        self._stores: dict[str, dict[Hashable, object]] = {}
        self._used: dict[str, dict[Hashable, object]] = {}
        self.hits: dict[str, int] = {}
        self.misses: dict[str, int] = {}

    def _store(self, namespace: str) -> dict[Hashable, object]:
        if namespace not in self._stores:
            self._stores[namespace] = self._load(namespace)
        return self._stores[namespace]

    def get(self, namespace: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The stored result for ``key``, or ``compute()`` stored under it."""
        store = self._store(namespace)
        if key in store:
            value = store[key]
            self.hits[namespace] = self.hits.get(namespace, 0) + 1
        else:
            value = store[key] = compute()
            self.misses[namespace] = self.misses.get(namespace, 0) + 1
        self._used.setdefault(namespace, {})[key] = value
        return value  # type: ignore[return-value]

    def lookup(self, namespace: str, key: Hashable) -> tuple[bool, object]:
        """``(True, value)`` when ``key`` is stored, else ``(False, None)``; a hit marks it used."""
        store = self._store(namespace)
        if key not in store:
            self.misses[namespace] = self.misses.get(namespace, 0) + 1
            return False, None
        self.hits[namespace] = self.hits.get(namespace, 0) + 1
        self._used.setdefault(namespace, {})[key] = store[key]
        return True, store[key]

    def put(self, namespace: str, key: Hashable, value: object) -> None:
        self._store(namespace)[key] = value
        self._used.setdefault(namespace, {})[key] = value

    def finish(self) -> None:
        """End of a build: keep only what it used, and write it out if persistent."""
        self._stores, self._used = self._used, {}
        self.hits, self.misses = {}, {}
        if self.directory is not None:
            for namespace, store in self._stores.items():
                if namespace in self.persist:
                    self._save(namespace, store)

    def summary(self) -> str:
        names = sorted(set(self.hits) | set(self.misses))
        return ", ".join(f"{n} {self.hits.get(n, 0)}/{self.hits.get(n, 0) + self.misses.get(n, 0)}" for n in names)

    # The persistent cache: one pickle per namespace, below a folder named by the generator version.

    def _path(self, namespace: str) -> Path:
        assert self.directory is not None
        return self.directory / generator_version() / f"{namespace}.pickle"

    def _load(self, namespace: str) -> dict[Hashable, object]:
        if self.directory is None or namespace not in self.persist:
            return {}
        path = self._path(namespace)
        # Pickle runs code from the file it reads: the cache folder is the
        # project's own (git-ignored, restored by CI from its own cache), never input.
        try:
            with path.open("rb") as stream:
                loaded = pickle.load(stream)
        except FileNotFoundError:
            return {}
        except Exception as error:  # a damaged or foreign cache file is only a miss
            log.warning("build cache: ignoring %s (%s)", path, error)
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def _save(self, namespace: str, store: dict[Hashable, object]) -> None:
        path = self._path(namespace)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole, then renamed: a build stopped half-way leaves the old file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(store, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        for old in self.directory.iterdir():  # type: ignore[union-attr]
            if old.is_dir() and old.name != generator_version():
                shutil.rmtree(old, ignore_errors=True)  # an older generator's results, search bundles included
