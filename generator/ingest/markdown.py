"""The Markdown-like shapes: a copy of the listing page with one ``###`` heading per paper.

(About 430 lines, over the house's ~300: it is one state machine over the
lines, whose headings, links over several lines and plain lines hand state to
each other; split, each part would need the others' state.)

What tools make of the page differs, so one reader takes all of them:

* the scraper's copy: ``### [Title](https://huggingface.co/papers/<id>)``, the
  abstract wrapped in a link (``\\`` line breaks inside), author and
  organisation links, ``May 29[6](…#community)`` or ``Feb 27, 2025``;
* a page inside a text fence with reference links (``### [Title][32]``,
  ``[32]: https://…`` at the end, perhaps cut off), abstracts hard-wrapped
  inside ``[`` … ``][33]``, titles wrapped over two heading lines, and a
  ``[Content truncated]`` where the tool stopped;
* trending cards: each paper twice (compact and full), titles wrapping inside
  the link text, ``Submitted by``, ``· Published on Oct 4, 2026`` and
  ``[Upvote\\n\\n117](…)``;
* a notebook export: ``### Title`` with no link, continuation lines indented
  by two spaces, a one-paragraph summary, ``- 8 authors`` and ``[LINK: …]``.

Front matter, capture headers and other furniture (``furniture.py``) are
skipped without a word; a line that is none of these is reported. Everything
is one pass over the lines, so the time is linear in the size of the copy.
"""

from __future__ import annotations

import re

from ..models import ParsedDump
from . import furniture
from .dates import is_possible_date, published_date
from .lines import Candidate, Collector, is_boilerplate, line_kind, numbered_lines, quote, unescape_markdown
from .links import (
    any_paper_id, arxiv_id_from_url, closing_link, drop_line_break, plain_markdown, split_link, tidy_title,
)

MAX_LINK_LINES = 400
MAX_LINK_CHARS = 200_000
"""A Markdown link may wrap an abstract over many lines (real ones: a few dozen at
most); one still open past these limits is given up, so memory stays bounded."""
MAX_HEADING_LINES = 4
"""A heading wrapped inside its link text closes within this many lines."""

_HEADING = re.compile(r"(#{1,6})[ \t]+(.*)")
_AUTHORS = re.compile(r"(?:[-*+\\ \t]*)(\d{1,5})[ \t]+authors?", re.IGNORECASE)
_UPVOTES = re.compile(r"(?:upvote[ \t]*)?(\d{1,9})", re.IGNORECASE)
_TRAILING_COUNT_LINK = re.compile(r"[ \t]*\[\d{1,9}\]\([^)]*\)$")
_SHORT_OPENER_MAX = 24
PAPER_HEADING_LEVEL = 3


class _Card:
    """The paper being read: from its heading to the next heading."""

    def __init__(self, title: str, line: int, url: str | None, linked: bool):
        self.title, self.line, self.url, self.linked = title, line, url, linked
        self.arxiv_id = arxiv_id_from_url(url) if url else None
        self.upvotes: int | None = None
        self.published: str | None = None
        self.author_count: int | None = None
        self.abstract: list[str] = []
        self.paragraph_open = False
        """A plain-text abstract that the next line may continue (it is hard-wrapped)."""
        self.abstract_done = False
        self.title_open = True
        """Right under the heading: a line indented by two spaces continues the title."""
        self.bare = True
        """Nothing but the heading yet: a second heading line may continue the title."""
        self.cut_off = False
        self.refused = False

    def candidate(self) -> Candidate:
        text = " ".join(self.abstract).strip() or None
        return Candidate(self.title, self.line, text, self.arxiv_id, self.upvotes, self.published,
                         self.author_count, self.cut_off)


