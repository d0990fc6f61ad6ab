"""What a paper page offers for citing and following a paper: BibTeX, linked
abstracts, and the fields a dump may or may not give.

Dump text is escaped before anything becomes markup: ``linkify`` escapes the
whole abstract first and only then wraps the ``http(s)`` URLs it finds in the
escaped text, so no character of the dump can open a tag or an attribute.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markupsafe import Markup, escape

from ..ingest.normalize import clean_text
from ..models import Paper
from .markup import escape_text

# In escaped text: an http(s) URL runs to the next space or to an escaped quote or bracket.
_URL = re.compile(r"https?://[^\s<>\"']+?(?=[.,;:!?)\]]*(?:\s|&lt;|&gt;|&quot;|&#34;|&#39;|$))")
_ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z.-]+/\d{7})(v\d+)?$", re.I)
_KEY_WORD = re.compile(r"[A-Za-z0-9]+")
_BIBTEX_SPECIAL = re.compile(r"([{}\\%&$#_^~])")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")


@lru_cache(maxsize=1 << 14)
def linkify(text: str) -> Markup:
    """The abstract as HTML: escaped text in which each http(s) URL is a link.

    Only ``http`` and ``https`` become links (never ``javascript:`` or
    ``data:``); trailing punctuation stays outside the link. Links are
    ``nofollow noopener`` because the dump, not the curator, chose them.
    """
    escaped = str(escape_text(clean_text(text)))
    return Markup(_URL.sub(lambda m: f'<a href="{m.group(0)}" rel="nofollow noopener">{m.group(0)}</a>', escaped))


def field(paper: Paper, name: str, default: object = None) -> object:
    """A Paper attribute that only some versions of the model have (``authors``):
    templates run with StrictUndefined, so they ask through this."""
    return getattr(paper, name, default) or default


def authors_of(paper: Paper) -> list[str]:
    authors = field(paper, "authors", ())
    if isinstance(authors, str):
        return [a.strip() for a in re.split(r",|\band\b", authors) if a.strip()]
    return [str(a) for a in authors]


def arxiv_id(paper: Paper) -> str | None:
    """The paper's arXiv id, if the dump gave a well-formed one."""
    value = (paper.arxiv_id or "").strip()
    return value if _ARXIV_ID.match(value) else None


def _bibtex_text(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", clean_text(text))


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _KEY_WORD.findall(folded)


def bibtex(paper: Paper, year: int | None = None) -> str:
    """An ``@misc`` entry: arXiv-style (eprint, archivePrefix) when the id is known,
    else from the title alone. ``year`` is the paper's digest year when the dump
    gave no date of its own."""
    known = arxiv_id(paper)
    published = field(paper, "published", "") or ""
    if match := _YEAR.search(str(published)):
        year = int(match.group(0))
    authors = authors_of(paper)
    words = _ascii_words(clean_text(paper.title))
    first_word = next((w.lower() for w in words if len(w) > 3), words[0].lower() if words else "paper")
    surname = _ascii_words(authors[0])[-1].lower() if authors and _ascii_words(authors[0]) else ""
    key = f"{surname}{year or ''}{first_word}" if surname else (
        f"arxiv{known.replace('.', '_').replace('/', '_')}" if known else f"{first_word}{year or ''}")
    lines = [f"@misc{{{key},", f"  title = {{{{{_bibtex_text(paper.title)}}}}},"]
    if authors:
        lines.append(f"  author = {{{' and '.join(_bibtex_text(a) for a in authors)}}},")
    if year:
        lines.append(f"  year = {{{year}}},")
    if known:
        lines += [f"  eprint = {{{known}}},", "  archivePrefix = {arXiv},",
                  f"  url = {{https://arxiv.org/abs/{known}}},"]
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}"


def bibtex_html(paper: Paper, year: int | None = None) -> Markup:
    """``bibtex`` escaped for a ``<pre>``, its line breaks kept."""
    return Markup(escape(bibtex(paper, year)))
