"""Facts about the built site that tests pick their examples from.

Read from the built HTML, not from the generator, so that the browser tests
check what was published rather than what the pipeline meant to publish.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[A-Za-z]{6,}")


@dataclass(frozen=True)
class PaperPage:
    path: str  # "/papers/<slug>/"
    title: str


def page_title(page_html: str) -> str:
    """The h1 of a built page as plain text, without Material's permalink sign."""
    match = _H1.search(page_html)
    if not match:
        return ""
    text = html.unescape(_TAG.sub("", match.group(1)))
    return text.replace("\N{PILCROW SIGN}", "").strip()


def paper_pages(site: Path) -> list[PaperPage]:
    """Every paper page of the site, in path order (letter pages of the A-Z index excluded)."""
    pages = []
    for index in sorted((site / "papers").glob("*/index.html")):
        page_html = index.read_text(encoding="utf-8")
        if 'id="appeared-in"' not in page_html:
            continue  # an index or letter page, not a paper
        pages.append(PaperPage(f"/papers/{index.parent.name}/", page_title(page_html)))
    return pages


def searchable_paper(site: Path) -> tuple[PaperPage, str]:
    """A paper and a word of its title found in no other paper's title: a search for it must find the paper."""
    papers = paper_pages(site)
    words_of = {paper: {w.lower() for w in _WORD.findall(paper.title)} for paper in papers}
    title_counts = Counter(word for words in words_of.values() for word in words)
    for paper in papers:
        unique = sorted(w for w in words_of[paper] if title_counts[w] == 1)
        if unique:
            return paper, max(unique, key=len)
    raise AssertionError("no paper title has a word of its own to search for")


def first_subpage(site: Path, section: str, exclude: tuple[str, ...] = ()) -> str:
    """The path of the first page under ``/<section>/`` (e.g. a topic or a digest), skipping ``exclude``."""
    for index in sorted((site / section).glob("*/index.html")):
        if index.parent.name not in exclude:
            return f"/{section}/{index.parent.name}/"
    raise AssertionError(f"the site has no page under /{section}/")


_ABSTRACT = re.compile(r"<p class=\"digest-abstract\">(.*?)</p>", re.S)
_DESCRIPTION = re.compile(r'<meta property="og:description" content="([^"]*)"')


def paper_text(site: Path, paper: PaperPage) -> tuple[str, str]:
    """A paper page's abstract as shown, and its description (what search results show)."""
    page_html = (site / paper.path.strip("/") / "index.html").read_text(encoding="utf-8")
    abstract = _ABSTRACT.search(page_html)
    description = _DESCRIPTION.search(page_html)
    assert abstract and description, f"{paper.path} has no abstract or description"
    return html.unescape(_TAG.sub("", abstract.group(1))), html.unescape(description.group(1))


def abstract_only_word(site: Path) -> tuple[PaperPage, str]:
    """A paper and a word found in its abstract and in no other paper's title or abstract."""
    papers = paper_pages(site)
    words_of = {}
    for paper in papers:
        abstract, _ = paper_text(site, paper)
        words_of[paper] = ({w.lower() for w in _WORD.findall(abstract)}, {w.lower() for w in _WORD.findall(paper.title)})
    counts = Counter(word for in_abstract, in_title in words_of.values() for word in in_abstract | in_title)
    for paper in papers:
        in_abstract, in_title = words_of[paper]
        unique = sorted(w for w in in_abstract - in_title if counts[w] == 1)
        if unique:
            return paper, max(unique, key=len)
    raise AssertionError("no abstract has a word of its own to search for")
