"""The one place where text from a dump is made safe for the page.

Generated pages are HTML written by our templates (see ``render.py``); MkDocs
shows it inside Material's templates as it is. Text from a dump must come out
exactly as written, so every value a template prints is HTML-escaped, with its
whitespace collapsed: a dump's line breaks mean nothing inside one title or
abstract, and a blank line would end an HTML block for a Markdown reader of an
exported page. Only values wrapped in ``Markup`` (our own links and markup,
the curator's notes, sanitised by ``note_html``) pass through unchanged.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup, escape

from ..ingest.normalize import collapse_whitespace


@lru_cache(maxsize=1 << 16)
def escape_text(text: str) -> Markup:
    """Text that a browser shows as written, on one line."""
    return escape(collapse_whitespace(text))


def escape_attribute(text: str) -> str:
    """Text for an HTML attribute or element that a theme template prints raw."""
    return html.escape(collapse_whitespace(text), quote=True)


# A curator's note is Markdown, with the same extensions as the site's
# hand-written pages that make sense in a note. It is not trusted as HTML:
# curation.yml can arrive in a pull request from anyone, and Python-Markdown
# passes raw HTML (and attr_list's attributes) through as they are.
_NOTE_EXTENSIONS = ["attr_list", "tables"]
_NOTE_TAGS = frozenset({
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
})
"""What Markdown writes (images excepted: the site requests nothing from other hosts)."""
_NOTE_ATTRIBUTES = {"a": {"href", "title"}}
_NOTE_URL_SCHEMES = frozenset({"http", "https", "mailto"})


@lru_cache(maxsize=1024)
def note_html(text: str) -> Markup:
    """A curator's Markdown note as HTML, with nothing live in it.

    nh3 (the Rust ``ammonia`` sanitiser) keeps only the tags Markdown writes,
    links with ``href`` and ``title`` only, and link targets that are
    ``http``, ``https``, ``mailto`` or relative; any other tag is dropped with
    its text kept (``<script>`` and ``<style>`` with their content).
    """
    rendered = markdown.markdown(text, extensions=_NOTE_EXTENSIONS)
    return Markup(nh3.clean(rendered, tags=set(_NOTE_TAGS), attributes=_NOTE_ATTRIBUTES,
                            url_schemes=set(_NOTE_URL_SCHEMES), link_rel="noopener noreferrer"))


_TAG = re.compile(r"<[^>]+>")


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment as a reader sees it: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", fragment))


def markdown_to_plain(text: str) -> str:
    """The words of a curator's Markdown note, without its formatting (for teasers)."""
    return plain_text(note_html(text))  # the note as its page shows it, converted once


_PRESERVED = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.S | re.I)
_INDENT = re.compile(r"\n\s+")


def compact_html(page: str) -> str:
    """A page without the indentation and blank lines of the theme's templates.

    Each run of whitespace that starts a line becomes one newline, which a
    browser renders exactly as it did the run; ``<pre>`` and ``<textarea>``,
    where whitespace is content, are left as they are. About a fifth of a
    paper page was indentation.
    """
    parts = _PRESERVED.split(page)  # text, preserved element, text, …
    parts[::2] = [_INDENT.sub("\n", text) for text in parts[::2]]
    return "".join(parts)


def distinct_words(text: str) -> str:
    """Each word of ``text`` once, lowercased, in the order first seen, for the search index.

    Pagefind stores every occurrence of a word; repeats of common words
    ("the", "model") made the index chunks a first search downloads about
    twice as large. Which papers a word finds does not depend on repeats.
    Pagefind lowercases and strips punctuation itself, so a word next to a
    comma may stay twice ("model" and "model,"): cheap, and still correct.
    """
    return " ".join(dict.fromkeys(text.lower().split()))
