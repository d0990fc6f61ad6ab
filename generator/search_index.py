"""Pagefind: a chunked static search index, written after MkDocs builds the site.

Material's own search ships the whole index to the first reader who searches
(about 1 KB per paper); Pagefind splits it into chunks fetched per query. It
runs as the ``pagefind`` binary that the ``pagefind[bin]`` package installs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Pages mark what is searchable with data-pagefind-body (the paper's title,
# note and abstract; a topic's name and description); the rest is not indexed.
EXCLUDE_SELECTORS = [".headerlink"]


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says which and why."""


def build_search_index(site_dir: Path) -> str:
    """Index ``site_dir`` into ``site_dir/pagefind``; returns Pagefind's summary line."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir)]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"could not run Pagefind: {error}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        missing = "No module named pagefind" in result.stderr
        hint = " (install the project with `python3 dev.py serve` or `pip install -e .`)" if missing else ""
        raise SearchIndexError(f"Pagefind failed{hint}: {detail[-1] if detail else result.returncode}")
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    indexed = [line for line in lines if line.lower().startswith(("indexed", "finished"))]
    return "; ".join(indexed) or (lines[-1] if lines else "done")
