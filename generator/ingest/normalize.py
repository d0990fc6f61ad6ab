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

RESERVED_SLUGS = frozenset({
    # The site's own pages and folders, and what MkDocs, Material and Pagefind
    # write beside them; tests/test_hostile.py derives the list from a built site
    # and holds it to this one.
    "index", "feed", "papers", "topics", "digests", "az", "unsorted",
    "404", "sitemap", "search", "pagefind", "assets", "javascripts", "stylesheets",
    "about", "benchmarks", "saved", "feeds",
})
"""Slugs a title or collection never gets as they are: ``papers/index/`` would
overwrite the list of papers. They get a hashed slug instead, like titles
that lose characters."""

_DATE_SHAPED = re.compile(r"\d{4}-\d{2}-\d{2}")


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
    if title.isascii() and "&" not in title:  # ASCII has no format (Cf) characters
        # slugify's own steps, for the common case where most of them cannot
        # change anything (no entity to decode, nothing to normalise): a tenth of
        # its time. tests/ingest/test_normalize.py holds this equal to slugify.
        text = title.lower()
        if "," in text:
            text = _DIGIT_COMMA.sub("", text)  # "1,000" -> "1000"
        return _ASCII_NON_WORD.sub(" ", text).strip()
    return slugify(_without_format_characters(title), allow_unicode=True, separator=" ")


def _without_format_characters(text: str) -> str:
    """``text`` without invisible format characters (Unicode category Cf: ZWJ,
    bidi controls, soft hyphens...): a reader cannot see them, so they must not
    make a second paper of the same title."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def untitled_key(title: str, arxiv_id: str | None) -> str:
    """The identity of a paper whose title has no letters or digits (``???``, ``🚀🔥``).

    ``title_key`` is empty for all of them, which would make one paper of
    every such title; each is known by its arXiv id instead, or else by the
    symbols it is written with. The ``:`` keeps these keys apart from every
    ``title_key``, which never holds one.
    """
    if arxiv_id:
        return f"untitled:arxiv:{arxiv_id}"
    symbols = unicodedata.normalize("NFKC", _without_format_characters(title))
    return "untitled:" + "".join(symbols.split())


def entry_key(title: str, arxiv_id: str | None) -> str:
    """The identity of the paper an entry names: ``title_key``, or ``untitled_key``."""
    return title_key(title) or untitled_key(title, arxiv_id)


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
    if short == full and full == key.replace(" ", "-") and full and full not in RESERVED_SLUGS:
        return short
    return hashed_slug(short, key, "paper")


def hashed_slug(short: str, identity: str, fallback: str) -> str:
    """``short`` with a hash of ``identity``, so that it is stable and no page of the site's own."""
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:6]
    return f"{short}-{digest}" if short else f"{fallback}-{digest}"


def collection_slug(title: str) -> str:
    """The URL segment under ``digests/`` of an undated collection called ``title``.

    As for papers, a slug that is empty, one of the site's own names, or shaped
    like the date of a dated digest gets a hash of the title.
    """
    slug = slugify(_without_format_characters(title))
    if slug and slug not in RESERVED_SLUGS and not _DATE_SHAPED.fullmatch(slug):
        return slug
    return hashed_slug(slug, title, "collection")


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
