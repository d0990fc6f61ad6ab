"""Normalisation: a paper's identity, its permanent slug, and readable text.

Raw text stays in the model; ``clean_text`` is applied only when rendering.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
import unicodedata
import re

from slugify import slugify, smart_truncate

SLUG_MAX_LENGTH = 80


def collapse_whitespace(text: str) -> str:
    """One space wherever the dump had any run of whitespace (line breaks included).

    ``str.split`` and the regex ``\\s`` use the same Unicode whitespace test;
    splitting is several times faster than ``re.sub`` on abstract-sized text.
    """
    return " ".join(text.split())


@lru_cache(maxsize=1 << 16)
def title_key(title: str) -> str:
    """The identity of a paper: its title without case, punctuation or spacing.

    Letters of every script are kept as they are (``u-μP`` stays distinct from
    ``u-mP``), so two papers only share a key when a reader would call their
    titles the same.
    """
    if title.isascii() and "&" not in title:
        # slugify's own steps, for the common case where most of them cannot
        # change anything (no entity to decode, nothing to normalise): a tenth of
        # its time. tests/test_normalize.py holds this equal to slugify.
        text = title.lower()
        if "," in text:
            text = _DIGIT_COMMA.sub("", text)  # "1,000" -> "1000"
        return _ASCII_NON_WORD.sub(" ", text).strip()
    return slugify(title, allow_unicode=True, separator=" ")


_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")
_ASCII_NON_WORD = re.compile(r"[^a-z0-9]+")
_PLAIN_KEY = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


@lru_cache(maxsize=1 << 16)
def paper_slug(key: str) -> str:
    """The permanent URL segment of the paper whose identity is ``key``.

    It depends on the key alone, never on which other papers exist, so it cannot
    change when dumps are added, removed or reordered. When the readable ASCII
    slug says everything the key says, it is used as it is: two different keys
    can then never share it. When it loses something (it was cut to
    ``SLUG_MAX_LENGTH``, or non-ASCII letters were transliterated), a short hash
    of the key is appended so that papers whose slugs would coincide stay apart.
    """
    # A plain key (what ``title_key`` makes of an ASCII title) slugifies to itself
    # with hyphens; slugify is only needed for anything else.
    full = key.replace(" ", "-") if _PLAIN_KEY.fullmatch(key) else slugify(key)
    # What slugify(key, max_length=..., word_boundary=True) returns: it truncates
    # its finished slug last, so one slugify call serves both.
    short = full if len(full) < SLUG_MAX_LENGTH else smart_truncate(full, SLUG_MAX_LENGTH, True, separator="-")
    if short == full and full == key.replace(" ", "-"):
        return short or "untitled"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:6]
    return f"{short}-{digest}" if short else f"paper-{digest}"


# LaTeX left behind by copying abstracts from arXiv. Each rule turns one kind of
# remnant into what the author meant a reader to see.
_ACCENTS = {
    '"': "\u0308",  # T\"ulu -> Tülu
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "c": "\u0327",
}
_SUPERSCRIPT = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
_SYMBOLS = {
    "times": "×",
    "cdot": "·",
    "approx": "≈",
    "sim": "~",
    "leq": "≤",
    "geq": "≥",
    "pm": "±",
    "rightarrow": "→",
    "to": "→",
    "infty": "∞",
    "eg": "e.g.",
    "ie": "i.e.",
}
_LATEX_RULES: tuple[tuple[re.Pattern[str], object], ...] = (
    (re.compile(r"\\(textbf|textit|emph|texttt|textrm|textsc|mathrm|mathbf|mathit|text)\{([^{}]*)\}"), r"\2"),
    (re.compile(r"\{\\(?:em|bf|it|tt|sc)\s+([^{}]*)\}"), r"\1"),
    (re.compile(r"""\\(["'`^~c])\{?([A-Za-z])\}?"""), lambda m: m.group(2) + _ACCENTS[m.group(1)]),
    (re.compile(r"\\([%&#_$])"), r"\1"),
    (re.compile(r"``(.*?)''"), "\u201c\\1\u201d"),
    (re.compile(r"\^\{([0-9+\-]{1,6})\}|\^([0-9]{1,3})(?![0-9]|\.[0-9])"), lambda m: (m.group(1) or m.group(2)).translate(_SUPERSCRIPT)),
    (re.compile(r"\\(" + "|".join(_SYMBOLS) + r")(?![A-Za-z])"), lambda m: _SYMBOLS[m.group(1)]),
    # A tie (``Byte-~and``, ``models~(LLMs)``) is a space; ``~100`` meaning
    # "about" and ``2.97~25.22`` ranges are left alone.
    (re.compile(r"(?<=[A-Za-z.\-])~(?=[A-Za-z(\[])"), " "),
)


@lru_cache(maxsize=1 << 16)
def clean_text(text: str) -> str:
    """Readable Unicode for display: LaTeX remnants resolved, whitespace collapsed.

    Only what is unambiguous is rewritten; anything else stays as written.
    """

    # Every rule needs one of these characters; most abstracts have none.
    if any(c in text for c in "\\{`^~"):
        for pattern, replacement in _LATEX_RULES:
            text = pattern.sub(replacement, text)  # type: ignore[arg-type]
    return unicodedata.normalize("NFC", collapse_whitespace(text))
