"""Every shape of issue 15 round-trips through ``dumpwriter``; furniture never makes or changes a paper."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from generator.dev.dumpwriter import CARRIES, PARSED_AS, DumpPaper, format_dump
from generator.ingest.parse import parse_dump

from ..conftest import ABSTRACTS, DATES, DISTINCT, TITLES

SETTINGS = settings(max_examples=60, deadline=None)
SHAPES = ["markdown", "front_matter", "textcopy", "fenced", "trending", "notebook"]
NEEDS_ID = {"textcopy", "trending"}
IDS = st.from_regex(r"\A[0-9]{4}\.[0-9]{4,5}\Z")
DETAILS = ("arxiv_id", "upvotes", "published", "author_count")


def papers(with_ids: bool):
    return st.lists(st.builds(
        DumpPaper, TITLES, ABSTRACTS, IDS if with_ids else st.one_of(st.none(), IDS),
        st.one_of(st.none(), st.integers(0, 10**5)), st.one_of(st.none(), DATES),
        st.one_of(st.none(), st.integers(1, 400))), min_size=1, max_size=5, unique_by=DISTINCT)


@st.composite
def dumps(draw):
    shape = draw(st.sampled_from(SHAPES))
    return shape, draw(papers(shape in NEEDS_ID)), draw(st.one_of(st.none(), DATES)), draw(st.booleans())


def expected(shape: str, paper: DumpPaper) -> tuple:
    return (paper.title, paper.abstract, *(getattr(paper, d) if d in CARRIES[shape] else None for d in DETAILS))


def got(entry) -> tuple:
    return (entry.title, entry.abstract, *(getattr(entry, d) for d in DETAILS))


@SETTINGS
@given(dumps())
def test_every_shape_reads_back_what_was_written(dump):
    shape, items, date_text, extras = dump
    parsed = parse_dump("dumps/x.md", format_dump(shape, items, date_text, extras=extras, line_breaks=extras))
    assert parsed.diagnostics == ()
    assert parsed.layout == PARSED_AS.get(shape, "markdown")
    assert parsed.date_text == (date_text if "date" in CARRIES[shape] else None)
    assert [got(e) for e in parsed.entries] == [expected(shape, p) for p in items]
    assert [e.position for e in parsed.entries] == list(range(len(items)))


FURNITURE = [
    "https://huggingface.co/login?next=%2Fpapers",
    "[Subscribe](https://huggingface.co/login?next=%2Fpapers)",
    "[Log In](https://huggingface.co/login)",
    "![](https://cdn-avatars.huggingface.co/v1/u.png)",
    "[![org](https://cdn-avatars.huggingface.co/v1/org.png)Example Lab](https://huggingface.co/x)",
    "[[\u56fe\u7247\uff1a\u65e0\u66ff\u4ee3\u6587\u672c]](https://huggingface.co/papers/2401.00001)",
    "[LINK: GitHub 11.3k](https://github.com/example/code)",
    "[6](https://huggingface.co/papers/2401.00001#community)",
    "Submitted by",
    "\u00b7",
    "--------------------",
    "[furniture-note]: https://example.org/note",
    "- Daily",
]


def _insertion_points(text: str, shape: str) -> list[tuple[str, str]]:
    """Where a furniture line can go: between blocks (Markdown shapes) or lines (the text copy),
    never inside a link that spans lines."""
    sep = "\n" if shape == "textcopy" else "\n\n"
    chunks = text.rstrip("\n").split(sep)
    points = []
    for i in range(len(chunks) + 1):
        before = chunks[i - 1] if i else ""
        if before.startswith("[") and "](" not in before and "][" not in before:
            continue  # "[", "[Upvote": the link goes on below
        points.append((sep.join(chunks[:i]), sep.join(chunks[i:])))
    return points


@SETTINGS
@given(dumps(), st.data())
def test_furniture_inserted_anywhere_never_creates_or_changes_a_paper(dump, data):
    shape, items, date_text, extras = dump
    text = format_dump(shape, items, date_text, extras=extras)
    before = parse_dump("dumps/x.md", text)
    points = _insertion_points(text, shape)
    sep = "\n" if shape == "textcopy" else "\n\n"
    for _ in range(data.draw(st.integers(1, 4))):
        head, tail = data.draw(st.sampled_from(points))
        line = data.draw(st.sampled_from(FURNITURE))
        text = (head + sep if head else "") + line + (sep + tail if tail else "") + "\n"
        points = _insertion_points(text, shape)
    after = parse_dump("dumps/x.md", text)
    assert [got(e) for e in after.entries] == [got(e) for e in before.entries]
    assert after.diagnostics == () and after.date_text == before.date_text
