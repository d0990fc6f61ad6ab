"""Write the shapes other tools make of the listing page (issue 15, a-e) for ``dumpwriter``.

Each writer is the inverse of what ``ingest.markdown`` or ``ingest.textcopy``
reads: front matter and capture headers, URL-per-line text, a fenced page with
reference links and hard-wrapped text, trending cards shown twice, and a
notebook export. Plain string building, deterministic and linear.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from .dumpwriter import DumpPaper

PAPERS_URL = "https://huggingface.co/papers"
WRAP_COLUMNS = 120
_ESCAPE_AT_START = re.compile(r"^(?:([#+=|~-])|(\d+)([.)]))")


def _escape_start(line: str) -> str:
    """A wrapped line must not start like a heading or a list item: escaped as a copy would."""
    return _ESCAPE_AT_START.sub(lambda m: "\\" + m[1] if m[1] else m[2] + "\\" + m[3], line)


def wrap(text: str, columns: int = WRAP_COLUMNS) -> list[str]:
    """``text`` hard-wrapped at spaces, never after a word whose end a reader would take for
    a line break (``\\``) or a wrapped hyphen (``Multi-``); joined with spaces it is ``text``."""
    lines: list[str] = []
    current: list[str] = []
    width = 0
    for word in text.split(" "):
        if current and width + 1 + len(word) > columns and not current[-1].endswith(("\\", "-")):
            lines.append(" ".join(current))
            current, width = [], 0
        width += len(word) + (1 if current else 0)
        current.append(word)
    lines.append(" ".join(current))
    return [lines[0]] + [_escape_start(line) for line in lines[1:]]


def _split_title(title: str) -> tuple[str, str] | None:
    """A long title in two, at the space nearest its middle, as a narrow heading wraps."""
    if len(title) < 40:
        return None
    spaces = [i for i, c in enumerate(title) if c == " " and not title[:i].endswith(("\\", "-"))
              and title[i + 1:i + 2].isalnum()]
    if not spaces:
        return None
    cut = min(spaces, key=lambda i: abs(i - len(title) // 2))
    return title[:cut], title[cut + 1:]


def _url(paper: DumpPaper) -> str:
    return f"{PAPERS_URL}/{paper.arxiv_id}" if paper.arxiv_id else f"{PAPERS_URL}?q={quote(paper.title, safe='')}"


def _login(paper: DumpPaper) -> str:
    target = quote(f"/papers/{paper.arxiv_id}" if paper.arxiv_id else "/papers", safe="")
    return f"https://huggingface.co/login?next={target}"


def front_matter(markdown: str) -> str:
    """Shape a: front matter and capture headers before a Markdown copy."""
    return ("---\nurl: https://huggingface.co/papers?q=sparse%20attention\nretrieved: 2026-10-02\n---\n\n"
            "# Web source\n\n- URL: https://huggingface.co/papers\n- Captured (UTC): 2026-10-02 09:14\n\n"
            "**URL:** https://huggingface.co/papers\n\n--------------------\n\n" + markdown)


def textcopy(papers: Sequence[DumpPaper], date_text: str | None) -> str:
    """Shape b: every URL on its own line; each paper needs its arXiv id (the line it hangs on)."""
    lines = ["Daily Papers - Hugging Face", PAPERS_URL, "Get trending papers in your email inbox!",
             "https://huggingface.co/login?next=%2Fpapers", "Subscribe", *([date_text] if date_text else [])]
    for paper in papers:
        if not paper.arxiv_id:
            raise ValueError(f"the text copy hangs every paper on its URL: {paper.title!r} has no arxiv_id")
        lines.append(_login(paper))
        if paper.upvotes is not None:
            lines.append(f" [-] {paper.upvotes}")
        lines += [paper.title, _url(paper), paper.abstract]
        if paper.author_count is not None:
            lines += ["[", f"{paper.author_count} authors]({_url(paper)})"]
        if paper.published:
            lines.append(paper.published)
    return "\n".join(lines) + "\n"


def fenced(papers: Sequence[DumpPaper], date_text: str | None, escape: Callable[[str], str]) -> str:
    """Shape c: the page in a text fence, reference links, hard-wrapped abstracts and titles."""
    blocks = ["```text\n# Daily Papers", "[Subscribe][1]", *([date_text] if date_text else [])]
    definitions = ["[1]: https://huggingface.co/login?next=%2Fpapers"]
    for number, paper in enumerate(papers, start=1):
        label, login = f"{2 * number}", f"{2 * number + 1}"
        definitions += [f"[{label}]: {_url(paper)}", f"[{login}]: {_login(paper)}"]
        if paper.upvotes is not None:
            blocks.append(f"[{paper.upvotes}][{login}]")
        title = escape(paper.title)
        halves = _split_title(title)
        heading = f"### [{halves[0]}\n### {_escape_start(halves[1])}][{label}]" if halves else f"### [{title}][{label}]"
        blocks.append(heading)
        blocks.append("[" + "\n".join(wrap(escape(paper.abstract))) + f"][{label}]")
        if paper.author_count is not None:
            blocks.append(f"[- {paper.author_count} authors][{label}]")
        if paper.published:
            blocks.append(f"\u00b7\n\n{paper.published}")
    return "\n\n".join(blocks) + "\n\n" + "\n".join(definitions) + "\n```\n"


def trending(papers: Sequence[DumpPaper], escape: Callable[[str], str]) -> str:
    """Shape d: every paper as a compact card, then every paper again in full."""
    blocks = ["# Trending Papers"]
    for full in (False, True):
        for paper in papers:
            if not paper.arxiv_id:
                raise ValueError(f"a trending card links its paper: {paper.title!r} has no arxiv_id")
            url = _url(paper)
            blocks.append(f"[[\u56fe\u7247\uff1a\u65e0\u66ff\u4ee3\u6587\u672c]]({url})" if full
                          else f"[![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/x.png)]({url})")
            title = escape(paper.title)
            halves = _split_title(title)
            blocks.append(f"### [{halves[0]}\n{_escape_start(halves[1])}]({url})" if halves else f"### [{title}]({url})")
            if full:
                blocks.append("\n".join(wrap(escape(paper.abstract))))
            blocks += ["Submitted by", "![](https://cdn-avatars.huggingface.co/v1/u.png)", "akhaliq"]
            if full and paper.published:
                blocks.append(f"\u00b7 Published on {paper.published}")
            if paper.upvotes is not None:
                blocks.append(f"[Upvote\n\n{paper.upvotes}]({_login(paper)})")
    return "\n\n".join(blocks) + "\n"


def notebook(papers: Sequence[DumpPaper], escape: Callable[[str], str]) -> str:
    """Shape e: ``### Title`` with no link, continuation lines indented by two spaces."""
    lines = ["# Hugging Face Papers (exported)", ""]
    for paper in papers:
        title = escape(paper.title)
        halves = _split_title(title)
        lines += [f"### {halves[0]}", f"  {halves[1]}"] if halves else [f"### {title}"]
        lines.append(escape(paper.abstract))
        if paper.author_count is not None:
            lines.append(f"- {paper.author_count} authors")
        lines.append("[LINK: GitHub 11.3k](https://github.com/example/code)")
        if paper.arxiv_id:
            lines.append(f"[LINK: arXiv](https://arxiv.org/abs/{paper.arxiv_id})")
        lines.append("")
    return "\n".join(lines)
