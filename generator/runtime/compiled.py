"""Compiled Jinja templates kept for the life of the process.

``mkdocs serve`` makes a new plugin, renderer and theme environment for every
rebuild, and each new Jinja environment compiles its templates again: about
half a second per rebuild for ours and the theme's. Jinja's bytecode cache is
the sanctioned way to share the compiled code between environments. It checks
each template's source against the checksum it was compiled from, so an edited
template (an override) is compiled afresh.
"""

from __future__ import annotations

import threading

import jinja2


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache, in memory: one entry per template file, the latest compile."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()  # MkDocs may render from more than one thread

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with self._lock:
            code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored unless the source's checksum matches

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = bucket.bytecode_to_string()
        with self._lock:
            self._code[bucket.key] = code


COMPILED = CompiledTemplates()
"""The one cache of this process, for every environment it makes."""
