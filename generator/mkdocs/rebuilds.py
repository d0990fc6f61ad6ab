"""What lives from one build to the next in one process: the state of ``serve``.

MkDocs makes a new config, and so a new plugin, for every rebuild of
``mkdocs serve``. What a rebuild may reuse therefore lives here, at module
level, and only in content-keyed forms that cannot go stale:

* a ``Memo`` per project (parsed dumps, topics, related papers, rendered pages);
* per site folder, every generated file as last handed to MkDocs, so that
  ``GeneratedFile.is_modified()`` answers truthfully, ``mkdocs serve --dirty``
  rebuilds only the pages whose text changed, and a page whose text did not
  change is used again rather than made anew (its file and page objects: at
  10,000 pages, making them and reading their front matter was a quarter of a
  rebuild for one curator note).

The frame (mkdocs.yml, the hand-written pages, the theme overrides) is in
every generated page's HTML (navigation, header), so when it changes every
generated page counts as modified.
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_build_date

from ..runtime.memo import Memo, fingerprint
from ..site.urls import output_path
from .page import GeneratedPage
from .search_index import SearchIndex, SearchIndexError

log = logging.getLogger("mkdocs.plugins.generator.rebuilds")


class GeneratedFile(File):
    """A generated file that knows whether its text differs from the last build's."""

    modified: bool = True

    def is_modified(self) -> bool:
        return self.modified or not os.path.isfile(self.abs_dest_path)


@dataclass(frozen=True)
class LastBuild:
    """The files the last build generated into a site folder, and whether it had this build's frame."""

    frame: str
    files: dict[str, GeneratedFile]
    same_frame: bool
    date: str = field(default_factory=get_build_date)
    """This build's date, as MkDocs gives every page it makes (the sitemap shows it)."""

    def same_text(self, uri: str, content: str) -> bool:
        """Whether the last build gave ``uri`` this text, in the same frame: MkDocs need not write it again."""
        file = self.files.get(uri) if self.same_frame else None
        return file is not None and (file.content_string is content or file.content_string == content)

    def reused(self, uri: str) -> GeneratedFile | None:
        """The last build's file for ``uri``, page and all, when its text is this build's
        (``same_text``) and MkDocs may use it again as it is: its URLs and everything
        else its page holds come from the frame, which is the same, or from the text.
        Only pages outside the navigation are kept (the navigation sets its pages'
        links to each other anew in every build), and data files."""
        file = self.files[uri]
        if file.page is not None and file.inclusion is not InclusionLevel.NOT_IN_NAV:
            return None
        file.modified = False
        if file.page is not None:
            file.page.update_date = self.date
        return file


