"""Markdown links and escapes as copies of the listing page write them.

Pure helpers shared by the Markdown-like parsers: where a link closes (inline
``](url)`` or by reference ``][32]``), which paper a URL names, and how a
title is read from text that a copy escaped and wrapped.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from .lines import unescape_markdown

_LINK_URL = re.compile(r"[^\s()]+")
_REFERENCE_CLOSE = re.compile(r"\]\[([^\]\n]*)\]$")
_LIST_MARKER = re.compile(r"[-*+][ \t]+")
_HEADING_MARK = re.compile(r"#{1,6}[ \t]+")
_ARXIV_ID = re.compile(
    r"(?:huggingface\.co/papers/|arxiv\.org/(?:abs|pdf|html)/)(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])", re.IGNORECASE)
_ANY_PAPER_ID = re.compile(r"(?:/papers/|arxiv\.org/(?:abs|pdf|html)/)(\d{4}\.\d{4,5})(?![\d.])", re.IGNORECASE)


def split_link(line: str) -> tuple[str, str] | None:
    """``[text](url)`` ending the line -> (raw text from ``[``, url); None if the line is no such link."""
    if not line.endswith(")"):
        return None
    close = line.rfind("](")
    if close < 0:
        return None
    url = line[close + 2:-1]
    if not _LINK_URL.fullmatch(url):
        return None
    backslashes = len(line[:close]) - len(line[:close].rstrip("\\"))
    if backslashes % 2:
        return None
    return line[:close], url


def closing_link(line: str, references: dict[str, str]) -> tuple[str, str | None] | None:
    """Where a link ending this line closes: (text before the close, its URL).

    Inline ``](url)`` or by reference ``][32]``; a reference whose definition
    the copy lost has the URL None. None when the line closes no link.
    """
    if (inline := split_link(line)) is not None:
        return inline
    if line.endswith("]") and (match := _REFERENCE_CLOSE.search(line)) is not None:
        text = line[:match.start()]
        label = match.group(1).strip().lower() or text.lstrip("[").strip().lower()
        return text, references.get(label)
    return None


def drop_line_break(line: str) -> str:
    """A copied hard line break is a backslash (or two) ending the line."""
    if line.endswith("\\\\"):
        return line[:-2].rstrip()
    if line.endswith("\\"):
        return line[:-1].rstrip()
    return line


def plain_markdown(line: str) -> str:
    """Heading marks, list markers and link wrapping peeled off, escapes undone."""
    if match := _HEADING_MARK.match(line):
        line = line[match.end():]
    elif match := _LIST_MARKER.match(line):
        line = line[match.end():]
    if line.startswith("[") and (link := split_link(line)):
        line = link[0][1:]
    return unescape_markdown(line).strip()


def tidy_title(raw: str) -> str:
    """A title as written: escapes undone, line breaks and runs of spaces one space."""
    return " ".join(unescape_markdown(raw).split())


def arxiv_id_from_url(url: str) -> str | None:
    """``https://huggingface.co/papers/2309.17453v2`` or ``arxiv.org/abs/…`` -> ``2309.17453``."""
    match = _ARXIV_ID.search(url)
    return match.group(1) if match else None


def any_paper_id(url: str) -> str | None:
    """The paper a link is about, also through a login redirect (``login?next=%2Fpapers%2F…``)."""
    match = _ANY_PAPER_ID.search(unquote(url))
    return match.group(1) if match else None
