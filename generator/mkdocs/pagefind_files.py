"""Pagefind's index files in a fixed order, so that the same pages give the same bytes.

Pagefind writes each filter's values (a topic's name, a digest's title, each with
its pages) in the order of a Rust hash map, which changes from one run to the
next (Pagefind/pagefind#638). It names a filter file by its content, lists those
names in the language's metadata file, which is named by its content too, and
names that in ``pagefind-entry.json``: so three files changed on every build of
the same site, and the publish step uploaded a "new" search index each time.

``stable_files`` sorts each filter's values and renames what depends on them.
The values are the same, with the same pages; only their order in the file
changes, and the search box reads a filter file as a map. Every other file
(the word index chunks and the result fragments) Pagefind already writes the
same way every time, and they are passed through untouched.

The binary files are gzip, then the signature ``pagefind_dcd``, then CBOR
(decoded and encoded by ``cbor2``, which gives back Pagefind's own bytes for
what it does not change). This module imports nothing of the project: the
search helper, run as a script, imports it from its folder.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Callable

import cbor2

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
_FILTER = re.compile(r"filter/(?P<name>(?P<language>[^/_]+)_[0-9a-f]+)\.pf_filter")
_META = re.compile(r"pagefind\.(?P<name>(?P<language>[^/_]+)_[0-9a-f]+)\.pf_meta")


class UnknownFormat(ValueError):
    """A file is not in the format this module knows (a Pagefind it was not written for)."""


def decode(data: bytes) -> object:
    try:
        plain = gzip.decompress(data)
        if plain.startswith(SIGNATURE):
            return cbor2.loads(plain[len(SIGNATURE):])
    except (OSError, EOFError, ValueError, cbor2.CBORDecodeError) as error:  # not gzip, cut short, not CBOR
        raise UnknownFormat(f"unreadable ({error})") from None
    raise UnknownFormat("no pagefind_dcd signature")


def encode(value: object) -> bytes:
    # mtime=0: gzip would otherwise stamp the time into every file.
    return gzip.compress(SIGNATURE + cbor2.dumps(value), 9, mtime=0)


def _content_name(language: str, data: bytes, digits: int) -> str:
    return f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"


def sorted_filter(value: object) -> object:
    """A filter file's value (its name, then each filter value with its pages) with
    the values in order of their text."""
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)
            and all(isinstance(item, list) and item and isinstance(item[0], str) for item in value[1])):
        raise UnknownFormat("a filter file that is not [name, [[value, pages], ...]]")
    return [value[0], sorted(value[1], key=lambda item: item[0])]


def _renamed(value: object, names: dict[str, str]) -> object:
    """The metadata ``value`` with its list of filter files (pairs of a filter and its
    file name) renamed by ``names`` and in order of the filter, as Pagefind lists them
    in hash-map order too. Only that list: a page's name elsewhere in the metadata
    could be the same string as an old filter file's."""
    if not isinstance(value, list):
        return value
    if value and all(isinstance(item, list) and len(item) == 2 and isinstance(item[1], str)
                     and item[1] in names for item in value):
        return sorted(([item[0], names[item[1]]] for item in value), key=lambda item: str(item[0]))
    return [_renamed(item, names) for item in value]


def stable_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """Pagefind's files (path to bytes, as GetFiles answers them), with the filter
    files sorted, and they, the metadata and the entry renamed to match.

    Raises ``UnknownFormat`` when a file is not as expected: the build stops then,
    rather than publish an index that changes on every build.
    """
    out: dict[str, bytes] = {}
    replaced: set[str] = set()  # the paths of Pagefind's files that ``out`` has under new names

    def rewritten(pattern: re.Pattern, path_template: str, rewrite: Callable[[object], object]) -> dict[str, str]:
        """Each file ``pattern`` matches, rewritten and stored under a name made from
        its new content (with as many digits as Pagefind's); old name -> new name."""
        names = {}
        for path, data in files.items():
            if match := pattern.fullmatch(path):
                stable = encode(rewrite(decode(data)))
                digits = len(match["name"]) - len(match["language"]) - 1
                names[match["name"]] = new = _content_name(match["language"], stable, digits)
                out[path_template.format(new)] = stable
                replaced.add(path)
        return names

    filters = rewritten(_FILTER, "filter/{}.pf_filter", sorted_filter)
    metas = rewritten(_META, "pagefind.{}.pf_meta", lambda meta: _renamed(meta, filters))  # it names the filters
    for path, data in files.items():
        if path == ENTRY:  # it names the metadata
            entry = json.loads(data)
            for language in entry.get("languages", {}).values():
                language["hash"] = metas.get(language.get("hash"), language.get("hash"))
            # As Pagefind writes it: compact, and the characters themselves rather than escapes.
            out[path] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        elif path not in replaced:
            out[path] = data
    return out
