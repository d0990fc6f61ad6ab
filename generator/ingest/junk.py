"""What is never published: titles and abstracts that are not what they claim to be.

Every parser hands its entries to ``refusal`` before they leave the parse
stage. A junk page (a wrapped line as a title, a URL as a title, alt text as an
abstract, an abstract cut off by the copy) is worse than a refused entry, so
each refusal becomes an error naming the file and line; the reason says which
rule refused it. The rules look at one entry alone, so they are the same for
every shape and never depend on other papers.
"""

from __future__ import annotations

import re

ABSTRACT_MIN_WORDS = 8
ABSTRACT_MIN_CHARS = 40
"""Below both, an abstract is "a few words" (scripts without spaces count by characters)."""

_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S*", re.IGNORECASE)
_HAS_URL = re.compile(r"[a-z][a-z0-9+.-]*://\S", re.IGNORECASE)
_LINK = re.compile(r"!?\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])")
# "[CLS] Token Tells Everything" is a title; "[A Survey of" and "![" are link or image syntax.
_DEBRIS_START = re.compile(r"#{1,6}(?:\s|$)|!\[|\[[^\]]*(?:$|\]\(|\]\[)|>|[-*+]\s|\||\]|:")
_DEBRIS_INSIDE = re.compile(r"\]\((?:[a-z][a-z0-9+.-]*:|/|#)|\]\[[^\]\s]*\]", re.IGNORECASE)
_IMAGE = re.compile(r"\[?!\[|\[\[|\[?(?:image|图片|图像|img)\s*[:：]", re.IGNORECASE)
_TRUNCATED = re.compile(r"\[\s*(?:content\s+)?truncated\s*\]|\(\s*(?:content\s+)?truncated\s*\)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
# A heading wrapped mid-phrase ends on a word that cannot end a title.
_TRAILING_FUNCTION_WORD = re.compile(
    r"(?:^|\s)(?:a|an|the|of|and|or|for|to|with|in|on|by|via|from|at|as|into|towards?|than|that|is|are)$",
    re.IGNORECASE)
_TRAILING_JOINER = re.compile(r"[,;(\[{\-\u2013\u2014]$")
_TERMINAL = re.compile(r"[.!?)\]\"'\u201d\u2019\u3002\uff01\uff1f]$")


# Every entry of every dump passes these rules, so the costly searches are kept to
# where a match can be (a property test compares each with the plain search): a
# URL needs "://", the end patterns need only the last characters ("$" also
# matches before a final newline), and the truncation note needs its word.
_TAIL = 10
"""Characters at the end that hold any match of ``_TRAILING_FUNCTION_WORD`` or ``_TERMINAL``."""


def _has_url(text: str) -> bool:
    return "://" in text and _HAS_URL.search(text) is not None


def _ends_mid_phrase(title: str) -> bool:
    return _TRAILING_FUNCTION_WORD.search(title[-_TAIL:]) is not None or _TRAILING_JOINER.search(title) is not None


def _ends_a_sentence(text: str) -> bool:
    return _TERMINAL.search(text[-2:]) is not None


def _says_truncated(text: str) -> bool:
    return "truncated" in text.lower() and _TRUNCATED.search(text) is not None


def title_problem(title: str) -> str | None:
    """Why ``title`` cannot be a paper's title, or None if it can."""
    if _URL.fullmatch(title) or _has_url(title):
        return "the title is a URL"
    if _LINK.fullmatch(title):
        return "the title is a link"
    if _DEBRIS_START.match(title) or _DEBRIS_INSIDE.search(title):
        return "the title is Markdown debris"
    words = title.split()
    if len(words) == 1 and words[0].isalpha() and words[0][1:].islower():
        return "the title is one plain word, like the end of a wrapped heading"
    if words[0][:1].islower() and words[0].isalpha() and words[0].islower() and (
            len(words) == 1 or words[1][:1].islower()):
        return "the title is a sentence fragment (it starts in lower case, like a continued line)"
    if _ends_mid_phrase(title):
        return "the title is a sentence fragment (it ends mid-phrase, like a wrapped line)"
    return None


def abstract_problem(abstract: str, cut_off: bool = False) -> str | None:
    """Why ``abstract`` cannot be a paper's abstract, or None if it can.

    ``cut_off``: the copy itself ended inside this abstract (the parser knows).
    """
    if _says_truncated(abstract):
        return "the abstract is cut off ('[Content truncated]')"
    if _IMAGE.match(abstract):
        return "the abstract is an image"
    if _URL.fullmatch(abstract) or _LINK.fullmatch(abstract):
        return "the abstract is a link"
    words = len(abstract.split())
    if words < ABSTRACT_MIN_WORDS and len(abstract) < ABSTRACT_MIN_CHARS:
        return f"the abstract is only {words} word{'s' if words != 1 else ''}"
    if cut_off and not _ends_a_sentence(abstract) and not _has_url(abstract.rsplit(None, 1)[-1]):
        return "the abstract is cut off (the copy ends mid-sentence)"
    return None


def refusal(title: str, abstract: str, cut_off: bool = False) -> str | None:
    """The reason an entry is refused, or None if it is published."""
    return title_problem(title) or abstract_problem(abstract, cut_off)
