"""The page-document format: what a generated ``.md`` file holds.

A document is YAML front matter, then a body our templates write as HTML.
``front_matter`` writes the head, ``split_document`` reads it back, and
``heading`` writes the one kind of heading the plugin later finds with
``HEADING`` to build the table of contents. The three must agree, so they live
together.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from markupsafe import Markup

from .markup import escape_attribute, escape_text


def as_html(value: object) -> object:
    """How a template prints a value: ``Markup`` as it is, anything else escaped."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return escape_text(str(value))


def front_matter(**fields: object) -> Markup:
    """YAML front matter. Material prints ``title`` and ``description`` raw into
    the HTML head, so they are HTML-escaped text. Values are written as JSON,
    which YAML reads as it is: quoting is json's, and it is fast."""
    lines = ["---"]
    for name, value in fields.items():
        if value in (None, (), []):
            continue
        if isinstance(value, str):
            value = escape_attribute(value)
        lines.append(f"{name}: {json.dumps(value, ensure_ascii=False)}")
    return Markup("\n".join(lines) + "\n---\n")


def split_document(document: str) -> tuple[dict[str, object], str]:
    """A page document's front matter (as ``front_matter`` writes it) and body."""
    end = _front_matter_end(document)
    meta = {}
    for line in document[4:end].splitlines():
        name, _, value = line.partition(": ")
        meta[name] = json.loads(value)
    return meta, document_body(document)


def document_body(document: str) -> str:
    """A page document's body (see ``split_document``)."""
    end = _front_matter_end(document)
    return document[end + len(_FENCE):] if end else document


_FENCE = "\n---\n"


def _front_matter_end(document: str) -> int:
    """Where the front matter's closing fence starts; 0 if there is no front matter."""
    if not document.startswith("---\n"):
        return 0
    end = document.find(_FENCE, 3)
    return end if end > 0 else len(document)


HEADING = re.compile(r'<h([2-6]) id="([^"]+)">(.*?)<a class="headerlink"')
"""A heading as ``heading`` writes it: level, anchor and inner HTML (the plugin builds
the table of contents from these)."""


@lru_cache(maxsize=256)
def heading(level: int, anchor: str, text: object) -> Markup:
    """A heading with the id and permalink Python-Markdown's toc extension would give it."""
    return Markup('<h{0} id="{1}">{2}<a class="headerlink" href="#{1}" title="Permanent link">&para;</a></h{0}>'
                  ).format(level, anchor, as_html(text))