@dataclass
class Session:
    """One process's builds: whether they are dirty, and what the last one made."""

    command: str = "build"
    dirty: bool = False
    memos: dict[str, Memo] = field(default_factory=dict)
    written: dict[str, tuple[str, dict[str, GeneratedFile]]] = field(default_factory=dict)
    """Site folder -> (frame fingerprint, generated path -> the file last handed to MkDocs)."""
    inputs: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Input file -> (mtime, size) at the last build, to say what a rebuild was for."""
    search: _BackgroundIndex | None = None
    """The search index a dirty rebuild is still writing, if any."""
    search_bundles: Path | None = None
    """Where this serve keeps the search bundles it built, when no build cache is set."""
    collector: threading.Timer | None = None
    """The garbage collection due once the preview has reloaded."""

    def collect_when_idle(self) -> None:
        """Free the last build's garbage after this one, while the curator reads the preview.

        Between rebuilds the process holds a whole site (the memo, MkDocs' files
        and pages), and every full pass of the collector walks all of it: about a
        second at 10,000 papers, which would otherwise fall inside the next
        rebuild. So collect once here, with nobody waiting, then freeze what is
        left (``gc.freeze``): the next rebuild's passes walk only its own new
        objects. Frozen garbage is freed at the next idle collection, which
        unfreezes first, so memory stays the size of one build.
        """
        self.postpone_collection()
        gc.enable()
        self.collector = threading.Timer(IDLE_COLLECTION_DELAY, _collect_and_freeze)
        self.collector.daemon = True
        self.collector.start()

    def postpone_collection(self) -> None:
        """A build is starting: the collection waits for its end.

        While serving, the collector is off for the whole build, MkDocs' part
        included (``collect_when_idle`` turns it on again): a rebuild makes a
        new site's worth of objects, and the full passes that set off walked
        them all, one to two seconds of a rebuild at 10,000 papers. What a
        build leaves is freed at the idle collection after it.
        """
        if self.collector is not None:
            self.collector.cancel()
            self.collector = None
        if self.serving:
            gc.disable()

    def index_in_background(self, index: SearchIndex, building: Path, final: Path) -> None:
        """Let the preview reload now, and put the new index in place when Pagefind is done."""
        self.search = _BackgroundIndex(index, building, final)

    def stop_search(self) -> None:
        """A newer index is about to start: the one still being written is of no use."""
        if self.search is not None:
            self.search.cancel()
            self.search = None

    def search_cache(self) -> Path:
        """A folder of this process's for the search bundles of a split index, so that a
        rebuild indexes again only the years whose pages changed (removed at exit)."""
        if self.search_bundles is None:
            self.search_bundles = Path(tempfile.mkdtemp(prefix="digest-search-"))
            atexit.register(shutil.rmtree, self.search_bundles, True)
        return self.search_bundles

    def wait_for_search(self) -> None:
        if self.search is not None:
            self.search.thread.join()

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    @property
    def background_search(self) -> bool:
        """Whether a rebuild may reload the preview before the search index is written."""
        return self.serving and self.dirty

    def memo(self, root: Path, cache_dir: Path | None) -> Memo | None:
        """The project's memo: when serving, or when a build cache is configured."""
        if not self.serving and cache_dir is None:
            return None
        key = f"{root}\0{cache_dir}"
        if key not in self.memos:
            self.memos[key] = Memo(cache_dir, persist=("parse", "classify", "related"))
        return self.memos[key]

    def last_files(self, config: MkDocsConfig, files: Files, banner: str = "") -> LastBuild:
        """What the last build into this site folder generated, to be used again where
        unchanged. ``files`` are the hand-written ones; ``banner`` is what every page
        shows besides its own text (the serve error banner)."""
        frame = fingerprint(frame_key(config, files), banner)
        last_frame, last = self.written.get(str(config.site_dir), ("", {}))
        return LastBuild(frame, last, same_frame=frame == last_frame)

    def record(self, config: MkDocsConfig, last: LastBuild, generated: list[GeneratedFile]
               ) -> tuple[list[str], list[str]]:
        """Remember this build's generated files; the paths that changed since the last
        build, and those the last build made that this one does not."""
        now = {f.src_uri: f for f in generated}
        self.written[str(config.site_dir)] = (last.frame, now)
        changed = [f.src_uri for f in generated if f.modified]
        return changed, sorted(last.files.keys() - now.keys())

    def release_pages(self) -> None:
        """After a build: the kept pages need their documents only, which their files hold."""
        for _, files in self.written.values():
            for file in files.values():
                if isinstance(file.page, GeneratedPage):
                    file.page.release()

    @staticmethod
    def remove_outputs(config: MkDocsConfig, removed: list[str]) -> None:
        """Delete what a dirty build would leave behind of pages that are gone (a hidden paper)."""
        site = Path(config.site_dir)
        for uri in removed:
            target = site / output_path(uri, config.use_directory_urls)
            target.unlink(missing_ok=True)
            if target.name == "index.html" and target.parent != site and not any(target.parent.iterdir()):
                target.parent.rmdir()

    def changed_inputs(self, paths: list[Path], root: Path) -> list[str]:
        """The input files added, edited or removed since the last build, relative to ``root``."""
        now = {}
        for path in paths:
            for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
                if file.is_file():
                    stat = file.stat()
                    now[file.relative_to(root).as_posix()] = (stat.st_mtime_ns, stat.st_size)
        before, self.inputs = self.inputs, now
        if not before:
            return []
        return sorted(name for name in now.keys() | before.keys() if now.get(name) != before.get(name))

    def forget(self, site_dir: str) -> None:
        """A failed build may have left the site half-written: the next one writes everything."""
        self.written.pop(site_dir, None)


IDLE_COLLECTION_DELAY = 2.0
"""Seconds after a rebuild before collecting: the browser has reloaded the page by then."""


def _collect_and_freeze() -> None:
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def frame_key(config: MkDocsConfig, files: Files) -> str:
    """mkdocs.yml, the hand-written files and the theme's overrides, as they are now."""
    parts = [Path(config.config_file_path).read_bytes() if config.config_file_path else b""]
    parts += sorted(f.src_uri for f in files if not f.generated_by)
    custom = config.theme.custom_dir
    if custom and os.path.isdir(custom):
        for path in sorted(Path(custom).rglob("*")):
            if path.is_file():
                stat = path.stat()
                parts.append(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}")
    return fingerprint(*parts)


SESSION = Session()


class _BackgroundIndex:
    """Pagefind finishing an index in ``building``, then swapped in for ``final``."""

    def __init__(self, index: SearchIndex, building: Path, final: Path):
        self.index, self.building, self.final = index, building, final
        self.cancelled = threading.Event()
        self.thread = threading.Thread(target=self._finish, name="search-index", daemon=True)
        self.thread.start()

    def _finish(self) -> None:
        try:
            summary = self.index.finish()
        except SearchIndexError as error:
            if not self.cancelled.is_set():
                log.error("search index: %s", error)
            return
        if self.cancelled.is_set():
            return
        old = self.final.with_name(self.final.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.final.exists():
            self.final.rename(old)
        self.building.rename(self.final)
        log.info("search index: %s (written after the pages)", summary)
        shutil.rmtree(old, ignore_errors=True)

    def cancel(self) -> None:
        self.cancelled.set()
        self.index.abort()
        self.thread.join()
        shutil.rmtree(self.building, ignore_errors=True)
