"""Write dumps in each shape the parser reads: the inverse of ``parse.parse_dump``.

Used by the property tests (``parse(format(x)) == x``) and by benchmarks that
make large synthetic corpora, so it is plain string building, deterministic,
and linear in the size of its input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

from ..ingest.dates import is_possible_date, parse_date
from . import shapewriter

LAYOUTS = ("spaced", "glued", "markdown", "front_matter", "textcopy", "fenced", "trending", "notebook")
PARSED_AS = {"spaced": "spaced", "glued": "glued", "textcopy": "textcopy"}
"""The layout ``parse_dump`` reports for each shape written; every other one is ``markdown``."""
_ALL = ("arxiv_id", "upvotes", "published", "author_count", "date")
CARRIES = {"spaced": ("date",), "glued": ("date",), "markdown": _ALL, "front_matter": _ALL, "textcopy": _ALL,
           "fenced": _ALL, "trending": ("arxiv_id", "upvotes", "published"), "notebook": ("arxiv_id", "author_count")}
"""What each shape writes besides titles and abstracts."""
PAPERS_URL = "https://huggingface.co/papers"


class PaperLike(Protocol):
    """Anything with a title and an abstract, such as ``models.Entry``."""

    title: str
    abstract: str


@dataclass(frozen=True)
class DumpPaper:
    """One paper to write; the optional fields appear only in the Markdown shape."""

    title: str
    abstract: str
    arxiv_id: str | None = None
    upvotes: int | None = None
    published: str | None = None
    """Date as the page prints it: ``Sep 29, 2023`` or ``May 29``."""
    author_count: int | None = None


_SPACED_HEADER = ("new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community")
_GLUED_HEADER = ("Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!")
_MARKDOWN_HEADER = (
    "new", "# Daily Papers", "Get trending papers in your email inbox!",
    "[Subscribe](https://huggingface.co/login?next=%2Fpapers)", "byAK and the research community",
    "- Daily\n- Weekly\n- Monthly",
)

# What an HTML-to-Markdown copy escapes (after Turndown): characters that could
# start emphasis, code, links or HTML anywhere, and block markers at the start.
_ESCAPE_ANYWHERE = re.compile(r"([\\`*_\[\]<>])")
_ESCAPE_AT_START = re.compile(r"^(?:([#+=|~-])|(\d+)([.)]))")
_SENTENCE_END = re.compile(r"(?<=[.!?]) (?=[^\W\d_])")


def markdown_escape(text: str) -> str:
    """Backslash-escape what the Markdown copy of the page escapes."""
    escaped = _ESCAPE_ANYWHERE.sub(r"\\\1", text)
    return _ESCAPE_AT_START.sub(lambda m: "\\" + m[1] if m[1] else m[2] + "\\" + m[3], escaped)


def _as_paper(item: tuple[str, str] | PaperLike) -> DumpPaper:
    if isinstance(item, DumpPaper):
        paper = item
    elif isinstance(item, tuple):
        paper = DumpPaper(*item)
    else:
        paper = DumpPaper(item.title, item.abstract, getattr(item, "arxiv_id", None),
                          getattr(item, "upvotes", None), getattr(item, "published", None),
                          getattr(item, "author_count", None))
    for name, text in (("title", paper.title), ("abstract", paper.abstract)):
        if not text or text != text.strip() or "\n" in text or "\r" in text:
            raise ValueError(f"a {name} must be one non-empty, trimmed line: {text!r}")
    date = parse_date(paper.published) if paper.published is not None else None
    if paper.published is not None and (date is None or not is_possible_date(*date)):
        raise ValueError(f"published must read like 'Sep 29, 2023' or 'May 29': {paper.published!r}")
    return paper


def _plain(layout: str, papers: Sequence[DumpPaper], date_text: str | None) -> str:
    pairs = [text for paper in papers for text in (paper.title, paper.abstract)]
    if layout == "spaced":
        return "\n\n".join([*_SPACED_HEADER, *([date_text] if date_text else []), *pairs]) + "\n"
    if date_text or not pairs:
        lines = [*_GLUED_HEADER, "Subscribe", *([date_text] if date_text else []), *pairs]
    else:
        # As copied: the Subscribe button runs straight into the first title.
        lines = [*_GLUED_HEADER, "Subscribe" + pairs[0], *pairs[1:]]
    return "\n".join(lines) + "\n"


def _paper_url(paper: DumpPaper) -> str:
    if paper.arxiv_id:
        return f"{PAPERS_URL}/{paper.arxiv_id}"
    return f"{PAPERS_URL}?q={quote(paper.title, safe='')}"


def _markdown(papers: Sequence[DumpPaper], date_text: str | None, line_breaks: bool, extras: bool = False) -> str:
    blocks = list(_MARKDOWN_HEADER)
    if date_text:
        blocks.append(date_text)
    for paper in papers:
        url = _paper_url(paper)
        if extras:
            blocks.append(f"[![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/x.png)]({url})")
        if paper.upvotes is not None:
            target = quote(f"/papers/{paper.arxiv_id}" if paper.arxiv_id else "/papers", safe="")
            blocks.append(f"[{paper.upvotes}](https://huggingface.co/login?next={target})")
        blocks.append(f"### [{markdown_escape(paper.title)}]({url})")
        abstract = markdown_escape(paper.abstract)
        if line_breaks:
            # The copy breaks long abstracts with a hard line break: "\\" at the line end.
            abstract = _SENTENCE_END.sub("\\\\\\\\\n", abstract)
        blocks.append(f"[{abstract}]({url})")
        if paper.author_count is not None:
            avatars = "".join(f"- ![](https://cdn-avatars.huggingface.co/v1/{i}.png)\\\\\n"
                              for i in range(min(paper.author_count, 3))) if extras else ""
            blocks.append(f"[{avatars}- {paper.author_count} authors]({url})")
        if extras:
            blocks.append("[![org](https://cdn-avatars.huggingface.co/v1/org.png)Example Lab](https://huggingface.co/x)")
        if paper.published:
            comments = f"[{len(paper.title) % 9}]({url}#community)" if extras else ""
            blocks.append(f"\u00b7\n\n{paper.published}{comments}")
    return "\n\n".join(blocks) + "\n"


def format_dump(
    layout: str,
    entries: Sequence[tuple[str, str] | PaperLike],
    date_text: str | None = None,
    *,
    line_breaks: bool = False,
    extras: bool = False,
) -> str:
    """A dump of ``entries`` in ``layout`` (``spaced``, ``glued`` or ``markdown``).

    ``entries`` are ``(title, abstract)`` pairs or objects with ``title`` and
    ``abstract`` (``DumpPaper``, ``models.Entry``); in the Markdown shape their
    ``arxiv_id``, ``upvotes`` and ``published`` are written too. ``line_breaks``
    makes the Markdown shape break abstracts after each sentence the way a
    copy does; ``extras`` adds its thumbnails, avatar lists, organisation lines
    and comment counts. The other shapes are issue 15's (``shapewriter``):
    ``front_matter``, ``textcopy``, ``fenced``, ``trending`` (each paper twice)
    and ``notebook``; ``textcopy`` and ``trending`` need every paper's arXiv id.
    ``PARSED_AS`` says which layout ``parse_dump`` reports for each; ``CARRIES``
    which details each writes (the trending and notebook pages print no dump
    date, so they ignore ``date_text``). Titles and
    abstracts must be single non-empty lines.

    Raises:
        ValueError: an unknown layout or an entry that no dump could hold.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    papers = [_as_paper(item) for item in entries]
    if layout == "markdown":
        return _markdown(papers, date_text, line_breaks, extras)
    if layout == "front_matter":
        return shapewriter.front_matter(_markdown(papers, date_text, line_breaks, extras))
    if layout == "textcopy":
        return shapewriter.textcopy(papers, date_text)
    if layout == "fenced":
        return shapewriter.fenced(papers, date_text, markdown_escape)
    if layout == "trending":
        return shapewriter.trending(papers, markdown_escape)
    if layout == "notebook":
        return shapewriter.notebook(papers, markdown_escape)
    return _plain(layout, papers, date_text)