class MarkdownParser:
    def __init__(self, file: str):
        self.out = Collector(file)
        self.refs: dict[str, str] = {}
        self.card: _Card | None = None
        self.upvotes: tuple[int, int, str | None] | None = None
        """(count, line, paper id of its link) of an upvote link waiting for its heading."""
        self.block: list[str] = []
        """Lines of a ``[...`` link still waiting for its ``](url)``."""
        self.block_line = 0
        self.block_chars = 0
        self.block_blanks = 0
        self.block_ended = False
        self.heading: list[str] = []
        """Lines of a ``### [...`` heading whose link text wraps."""
        self.heading_line = 0
        self.started = False
        self.front_matter: int | None = None
        """Line where an open ``---`` front matter block began."""
        self.submitter = False

    # ------------------------------------------------------------ driving

    def run(self, text: str) -> ParsedDump:
        self.refs = furniture.reference_definitions(text)
        for number, raw in numbered_lines(text):
            self.feed(number, raw)
        if self.front_matter is not None:
            self.out.report.warn("front matter starting here never ends (lines skipped)", self.front_matter)
        if self.heading:
            self.give_up_heading()
        if self.block:
            self.end_block_at_the_end()
        if self.card is not None and self.card.paragraph_open:
            self.card.cut_off = True  # the copy ends inside this abstract
        self.close_card()
        if self.upvotes:
            self.out.report.warn("upvote count with no paper after it (skipped)", self.upvotes[1])
        return self.out.finish("markdown", fold=True)

    def feed(self, number: int, raw: str) -> None:
        line = raw.strip()
        if self.front_matter is not None:
            if line in ("---", "..."):
                self.front_matter = None
            elif number - self.front_matter > furniture.FRONT_MATTER_MAX_LINES or not furniture.is_front_matter_field(raw):
                self.out.report.warn(f"front matter starting here is not 'key: value' lines: {quote(line)}",
                                     self.front_matter)
                self.front_matter = None
            return
        if self.heading:
            self.continue_heading(line, number)
            return
        if self.block:
            if self.continue_block(line):
                return
        if not line:
            if (card := self.card) is not None:
                card.title_open = False
                if card.paragraph_open:
                    card.paragraph_open, card.abstract_done = False, True
            return
        if not self.started:
            self.started = True
            if line == "---":
                self.front_matter = number
                return
        card = self.card
        if card is not None and card.title_open and raw.startswith("  ") and _continues_title(line):
            card.title = _join_wrapped(card.title, tidy_title(line))
            return
        if card is not None:
            card.title_open = False
        if match := _HEADING.fullmatch(line):
            self.on_heading(len(match.group(1)), match.group(2).strip(), number)
            return
        if card is not None and card.refused:
            return  # the lines of a paper already refused add nothing
        self.on_line(line, number)
        if card is not None and line:
            card.bare = False

    # ------------------------------------------------------------ headings

    def on_heading(self, level: int, text: str, number: int) -> None:
        if text.startswith("["):
            link = closing_link(text, self.refs)
            if link is None:
                self.heading, self.heading_line = [text], number
                return
            card, title = self.card, tidy_title(link[0][1:])
            if (card is not None and card.bare and card.linked and not card.refused and link[1]
                    and link[1] == card.url and title != card.title):
                # One title wrapped over two heading lines, each linking the paper.
                card.title = _join_wrapped(card.title, title)
                return
            self.start_card(title, number, link[1], linked=True)
            return
        title = tidy_title(text)
        if level != PAPER_HEADING_LEVEL or is_boilerplate(title) or furniture.is_capture_header(f"# {text}"):
            self.out.markers += 1
            return  # the page's own section headings
        card = self.card
        if card is not None and card.bare and not card.linked and not card.refused:
            # A heading wrapped over two heading lines, nothing between them.
            card.title = _join_wrapped(card.title, title)
            card.title_open = True
            return
        self.start_card(title, number, None, linked=False)

    def continue_heading(self, line: str, number: int) -> None:
        if not line or len(self.heading) >= MAX_HEADING_LINES:
            self.give_up_heading()
            if line:
                self.feed(number, line)
            return
        if match := _HEADING.fullmatch(line):
            line = match.group(2).strip()
        self.heading.append(line)
        joined = ""
        for part in self.heading:
            joined = _join_wrapped(joined, drop_line_break(part)) if joined else drop_line_break(part)
        if (link := closing_link(joined, self.refs)) is not None:
            self.heading = []
            self.start_card(tidy_title(link[0][1:]), self.heading_line, link[1], linked=True)

    def give_up_heading(self) -> None:
        """A ``### [`` whose link never closes: its paper is refused rather than guessed."""
        lines, self.heading = self.heading, []
        self.start_card(tidy_title(" ".join(lines).lstrip("[")), self.heading_line, None, linked=True)
        self.card.refused = True
        self.out.report.error(f"refused {quote(self.card.title)}: the heading's link never closes "
                              f"(not published)", self.heading_line)

    def start_card(self, title: str, number: int, url: str | None, linked: bool) -> None:
        self.close_card()
        card = self.card = _Card(title, number, url, linked)
        if self.upvotes:
            count, line, paper = self.upvotes
            self.upvotes = None
            if paper is None or card.arxiv_id is None or paper == card.arxiv_id:
                card.upvotes = count
            else:
                self.out.report.warn("upvote count with no paper after it (skipped)", line)
        if not title:
            self.out.report.warn("heading with an empty title (skipped)", number)
            card.refused = True

    def close_card(self) -> None:
        card, self.card = self.card, None
        self.submitter = False
        if card is not None and not card.refused:
            self.out.offer(card.candidate())

    # ------------------------------------------------------------ other lines

    def on_line(self, line: str, number: int) -> None:
        card, report = self.card, self.out.report
        if card is not None and card.arxiv_id is None and "arxiv.org/" in line:
            card.arxiv_id = arxiv_id_from_url(line)  # a notebook's [LINK: arXiv](…) or a PDF link
        if furniture.is_image_line(line):
            return  # thumbnails, avatars (also the one between "Submitted by" and the name)
        if furniture.is_truncation_marker(line):
            if card is not None and not card.abstract_done:
                card.cut_off = True
            return
        if (furniture.is_fence_or_rule(line) or furniture.is_reference_definition(line)
                or furniture.is_separator(line) or furniture.is_image_line(line) or furniture.is_tool_link(line)):
            return
        if furniture.is_submitted_by(line):
            self.submitter = True
            return
        if line.startswith("["):
            if split_link(line) is None and closing_link(line, self.refs) is None:
                self.start_block(line, number)
            else:
                self.start_block(line, number)
                self.end_block()
            return
        if furniture.is_bare_url(line) and not (card is not None and card.paragraph_open):
            return  # login and share links a text copy spells out (inside an abstract, a URL is its text)
        plain = plain_markdown(_TRAILING_COUNT_LINK.sub("", line))
        if is_boilerplate(plain):
            self.out.markers += 1
            return
        if (dated := published_date(plain)) is not None:
            self.on_date(*dated, number)
            return
        if (authors := _AUTHORS.fullmatch(plain)) is not None:
            if card is not None:
                card.author_count = int(authors.group(1))
            return
        if card is None:
            if furniture.is_capture_header(line) or _is_menu_item(line):
                return
            report.warn(f"unrecognised line {quote(line)} (skipped)", number)
            return
        submitter, self.submitter = self.submitter, False
        if submitter and len(plain.split()) <= 3:
            return  # the submitter's name under "Submitted by" (furniture between them kept the flag)
        if not card.abstract_done:
            card.abstract.append(unescape_markdown(drop_line_break(line)).strip())
            card.paragraph_open = True
            return
        report.warn(f"unrecognised line {quote(line)} (skipped)", number)

    def on_date(self, shown: str, date: tuple[int, int, int | None], number: int) -> None:
        card, report = self.card, self.out.report
        if card is None:
            self.out.dump_date(shown, number, date)
        elif not is_possible_date(*date):
            report.warn(f"impossible date {quote(shown)} (ignored)", number)
        elif card.published is None:
            card.published = shown
        elif card.published != shown:
            report.warn(f"unexpected date {quote(shown)} (skipped)", number)
        if card is not None and card.paragraph_open:
            card.paragraph_open, card.abstract_done = False, True

    # ------------------------------------------------------------ links over several lines

    def start_block(self, line: str, number: int) -> None:
        self.block, self.block_line, self.block_chars, self.block_blanks = [line], number, len(line), 0
        self.block_ended = False
        card = self.card
        if card is not None and card.paragraph_open:
            card.paragraph_open, card.abstract_done = False, True

    def continue_block(self, line: str) -> bool:
        """Take ``line`` into the open link; False when the link was given up and the line is still to read."""
        if self.block_ended:
            # A blank line ended the link's text: only "[Content truncated]" can still explain it.
            if not line:
                return True
            self.block_ended = False
            if furniture.is_truncation_marker(line) and self.take_cut_off_abstract():
                return True
            self.give_up_block()
            return False
        if not line:
            if len(self.block) == 1 and self.block_blanks < 2 and _is_short_opener(self.block[0]):
                self.block_blanks += 1  # "[Upvote", blank, "117](…)"
            else:
                self.block_ended = True
            return True
        if _HEADING.fullmatch(line) or furniture.is_truncation_marker(line):
            if furniture.is_truncation_marker(line) and self.take_cut_off_abstract():
                return True
            self.give_up_block()
            return False
        self.block.append(line)
        self.block_chars += len(line)
        if closing_link(line, self.refs) is not None:
            self.end_block()
        elif len(self.block) >= MAX_LINK_LINES or self.block_chars >= MAX_LINK_CHARS:
            self.give_up_block()
        return True

    def end_block_at_the_end(self) -> None:
        if not self.take_cut_off_abstract():
            self.give_up_block()

    def take_cut_off_abstract(self) -> bool:
        """The copy stopped inside a paper's abstract link: it is that abstract, cut off."""
        card = self.card
        if card is None or card.abstract or card.abstract_done or len(self.block) < 2:
            return False
        text = " ".join(drop_line_break(part) for part in self.block)[1:]
        card.abstract = [unescape_markdown(text).strip()]
        card.abstract_done, card.cut_off = True, True
        self.block = []
        return True

    def give_up_block(self) -> None:
        """A ``[`` that no ``](url)`` closed: one warning covering every line it took."""
        last = self.block_line + len(self.block) - 1 + self.block_blanks
        span = f"line {last}" if last == self.block_line else f"lines {self.block_line}-{last}"
        self.out.report.warn(f"link starting here is never closed: {quote(self.block[0])} ({span} skipped)",
                             self.block_line)
        self.block = []

    def end_block(self) -> None:
        """A complete ``[...](url)``, perhaps over several lines: abstract, metadata or furniture."""
        lines, self.block = self.block, []
        number = self.block_line
        text_part, url = closing_link(lines[-1], self.refs)
        parts = [drop_line_break(part) for part in lines[:-1]] + [text_part]
        text = unescape_markdown(" ".join(parts)[1:]).strip()
        bare = " ".join(furniture.without_images(text).split())
        card, report = self.card, self.out.report
        if url and "#community" in url and _UPVOTES.fullmatch(bare):
            return  # a comment count
        if (authors := _AUTHORS.fullmatch(bare)) is not None:
            if card is not None:
                card.author_count = int(authors.group(1))
            return
        if (upvotes := _UPVOTES.fullmatch(bare)) is not None:
            self.on_upvotes(int(upvotes.group(1)), url, number)
            return
        if not bare or furniture.is_image_line(lines[0]) or furniture.is_tool_link(lines[0]):
            return  # an image link, an avatar list, a tool's button
        if is_boilerplate(bare) or furniture.is_account_link(bare, url):
            self.out.markers += is_boilerplate(bare)
            return
        if card is not None and not card.abstract and not card.abstract_done and _may_be_abstract(url, len(lines)):
            other = arxiv_id_from_url(url) if url else None
            if other and card.arxiv_id and other != card.arxiv_id:
                report.warn(f"abstract links to paper {other} but its heading to {card.arxiv_id}", number)
            card.abstract, card.abstract_done = [text], True
            return
        if len(lines) == 1 and line_kind(text) != "abstract" and (card is not None or len(bare.split()) <= 4):
            return  # an organisation, submitter or menu link
        if line_kind(text) == "abstract":
            report.warn(f"abstract where a title should be: {quote(text)} (skipped)", number)
        else:
            report.warn(f"unrecognised line {quote(lines[0])} (skipped)", number)

    def on_upvotes(self, count: int, url: str | None, number: int) -> None:
        paper = any_paper_id(url) if url else None
        card = self.card
        if card is not None and card.upvotes is None and paper is not None and paper == card.arxiv_id:
            card.upvotes = count  # a card that shows its upvotes under its heading
            return
        if self.upvotes:
            self.out.report.warn("upvote count with no paper after it (skipped)", self.upvotes[1])
        self.upvotes = (count, number, paper)


def _may_be_abstract(url: str | None, lines: int) -> bool:
    """An abstract's link goes to the paper (or to a reference the copy lost)."""
    return url is None or "/papers" in url or "arxiv.org/" in url or lines > 1


def _is_short_opener(line: str) -> bool:
    """``[Upvote``, ``[``, ``[- ![](avatar)\\``: a link whose text continues after a blank line."""
    text = furniture.without_images(line[1:]).replace("\\", " ").replace("-", " ")
    return len(text.strip()) <= _SHORT_OPENER_MAX and len(text.split()) <= 2


def _continues_title(line: str) -> bool:
    return not (line.startswith(("-", "*", "+", "[", "!", "#", ">")) or line_kind(line) == "abstract")


def _join_wrapped(first: str, second: str) -> str:
    """Two lines of one wrapped heading: ``Multi-`` + ``Agents`` is ``Multi-Agents``."""
    if first.endswith("-") and first[-2:-1].isalpha():
        return first + second
    return f"{first} {second}"


def _is_menu_item(line: str) -> bool:
    """A short list item or link above the papers: the site's menu, tabs and filters."""
    text = plain_markdown(line)
    return line.startswith(("-", "*", "+", "[")) and len(text.split()) <= 4 and not text.endswith(".")
