"""Curator regexes, compiled for RE2: matching time stays linear in the text.

Python's ``re`` backtracks, so a pattern such as ``(a+)+b`` takes time
exponential in the length of a word it fails on: one long word in a dump
doubled the build time with each letter. RE2 never backtracks; the price is
that it lacks backreferences (``\\1``) and lookaround (``(?=...)``), which a
pattern for one word does not need. Patterns it cannot run are refused.
"""

from __future__ import annotations

import re2


class PatternError(ValueError):
    """A pattern RE2 cannot compile, with RE2's reason."""


def _options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # RE2 would print every refusal to stderr besides raising it
    return options


_OPTIONS = _options()


def compile_word_pattern(source: str) -> re2._Regexp:
    """``source`` compiled for case-insensitive matching by RE2.

    Raises:
        PatternError: RE2 cannot compile it (invalid, or a feature RE2 lacks).
    """
    try:
        return re2.compile(source, _OPTIONS)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(
            f"{reason} (patterns use RE2 syntax, which runs in linear time: "
            "no backreferences or lookaround)"
        ) from None
