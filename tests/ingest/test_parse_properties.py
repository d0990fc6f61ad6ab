"""Properties of the parse stage: what format_dump writes, parse_dump reads back, exactly."""

from __future__ import annotations

import codecs

from hypothesis import assume, given, settings, strategies as st

from generator.dev.dumpwriter import DumpPaper, format_dump
from generator.ingest.parse import EMPTY_MESSAGE, decode, is_boilerplate, parse_dump

from ..conftest import ABSTRACTS, ARXIV_IDS, DATES, DISTINCT, TITLES

SETTINGS = settings(max_examples=100, deadline=None)

PAPERS = st.builds(DumpPaper, TITLES, ABSTRACTS, ARXIV_IDS, st.one_of(st.none(), st.integers(0, 10**6)),
                   st.one_of(st.none(), DATES))


@SETTINGS
@given(papers=st.lists(PAPERS, min_size=1, max_size=8, unique_by=DISTINCT), layout=st.sampled_from(["spaced", "glued", "markdown"]),
       date_text=st.one_of(st.none(), DATES), line_breaks=st.booleans())
def test_what_is_written_is_read_back(papers, layout, date_text, line_breaks):
    text = format_dump(layout, papers, date_text, line_breaks=line_breaks)
    parsed = parse_dump("dumps/x.txt", text)
    assert parsed.diagnostics == ()
    assert parsed.layout == layout
    assert parsed.date_text == date_text
    # Nothing lost, nothing invented, order kept, text intact.
    assert [(e.title, e.abstract) for e in parsed.entries] == [(p.title, p.abstract) for p in papers]
    assert [e.position for e in parsed.entries] == list(range(len(papers)))
    lines = text.split("\n")
    for entry in parsed.entries:
        title_line = lines[entry.line - 1]
        assert title_line.startswith("### [") if layout == "markdown" else title_line.endswith(entry.title)
    if layout == "markdown":
        assert [(e.arxiv_id, e.upvotes, e.published) for e in parsed.entries] == [
            (p.arxiv_id, p.upvotes, p.published) for p in papers]
    else:
        assert all(e.arxiv_id is None and e.upvotes is None for e in parsed.entries)


@SETTINGS
@given(papers=st.lists(PAPERS, min_size=1, max_size=4, unique_by=DISTINCT), version=st.integers(1, 9))
def test_versioned_ids_lose_their_version(papers, version):
    versioned = [DumpPaper(p.title, p.abstract, f"{p.arxiv_id}v{version}" if p.arxiv_id else None)
                 for p in papers]
    parsed = parse_dump("dumps/x.md", format_dump("markdown", versioned))
    assert [e.arxiv_id for e in parsed.entries] == [p.arxiv_id for p in papers]


@SETTINGS
@given(papers=st.lists(st.tuples(TITLES, ABSTRACTS), min_size=2, max_size=6), data=st.data())
def test_a_missing_abstract_costs_only_its_own_paper(papers, data):
    lost = data.draw(st.integers(0, len(papers) - 1))
    text = format_dump("spaced", papers)
    lines = text.split("\n")
    # Found by position, not by text: two papers may share an abstract.
    content = [i for i, line in enumerate(lines) if line and not is_boilerplate(line)]
    abstract_line = content[2 * lost + 1]
    assert lines[abstract_line] == papers[lost][1]
    parsed = parse_dump("dumps/x.txt", "\n".join(lines[:abstract_line] + lines[abstract_line + 1:]))
    kept = [p for i, p in enumerate(papers) if i != lost]
    assert [(e.title, e.abstract) for e in parsed.entries] == kept
    assert [(d.level, d.line) for d in parsed.diagnostics] == [("warning", abstract_line - 1)]
    assert parsed.diagnostics[0].message == f"title with no abstract: '{papers[lost][0]}' (skipped)"


# ---------------------------------------------------------------- any input at all

HEADER_LINES = ["new", "Subscribe", "Get trending papers in your email inbox!", "byAK and the research community"]
LINE_POOL = st.one_of(
    TITLES, ABSTRACTS, st.sampled_from(HEADER_LINES), DATES, st.just("Feb 31"), st.just(""),
    st.sampled_from(["-----", "* * *", "·", "   "]),
)


