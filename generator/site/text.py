"""Text a page derives from a paper: teasers, topic reasons, A–Z groups, look-up links.

Pure helpers the templates call as filters; every one takes dump text as
written and returns plain text (escaped later) or checked ``Markup``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from urllib.parse import quote_plus

from markupsafe import Markup, escape

from ..ingest.normalize import clean_text
from ..models import Assignment, Paper

TEASER_LENGTH = 180
REASONS_SHOWN = 6
# A sentence ends at ".", "!" or "?" after a letter, digit or closing bracket, and
# the next starts with a capital; the space between is group 1. The pattern starts
# with the punctuation rather than a look-behind so that the regex engine can skip
# ahead to it: three times faster over an abstract.
_SENTENCE_BREAK = re.compile(r"[.!?](?<=[a-z0-9)\]][.!?])(\s+)(?=[A-Z])")


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Each sentence of ``text`` as (start, end), the spaces between left out."""
    begin = 0
    for found in _SENTENCE_BREAK.finditer(text):
        yield begin, found.start(1)
        begin = found.end(1)
    yield begin, len(text)


def split_sentences(text: str, maxsplit: int = 0) -> list[str]:
    """``text`` cut into its sentences (at most ``maxsplit`` cuts, if given: the last piece is the rest)."""
    pieces = []
    for cuts, (begin, end) in enumerate(sentence_spans(text)):
        if maxsplit and cuts == maxsplit:
            pieces.append(text[begin:])
            break
        pieces.append(text[begin:end])
    return pieces


@lru_cache(maxsize=1 << 16)
def first_sentence(text: str) -> str:
    """The abstract's first sentence, readable, for teasers and page descriptions."""
    return split_sentences(clean_text(text), maxsplit=1)[0]


# A sentence that says what the paper does: "we propose…", "this paper introduces…".
_CONTRIBUTION = re.compile(
    r"\b(?:we|this (?:paper|work|study|article)|our (?:work|paper|method|approach))\b[^.;]{0,60}?"
    r"\b(?:propose|introduce|present|show|develop|describe|demonstrate|design|build|release|find|report)",
    re.I)
CONTRIBUTION_SENTENCES = 6
"""How far into an abstract the teaser looks for that sentence."""


@lru_cache(maxsize=1 << 16)
def key_sentence(text: str) -> str:
    """The abstract's first "we propose / introduce / show…" sentence among its
    first few, else its first sentence: what the paper does, not the scene it sets."""
    sentences = split_sentences(clean_text(text), maxsplit=CONTRIBUTION_SENTENCES)
    return next((s for s in sentences[:CONTRIBUTION_SENTENCES] if _CONTRIBUTION.search(s)), sentences[0])


@lru_cache(maxsize=1 << 16)
def teaser(text: str, limit: int = TEASER_LENGTH) -> str:
    """One line: the key sentence (see ``key_sentence``), cut at a word boundary when long."""
    sentence = key_sentence(text)
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def by_letter(papers: Sequence[Paper]) -> list[tuple[str, list[Paper]]]:
    """Papers A–Z by readable title, under their first letter (``#`` for the rest)."""
    groups: dict[str, list[Paper]] = {}
    for paper in sorted(papers, key=lambda p: (clean_text(p.title).casefold(), p.slug)):
        first = clean_text(paper.title)[:1].upper()
        groups.setdefault(first if first.isalpha() and first.isascii() else "#", []).append(paper)
    return sorted(groups.items(), key=lambda item: (item[0] == "#", item[0]))


def added_by_curator(assignment: Assignment) -> bool:
    """Whether the curator gave the paper this topic (then that is the whole reason shown)."""
    return any(m.where == "curator" for m in assignment.reasons)


def reason_summary(assignment: Assignment) -> str:
    """Why a paper has a topic, compactly: ``title “a”; abstract “b”, “c” and 2 more``."""
    if added_by_curator(assignment):
        return "added by the curator"
    groups: dict[str, list[str]] = {}
    for match in assignment.reasons:
        phrases = groups.setdefault(match.where, [])
        if match.phrase not in phrases:
            phrases.append(match.phrase)
    parts, shown = [], 0
    for where in ("title", "abstract"):
        phrases = groups.get(where, [])
        take = phrases[: max(REASONS_SHOWN - shown, 0)]
        shown += len(take)
        if take:
            parts.append(f"{where} " + ", ".join(f"“{p}”" for p in take))
    hidden = sum(len(v) for v in groups.values()) - shown
    return "; ".join(parts) + (f" and {hidden} more" if hidden > 0 else "")


def _external(url: str) -> Markup:
    if not url.startswith("https://"):
        raise ValueError(f"refusing non-https link {url!r}")
    return escape(url)


def lookup_links(paper: Paper) -> list[tuple[str, Markup]]:
    """Where a reader can find the paper itself: by id when known, else by title."""
    title = quote_plus(clean_text(paper.title))
    links = []
    if paper.arxiv_id:
        arxiv_id = quote_plus(paper.arxiv_id)
        links += [
            ("arXiv", _external(f"https://arxiv.org/abs/{arxiv_id}")),
            ("PDF", _external(f"https://arxiv.org/pdf/{arxiv_id}")),
            ("Hugging Face", _external(f"https://huggingface.co/papers/{arxiv_id}")),
        ]
    links += [
        ("arXiv search", _external(f"https://arxiv.org/search/?searchtype=title&query={title}")),
        ("Semantic Scholar", _external(f"https://www.semanticscholar.org/search?q={title}")),
        ("Google Scholar", _external(f"https://scholar.google.com/scholar?q={title}")),
    ]
    return links
