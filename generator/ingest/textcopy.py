"""The text-converter shape: the listing page as lines of text, every URL on its own line.

An HTML-to-text tool writes each paper as its title, the paper's URL on a line
of its own, then the abstract; upvotes, author counts and dates sit around
them, with the login links the page's buttons point to::

    https://huggingface.co/login?next=%2Fpapers%2F2410.01234
     [-] 1
    Gradient Gardens: Growing Sparse Networks From Seeds
    https://huggingface.co/papers/2410.01234
    We study how ... (the abstract)
    [
    2 authors](https://huggingface.co/papers/2410.01234)
    Oct 7, 2024

The paper's URL line is the anchor: the text right above it is the title, the
text below it the abstract, up to the next line that is not text.
"""

from __future__ import annotations

import re

from ..models import ParsedDump
from . import furniture
from .dates import is_possible_date, published_date
from .lines import Candidate, Collector, is_boilerplate, line_kind, numbered_lines, quote
from .links import closing_link, drop_line_break, plain_markdown

PAPER_URL_LINE = re.compile(
    r"<?https?://(?:www\.)?(?:huggingface\.co/papers/|arxiv\.org/abs/)(\d{4}\.\d{4,5})(?:v\d+)?/?(?:[?#]\S*)?>?")
_UPVOTE_LINE = re.compile(r"(?:\[[-+^]?\][ \t]*)?(\d{1,9})")
_AUTHORS = re.compile(r"[-*+ \t]*(\d{1,5})[ \t]+authors?", re.IGNORECASE)
MAX_LINK_LINES = 20
SHORT_OPENER_MAX = 24
MENU_LINK_MAX_WORDS = 4
"""Longer link text than a menu's or a button's is reported, never dropped without a word."""


def is_text_copy(text: str) -> bool:
    """Whether some line is nothing but a paper's URL (checked only when no heading made it Markdown)."""
    if "://" not in text:
        return False
    return any(PAPER_URL_LINE.fullmatch(line.strip()) for line in text.split("\n") if "://" in line)