@SETTINGS
@given(lines=st.lists(LINE_POOL, max_size=40))
def test_every_plain_line_is_used_or_reported(lines):
    text = "\n".join(lines)
    assume(not text.lstrip().startswith("\ufeff"))
    parsed = parse_dump("dumps/x.txt", text)
    assert parsed.layout in ("spaced", "glued", "empty", "unknown")
    if parsed.layout == "unknown":
        assert [d.level for d in parsed.diagnostics] == ["error"]
        return
    content = [line.strip() for line in lines if line.strip() and not is_boilerplate(line.strip())]
    reported = [d for d in parsed.diagnostics if d.line is not None]
    accepted_date = 1 if parsed.date_text else 0
    refused = [d for d in reported if d.level == "error"]
    # Every content line is a title or abstract of an entry (published or refused),
    # the dump's date, or a warning.
    pairs = len(parsed.entries) + len(refused)
    assert len(content) == 2 * pairs + accepted_date + len(reported) - len(refused)
    for entry in parsed.entries:
        assert lines[entry.line - 1].strip() == entry.title
    assert all(1 <= d.line <= len(lines) for d in reported)
    assert all(d.level == "warning" or d.message.startswith("refused ") for d in reported)


MARKDOWN_PIECES = st.sampled_from([
    "### [A Title](https://huggingface.co/papers/2309.17453)", "[57](https://huggingface.co/login)",
    "[An abstract that runs on.](https://huggingface.co/papers/2309.17453)", "[An abstract\\\\", "that closes.](u)",
    "[- 5 authors](https://huggingface.co/papers/2309.17453)", "[Meta AI](https://huggingface.co/facebook)",
    "·", "Sep 29, 2023", "May 29", "Feb 30", "# Daily Papers", "- Daily", "[Subscribe](https://x)", "", "###", "[",
    "](", "\\", "![](img)",
])


@SETTINGS
@given(pieces=st.lists(st.one_of(MARKDOWN_PIECES, TITLES, ABSTRACTS, st.text(max_size=30)), max_size=40))
def test_parse_dump_never_raises_and_points_into_the_file(pieces):
    text = "\n".join(pieces)
    parsed = parse_dump("dumps/x.md", text)
    assert parsed.layout in ("spaced", "glued", "markdown", "textcopy", "empty", "unknown")
    assert all(d.file == "dumps/x.md" for d in parsed.diagnostics)
    assert all(d.line is None or 1 <= d.line <= text.count("\n") + 1 for d in parsed.diagnostics)
    # Errors are refused entries (each with its line), or the one error of an unknown layout.
    errors = [d for d in parsed.diagnostics if d.level == "error"]
    assert parsed.layout == "unknown" or all(d.message.startswith("refused ") and d.line for d in errors)
    assert [e.position for e in parsed.entries] == list(range(len(parsed.entries)))
    assert all(e.title and e.abstract and e.title == e.title.strip() for e in parsed.entries)


# ---------------------------------------------------------------- decoding

# Any text without NUL (which marks a binary file) and without a leading
# U+FEFF (which no reader can tell from a byte-order mark).
TEXTS = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")).filter(
    lambda t: not t.startswith("\ufeff"))
ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-sig": lambda t: t.encode("utf-8-sig"),
    "utf-16": lambda t: t.encode("utf-16"),
    "utf-16-le": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
}


@SETTINGS
@given(text=TEXTS, encoding=st.sampled_from(sorted(ENCODINGS)))
def test_decode_round_trips(text, encoding):
    decoded, problems = decode("dumps/x.txt", ENCODINGS[encoding](text))
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    if expected.strip():
        assert (decoded, problems) == (expected, ())
    else:
        assert decoded == "" and [p.message for p in problems] == [EMPTY_MESSAGE]


@SETTINGS
@given(data=st.binary(max_size=200))
def test_decode_never_raises(data):
    decoded, problems = decode("dumps/x.txt", data)
    assert decoded is not None or [p.level for p in problems] == ["error"]
    assert all(p.file == "dumps/x.txt" for p in problems)
