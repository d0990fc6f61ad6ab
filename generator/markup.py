"""The one place where text from a dump is made safe for Markdown and HTML.

Generated pages are Markdown, rendered by Python-Markdown and then placed into
Material's HTML templates. Text from a dump must come out the other end exactly
as written, so every character that either language could read as syntax is
written as a numeric character reference: Markdown leaves ``&#42;`` alone, and
the browser shows ``*``. Templates get this for every value by default (see
``render.py``); only values wrapped in ``Markup`` (our own links, curator notes)
pass through unchanged.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
from markupsafe import Markup

# Everything Python-Markdown or the enabled extensions give meaning to inline:
# emphasis, code, links and images, raw HTML and entities, attribute lists,
# tables, headings, and the characters of pymdownx-style inline syntax.
_INLINE_SYNTAX = set("\\`*_{}[]<>&#|~^=:$!")
# At the start of a line, these begin a list, a heading or a block quote.
_WHITESPACE = re.compile(r"\s+")
_LINE_START = re.compile(r"^(\s*)([-+]|\d+[.)])(?=\s|$)")


_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _INLINE_SYNTAX}


@lru_cache(maxsize=1 << 16)
def escape_markdown(text: str) -> Markup:
    """Text that Markdown and HTML will both show as written, and nothing else.

    Whitespace is collapsed to single spaces first: a dump's line structure is
    never meaningful inside one title or abstract, and a newline could start a
    block. The result is marked safe so templates do not escape it twice.
    """
    out = _WHITESPACE.sub(" ", text).translate(_ENTITIES)
    out = _LINE_START.sub(lambda m: m.group(1) + "".join(f"&#{ord(c)};" for c in m.group(2)), out)
    return Markup(out)


def escape_attribute(text: str) -> str:
    """Text for an HTML attribute or element that a theme template prints raw."""
    return html.escape(" ".join(text.split()), quote=True)


_TAG = re.compile(r"<[^>]+>")


def markdown_to_plain(text: str) -> str:
    """The words of a curator's Markdown note, without its formatting (for teasers)."""
    return html.unescape(_TAG.sub("", markdown.markdown(text)))