class TextCopyParser:
    def __init__(self, file: str):
        self.out = Collector(file)
        self.card: Candidate | None = None
        self.reading_abstract = False
        self.run: list[tuple[int, str]] = []
        """Consecutive text lines not yet placed: abstract lines, then title lines."""
        self.upvotes: int | None = None
        self.link: list[str] = []
        self.link_line = 0

    def run_over(self, text: str) -> ParsedDump:
        for number, raw in numbered_lines(text):
            self.feed(number, raw.strip())
        if self.link:
            self.out.report.warn(f"link starting here is never closed: {quote(self.link[0])}", self.link_line)
        if self.card is not None and self.reading_abstract:
            self.card.cut_off = True  # the copy ends inside this abstract
        self.end_text()
        self.close_card()
        self.leftover_run()
        return self.out.finish("textcopy", fold=True)

    def feed(self, number: int, line: str) -> None:
        if self.link:
            self.link.append(line)
            if (closed := closing_link(line, {})) is not None:
                self.on_link(" ".join(drop_line_break(p) for p in [*self.link[:-1], closed[0]])[1:], closed[1],
                             self.link_line)
                self.link = []
            elif len(self.link) >= MAX_LINK_LINES:
                self.out.report.warn(f"link starting here is never closed: {quote(self.link[0])}", self.link_line)
                self.link = []
            return
        if not line:
            return
        if (anchor := PAPER_URL_LINE.fullmatch(line)) is not None:
            self.on_anchor(anchor.group(1), number)
            return
        if (upvotes := _UPVOTE_LINE.fullmatch(line)) is not None:
            self.end_text()
            self.upvotes = int(upvotes.group(1))
            return
        if (line.startswith("[") and len(line) <= SHORT_OPENER_MAX and closing_link(line, {}) is None
                and not furniture.is_image_line(line) and not furniture.is_reference_definition(line)):
            # "[" or "[Upvote": a button's link whose text goes on below. A longer line
            # that starts with "[" is text ("[CLS] Token Tells Everything ...").
            self.end_text()
            self.link, self.link_line = [line], number
            return
        plain = plain_markdown(line)
        if (furniture.is_bare_url(line) or furniture.is_image_line(line) or furniture.is_tool_link(line)
                or furniture.is_separator(line) or furniture.is_fence_or_rule(line) or furniture.is_submitted_by(line)
                or furniture.is_reference_definition(line)
                or furniture.is_truncation_marker(line) or is_boilerplate(plain)
                or (self.out.markers == 0 and furniture.is_capture_header(line))):
            if furniture.is_truncation_marker(line) and self.card is not None and self.reading_abstract:
                self.card.cut_off = True
            self.out.markers += is_boilerplate(plain)
            self.end_text()
            return
        if line.startswith("[") and (closed := closing_link(line, {})) is not None:
            self.end_text()
            self.on_link(closed[0][1:], closed[1], number)
            return
        if (dated := published_date(plain)) is not None:
            self.end_text()
            self.on_date(*dated, number)
            return
        if (authors := _AUTHORS.fullmatch(plain)) is not None:
            self.end_text()
            if self.card is not None:
                self.card.author_count = int(authors.group(1))
            return
        self.run.append((number, line))  # a text copy escapes nothing: its text is as written

    def on_anchor(self, paper_id: str, number: int) -> None:
        self.out.markers += 1
        run, self.run = self.run, []
        if self.reading_abstract:
            # No line between the abstract and the next title: the last line is the title.
            self.card.abstract = " ".join(text for _, text in run[:-1]) or None
            run = run[-1:]
        self.reading_abstract = False
        self.close_card()
        if not run:
            self.out.report.warn(f"paper link with no title above it: {quote(paper_id)} (skipped)", number)
            self.card = None
            return
        self.report_extra(run[:-1] if not _wrapped(run) else [])
        title_lines = run[-2:] if _wrapped(run) else run[-1:]
        self.card = Candidate(" ".join(text for _, text in title_lines), title_lines[0][0],
                              arxiv_id=paper_id, upvotes=self.upvotes)
        self.upvotes = None
        self.reading_abstract = True

    def end_text(self) -> None:
        """A line that is not text ends the abstract being read (once there is one: a login
        link between the paper's URL and its abstract is only furniture)."""
        if self.reading_abstract and self.run:
            self.card.abstract = " ".join(text for _, text in self.run) or None
            self.run, self.reading_abstract = [], False

    def on_link(self, text: str, url: str | None, number: int) -> None:
        bare = " ".join(furniture.without_images(text).split())
        if url and "#community" in url:
            return  # a comment count
        if (authors := _AUTHORS.fullmatch(bare)) is not None:
            if self.card is not None:
                self.card.author_count = int(authors.group(1))
        elif (upvotes := _UPVOTE_LINE.fullmatch(bare)) is not None:
            self.upvotes = int(upvotes.group(1))
        elif len(bare.split()) > MENU_LINK_MAX_WORDS:
            self.out.report.warn(f"unrecognised link {quote(text)} (skipped)", number)

    def on_date(self, shown: str, date: tuple[int, int, int | None], number: int) -> None:
        if self.card is None:
            self.out.dump_date(shown, number, date)
        elif not is_possible_date(*date):
            self.out.report.warn(f"impossible date {quote(shown)} (ignored)", number)
        elif self.card.published is None:
            self.card.published = shown

    def close_card(self) -> None:
        card, self.card = self.card, None
        if card is not None:
            self.out.offer(card)

    def leftover_run(self) -> None:
        """Text after the last paper that no paper took."""
        self.report_extra(self.run)
        self.run = []

    def report_extra(self, lines: list[tuple[int, str]]) -> None:
        for number, text in lines:
            if not self.out.candidates and line_kind(text) != "abstract":
                continue  # the page's title and menu above the first paper
            self.out.report.warn(f"unrecognised line {quote(text)} (skipped)", number)


def _wrapped(run: list[tuple[int, str]]) -> bool:
    """The last two text lines above a paper's URL are one title wrapped in two.

    Only lines next to each other: the page's own title above the first paper,
    with links and buttons between, is not the first half of that paper's title.
    """
    if len(run) < 2 or run[-1][0] != run[-2][0] + 1:
        return False
    first, second = run[-2][1], run[-1][1]
    return line_kind(first) == "title" and (second[:1].islower() or first.endswith(("-", ":", ",")))

