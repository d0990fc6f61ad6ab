"""The parse stage on the seed dumps (a frozen copy of the first real ones) and on fixtures of everything that goes wrong."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from generator.dev.dumpwriter import DumpPaper, format_dump
from generator.models import Diagnostic
from generator.ingest.parse import (
    EMPTY_MESSAGE,
    MAX_DIAGNOSTICS,
    MAX_LINK_LINES,
    decode,
    is_boilerplate,
    line_kind,
    parse_date,
    parse_dump,
)

from ..conftest import DUMP_FIXTURES as FIXTURES, ROOT, SEED_DUMPS

HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
ABSTRACT = ("We study a problem that matters. Our method improves on the baseline by a wide margin, "
            "and the code is released for everyone to use.")


def read_dump(path: Path):
    """decode + parse_dump as the pipeline runs them, with the file named as the curator knows it."""
    name = path.relative_to(ROOT).as_posix()
    text, problems = decode(name, path.read_bytes())
    return name, text, problems, (parse_dump(name, text) if text is not None else None)


def warnings_of(parsed) -> list[str]:
    return [d.message for d in parsed.diagnostics]


# ---------------------------------------------------------------- the seed dumps

REAL = [
    ("000_5f68fdda7be0eca0.txt", "spaced", 78, "Mar 12",
     "Lossless Compression with Probabilistic Circuits",
     "DATED: Guidelines for Creating Synthetic Datasets for Engineering Design Applications"),
    ("001_646199751813bdcb.txt", "spaced", 101, "Mar 11",
     "Class-dependent Compression of Deep Neural Networks",
     "Superpipeline: A Universal Approach for Reducing GPU Memory Usage in Large Models"),
    ("002_d2703b457b29683d.txt", "spaced", 146, "Mar 14",
     "Q-HyViT: Post-Training Quantization of Hybrid Vision Transformers with Bridge Block Reconstruction "
     "for IoT Systems",
     "Dynamics of Instruction Tuning: Each Ability of Large Language Models Has Its Own Growth Pace"),
    ("003_19a10e7b31dfc146.txt", "spaced", 56, "Mar 14",
     "Physics of Language Models: Part 3.3, Knowledge Capacity Scaling Laws",
     "FineTuneBench: How well do commercial fine-tuning APIs infuse knowledge into LLMs?"),
    ("004_03c71ae612c00271.txt", "glued", 93, None,
     "The N+ Implementation Details of RLHF with PPO: A Case Study on TL;DR Summarization",
     "Nemotron-4 340B Technical Report"),
]


@pytest.mark.parametrize("name, layout, count, date_text, first, last", REAL, ids=[r[0][:3] for r in REAL])
def test_real_dump(name, layout, count, date_text, first, last):
    _, text, problems, parsed = read_dump(SEED_DUMPS / name)
    assert problems == ()
    assert parsed.layout == layout
    assert len(parsed.entries) == count
    assert parsed.date_text == date_text
    assert parsed.entries[0].title == first
    assert parsed.entries[-1].title == last
    assert parsed.diagnostics == ()
    assert parsed.file == f"tests/fixtures/seed/dumps/{name}"


@pytest.mark.parametrize("name", [r[0] for r in REAL])
def test_real_dump_entries_point_at_their_lines(name):
    _, text, _, parsed = read_dump(SEED_DUMPS / name)
    lines = text.split("\n")
    assert [e.position for e in parsed.entries] == list(range(len(parsed.entries)))
    for entry in parsed.entries:
        assert lines[entry.line - 1].endswith(entry.title)  # 004's first title is glued to "Subscribe"
        assert entry.abstract in lines[entry.line:entry.line + 2]
        assert entry.title == entry.title.strip() and entry.abstract == entry.abstract.strip()
        assert entry.file == parsed.file


def test_every_real_title_and_abstract_is_recognised_on_its_own():
    count = 0
    for name, *_ in REAL:
        for entry in read_dump(SEED_DUMPS / name)[3].entries:
            assert line_kind(entry.title) == "title", entry.title
            assert line_kind(entry.abstract) == "abstract", entry.abstract[:80]
            count += 1
    assert count == 474


def test_real_date_line_is_recorded_with_its_line():
    parsed = read_dump(SEED_DUMPS / REAL[0][0])[3]
    assert (parsed.date_text, parsed.date_line) == ("Mar 12", 9)


# ---------------------------------------------------------------- decoding

SAMPLE_TITLES = ["Balanced Routing for Mixture-of-Experts Without Auxiliary Hyperparameters",
                 "Four-Bit Reasoning: Calibrating Quantized Language Models"]


@pytest.mark.parametrize("fixture", ["sample_utf8.txt", "sample_utf8_bom.txt", "sample_crlf.txt", "sample_cr.txt",
                                     "sample_utf16le.txt", "sample_utf16be.txt"])
def test_encodings_and_line_ends_read_alike(fixture):
    _, text, problems, parsed = read_dump(FIXTURES / fixture)
    assert problems == ()
    assert "\r" not in text and not text.startswith("\ufeff")
    assert [e.title for e in parsed.entries] == SAMPLE_TITLES
    assert [e.line for e in parsed.entries] == [11, 15]
    assert (parsed.layout, parsed.date_text, parsed.date_line, parsed.diagnostics) == ("spaced", "Mar 12", 9, ())
    assert parsed.entries[0].abstract.startswith("Mixture-of-experts layers route")
    assert parsed.entries[1].abstract.endswith("consumer GPUs.")


def test_utf16_fixtures_really_are_utf16():
    assert (FIXTURES / "sample_utf16le.txt").read_bytes().startswith(codecs.BOM_UTF16_LE)
    assert (FIXTURES / "sample_utf16be.txt").read_bytes().startswith(codecs.BOM_UTF16_BE)


@pytest.mark.parametrize("fixture", ["empty.txt", "whitespace_only.txt"])
def test_empty_dump_is_a_warning_not_an_error(fixture):
    name, text, problems, parsed = read_dump(FIXTURES / fixture)
    assert text == ""
    assert problems == (Diagnostic("warning", EMPTY_MESSAGE, name),)
    assert parsed.layout == "empty" and parsed.entries == () and parsed.diagnostics == ()


def test_binary_dump_is_an_error_naming_the_file():
    name, text, problems, _ = read_dump(FIXTURES / "binary.txt")
    assert text is None
    assert [(p.level, p.file) for p in problems] == [("error", name)]
    assert problems[0].message.startswith("not a text dump") and "NUL" in problems[0].message


def test_undecodable_dump_says_which_byte():
    name, text, problems, _ = read_dump(FIXTURES / "undecodable.txt")
    assert text is None
    assert problems == (Diagnostic(
        "error", "not a text dump: not valid UTF-8 or UTF-16 (byte 0xe9 at offset 11)", name),)


def test_utf16_without_bom_gets_a_hint():
    _, problems = decode("dumps/x.txt", "Mar 12\n\nA Title\n".encode("utf-16-le"))
    assert "UTF-16 without a byte-order mark" in problems[0].message


@pytest.mark.parametrize("data", [
    b"\xff\xfeA",                       # UTF-16 LE with an odd number of bytes
    b"\xfe\xff\xd8\x00",                # UTF-16 BE lone surrogate
    b"\xff\xfe\x00\x00A\x00\x00\x00",   # UTF-32 LE: decodes to NUL characters
    b"\xc3",                            # cut-off UTF-8 sequence
    b"ok\x00",
])
def test_decode_never_raises_on_broken_bytes(data):
    text, problems = decode("dumps/x.txt", data)
    assert text is None
    assert len(problems) == 1 and problems[0].level == "error" and problems[0].file == "dumps/x.txt"


# ---------------------------------------------------------------- structure problems

def test_unknown_layout_is_one_error_naming_the_file():
    for fixture in ("unknown_csv.txt", "unknown_prose.txt"):
        name, _, _, parsed = read_dump(FIXTURES / fixture)
        assert parsed.layout == "unknown" and parsed.entries == ()
        assert len(parsed.diagnostics) == 1
        error = parsed.diagnostics[0]
        assert (error.level, error.file) == ("error", name)
        assert "title lines each followed by an abstract line" in error.message and "### [Title](...)" in error.message


def test_truncated_dump_keeps_complete_papers_and_warns_about_the_last_title():
    name, _, _, parsed = read_dump(FIXTURES / "truncated.txt")
    assert [e.title for e in parsed.entries] == SAMPLE_TITLES
    assert parsed.diagnostics == (Diagnostic(
        "warning", "title with no abstract: 'Dense Tiles for Sparse Attention' (skipped)", name, 19),)


def test_two_titles_in_a_row():
    name, _, _, parsed = read_dump(FIXTURES / "two_titles.txt")
    assert [(e.title, e.line, e.position) for e in parsed.entries] == [
        (SAMPLE_TITLES[1], 13, 0), ("Dense Tiles for Sparse Attention", 17, 1)]
    assert parsed.diagnostics == (Diagnostic(
        "warning", f"title with no abstract: '{SAMPLE_TITLES[0]}' (skipped)", name, 11),)


def test_abstract_where_a_title_should_be():
    name, _, _, parsed = read_dump(FIXTURES / "abstract_for_title.txt")
    assert [e.title for e in parsed.entries] == [SAMPLE_TITLES[0], "Dense Tiles for Sparse Attention"]
    assert parsed.entries[1].abstract.startswith("Sparse attention patterns")
    [warning] = parsed.diagnostics
    assert (warning.level, warning.file, warning.line) == ("warning", name, 15)
    assert warning.message.startswith("abstract where a title should be: 'Quantizing weights")


def test_impossible_date_is_a_warning_and_not_the_dumps_date():
    name, _, _, parsed = read_dump(FIXTURES / "impossible_date.txt")
    assert parsed.date_text is None and len(parsed.entries) == 1
    assert parsed.diagnostics == (Diagnostic("warning", "impossible date 'Feb 31' (ignored)", name, 9),)


def test_second_date_line_is_reported():
    parsed = parse_dump("d.txt", HEADER + f"Mar 12\n\nA Title\n\n{ABSTRACT}\n\nMar 13\n\nB Title\n\n{ABSTRACT}\n")
    assert len(parsed.entries) == 2 and parsed.date_text == "Mar 12"
    [warning] = parsed.diagnostics
    assert warning.line == 15 and "second date line 'Mar 13'" in warning.message


def test_unrecognised_line_is_reported_not_dropped():
    parsed = parse_dump("d.txt", HEADER + f"Mar 12\n\n-----\n\nA Title\n\n{ABSTRACT}\n\n* * *\n")
    assert [e.title for e in parsed.entries] == ["A Title"]
    assert [(d.line, d.message) for d in parsed.diagnostics] == [
        (11, "unrecognised line '-----' (skipped)"), (17, "unrecognised line '* * *' (skipped)")]


def test_header_only_dump_is_empty_with_a_warning():
    parsed = parse_dump("d.txt", HEADER + "Mar 12\n")
    assert (parsed.layout, parsed.entries, parsed.date_text) == ("empty", (), "Mar 12")
    assert warnings_of(parsed) == [EMPTY_MESSAGE]


def test_papers_without_any_header_still_parse():
    parsed = parse_dump("d.txt", f"A Title\n\n{ABSTRACT}\n\nB Title\n\n{ABSTRACT}\n")
    assert [e.title for e in parsed.entries] == ["A Title", "B Title"] and parsed.diagnostics == ()


def test_floods_of_problems_are_capped_with_a_count():
    lone_titles = "".join(f"Title {i}\n" for i in range(MAX_DIAGNOSTICS + 50))
    parsed = parse_dump("d.txt", HEADER + "Mar 12\n\n" + lone_titles + f"A Title\n{ABSTRACT}\n")
    assert [e.title for e in parsed.entries] == ["A Title"]
    assert len(parsed.diagnostics) == MAX_DIAGNOSTICS + 1
    assert parsed.diagnostics[-1].message == "50 more problems like these not listed"


# ---------------------------------------------------------------- header lines and dates

@pytest.mark.parametrize("line", ["new", "Subscribe", "SUBSCRIBE", "Get trending papers in your email inbox!",
                                  "Get trending papers in your email inbox once a day!",
                                  "byAK and the research community", "by AK and the research community", "Daily"])
def test_boilerplate_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ["Subscribers Matter", "New Frontiers in Sparse Attention", "Daily Papers Digest 2"])
def test_titles_that_merely_start_like_boilerplate(line):
    assert not is_boilerplate(line)


def test_glued_subscribe_is_stripped_only_right_under_the_header():
    glued = parse_dump("d.txt", f"Get trending papers in your email inbox!\nSubscribeiVideoGPT: Tokens\n{ABSTRACT}\n")
    assert [(e.title, e.line) for e in glued.entries] == [("iVideoGPT: Tokens", 2)]
    assert glued.layout == "glued" and glued.diagnostics == ()
    # The button already had its own line: "SubscribeNet" is the paper's name.
    named = parse_dump("d.txt", f"Get trending papers in your email inbox!\nSubscribe\nSubscribeNet: A Title\n{ABSTRACT}\n")
    assert [e.title for e in named.entries] == ["SubscribeNet: A Title"]
    # Not under the header line: left alone.
    later = parse_dump("d.txt", HEADER + f"A Title\n\n{ABSTRACT}\n\nSubscribers Matter\n\n{ABSTRACT}\n")
    assert [e.title for e in later.entries] == ["A Title", "Subscribers Matter"]


@pytest.mark.parametrize("text, expected", [
    ("Mar 12", (3, 12, None)), ("Sep 29, 2023", (9, 29, 2023)), ("Sept 3", (9, 3, None)),
    ("September 3", (9, 3, None)), ("may 29", (5, 29, None)), ("Feb 31", (2, 31, None)),
    ("Mars 12", None), ("Mar 123", None), ("Mar", None), ("March madness 12", None), ("12 Mar", (3, 12, None)),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_feb_29_is_possible_without_a_year_and_in_leap_years_only():
    assert parse_dump("d.txt", HEADER + f"Feb 29\n\nA Title\n\n{ABSTRACT}\n").date_text == "Feb 29"
    parsed = parse_dump("d.md", MARKDOWN_HEAD + paper_block("Feb 29, 2023"))
    assert parsed.entries[0].published is None
    assert "impossible date 'Feb 29, 2023'" in warnings_of(parsed)[0]


# ---------------------------------------------------------------- Markdown shape

MARKDOWN_HEAD = "# Daily Papers\n\n[Subscribe](https://huggingface.co/login?next=%2Fpapers)\n\n"


def paper_block(published: str = "Sep 29, 2023", paper_id: str = "2309.17453") -> str:
    url = f"https://huggingface.co/papers/{paper_id}"
    return f"### [A Title]({url})\n\n[{ABSTRACT}]({url})\n\n·\n\n{published}\n\n"


def test_markdown_fixture():
    name, _, problems, parsed = read_dump(FIXTURES / "markdown_listing.md")
    assert problems == () and parsed.diagnostics == ()
    assert (parsed.layout, parsed.date_text, parsed.date_line) == ("markdown", "Mar 18", 15)
    got = [(e.arxiv_id, e.upvotes, e.published, e.line, e.position) for e in parsed.entries]
    assert got == [("2309.17453", 57, "Sep 29, 2023", 21, 0), ("2310.01889", 12, "May 29", 37, 1),
                   ("2308.07074", 3, "Aug 14, 2023", 49, 2), ("2401.00001", None, None, 59, 3)]
    first, second, third, fourth = parsed.entries
    assert first.title == "Efficient Streaming Language Models with Attention Sinks"
    # "\\" line ends inside the abstract join with one space.
    assert ("poses two major challenges. Firstly, during the decoding stage" in first.abstract
            and "extensive memory. Secondly, popular" in first.abstract and "\\" not in first.abstract)
    assert first.abstract.endswith("training sequence length.")
    # "\ " inside a title is a space.
    assert second.title == "Ring Attention with Blockwise Transformers for Near-Infinite Context"
    # Escapes the copy added are undone; an escaped backslash stays one backslash.
    assert third.title.startswith("#InsTag: Instruction Tagging")
    assert "We propose *InsTag*," in third.abstract and "_diversity_ and [complexity]" in third.abstract
    assert "a backslash \\ stays" in third.abstract
    assert fourth.title == "1. Scaling Laws Without an Upvote Count"


def test_markdown_heading_without_abstract_and_stray_lines():
    url = "https://huggingface.co/papers/2401.00002"
    text = (MARKDOWN_HEAD + f"### [Lonely Title]({url})\n\n[- 2 authors]({url})\n\n"
            + paper_block() + "Some stray text\n\n[7](https://huggingface.co/login)\n")
    parsed = parse_dump("d.md", text)
    assert [e.title for e in parsed.entries] == ["A Title"]
    assert [(d.line, d.message) for d in parsed.diagnostics] == [
        (5, "title with no abstract: 'Lonely Title' (skipped)"),
        (17, "unrecognised line 'Some stray text' (skipped)"),
        (19, "upvote count with no paper after it (skipped)"),
    ]


def test_markdown_abstract_where_a_title_should_be_and_unclosed_link():
    url = "https://huggingface.co/papers/2309.17453"
    text = (MARKDOWN_HEAD + f"[{ABSTRACT}]({url})\n\n" + paper_block()
            + f"[{ABSTRACT}]({url})\n\n[An abstract that never\ncloses its link\n\n" + paper_block(paper_id="2401.1"))
    parsed = parse_dump("d.md", text)
    assert len(parsed.entries) == 2
    assert [(d.line, d.message.split(":")[0]) for d in parsed.diagnostics] == [
        (5, "abstract where a title should be"), (15, "abstract where a title should be"),
        (17, "link starting here is never closed")]
    assert parsed.diagnostics[2].message.endswith("(lines 17-18 skipped)")


def test_a_link_that_never_closes_is_given_up_after_a_bounded_number_of_lines():
    extra = 5
    run_on = "".join(f"still not closed {i}\n" for i in range(MAX_LINK_LINES - 1 + extra))
    parsed = parse_dump("d.md", MARKDOWN_HEAD + "[An abstract that never closes\n" + run_on + "\n" + paper_block())
    assert [e.title for e in parsed.entries] == ["A Title"]
    first, *rest = parsed.diagnostics
    assert (first.line, first.message) == (
        5, f"link starting here is never closed: '[An abstract that never closes' "
           f"(lines 5-{4 + MAX_LINK_LINES} skipped)")
    # What follows the given-up lines is read again, line by line, and reported.
    assert [d.line for d in rest] == list(range(5 + MAX_LINK_LINES, 5 + MAX_LINK_LINES + extra))


def test_a_title_that_starts_like_a_heading_keeps_a_plain_dump_plain():
    parsed = parse_dump("d.txt", HEADER + f"### [Bracketed] Title (2024)\n\n{ABSTRACT}\n")
    # Plain it stays; but a heading mark in a title is Markdown debris, never a page.
    assert parsed.layout == "spaced" and parsed.entries == ()
    assert [(d.level, d.line) for d in parsed.diagnostics] == [("error", 9)]
    assert "Markdown debris" in parsed.diagnostics[0].message


def test_menu_links_above_the_papers_are_furniture_but_prose_is_reported():
    menu = "[Trending](https://huggingface.co/papers/trending)\n\n- Models\n- Datasets\n\n"
    parsed = parse_dump("d.md", MARKDOWN_HEAD + menu + paper_block())
    assert parsed.diagnostics == () and [e.title for e in parsed.entries] == ["A Title"]
    prose = "This page lists the papers of the day, chosen by the community.\n\n"
    parsed = parse_dump("d.md", MARKDOWN_HEAD + prose + paper_block())
    assert [(d.line, d.message[:20]) for d in parsed.diagnostics] == [(5, "unrecognised line 'T")]


def test_markdown_abstract_linking_another_paper_is_reported():
    text = MARKDOWN_HEAD + paper_block().replace(f"]({'https://huggingface.co/papers/2309.17453'})\n\n·",
                                                 "](https://huggingface.co/papers/2401.00009)\n\n·")
    parsed = parse_dump("d.md", text)
    assert len(parsed.entries) == 1
    assert warnings_of(parsed) == ["abstract links to paper 2401.00009 but its heading to 2309.17453"]


@pytest.mark.parametrize("url, expected", [
    ("https://huggingface.co/papers/2309.17453", "2309.17453"),
    ("https://huggingface.co/papers/2309.17453v2", "2309.17453"),
    ("https://huggingface.co/papers/2401.00001#community", "2401.00001"),
    ("https://huggingface.co/papers?q=attention", None),
    ("https://example.org/papers/2309.17453", None),
])
def test_markdown_arxiv_ids(url, expected):
    text = MARKDOWN_HEAD + f"### [A Title]({url})\n\n[{ABSTRACT}]({url})\n"
    assert parse_dump("d.md", text).entries[0].arxiv_id == expected


# ---------------------------------------------------------------- hostile text

HOSTILE = [
    ('<script>alert("title")</script> Attention Is Not Enough',
     'We show that <script>alert("abstract")</script> survives parsing as plain text.'),
    ("<img src=x onerror=alert(1)> Vision Transformers at Scale",
     "An image tag <img src=x onerror=alert(document.cookie)> sits inside this abstract."),
    ("#InsTag: Instruction Tagging for Analyzing Supervised Fine-tuning",
     "A title that starts with a hash must not become a heading."),
    ("1. Numbered Titles Are Not List Items", "Pipes | like | these, backticks `like these`, and maths $O(n^2)$."),
    ("Pipes | Tables | and `Backticks` with $\\alpha$-Entmax",
     "[x](javascript:alert(1)) is a link; *stars*, _underscores_, \\backslashes\\ and &lt;b&gt; stay."),
]


def test_hostile_fixture_comes_through_verbatim():
    _, text, _, parsed = read_dump(FIXTURES / "hostile.txt")
    assert parsed.diagnostics == () and len(parsed.entries) == 5
    lines = text.split("\n")
    for entry, (title, _) in zip(parsed.entries, HOSTILE):
        assert entry.title == title == lines[entry.line - 1]
        assert entry.abstract == lines[entry.line + 1]
    assert "[click me](javascript:alert(1))" in parsed.entries[1].abstract
    assert "$$\\sum_i x_i$$" in parsed.entries[3].abstract


@pytest.mark.parametrize("layout", ["spaced", "glued", "markdown"])
def test_hostile_text_survives_every_shape(layout):
    papers = [DumpPaper(title, abstract) for title, abstract in HOSTILE]
    parsed = parse_dump("d.txt", format_dump(layout, papers, line_breaks=True))
    assert parsed.diagnostics == ()
    assert [(e.title, e.abstract) for e in parsed.entries] == HOSTILE


# ---------------------------------------------------------------- the writer

def test_format_dump_rejects_what_no_dump_could_hold():
    with pytest.raises(ValueError):
        format_dump("csv", [("A Title", ABSTRACT)])
    with pytest.raises(ValueError):
        format_dump("spaced", [("A\nTitle", ABSTRACT)])
    with pytest.raises(ValueError):
        format_dump("spaced", [(" A Title", ABSTRACT)])
    with pytest.raises(ValueError):
        format_dump("markdown", [DumpPaper("A Title", ABSTRACT, published="yesterday")])


def test_format_dump_writes_the_markdown_extras_back():
    papers = [DumpPaper("A Title", ABSTRACT, "2309.17453", 0, "May 29"), DumpPaper("B Title", ABSTRACT)]
    parsed = parse_dump("d.md", format_dump("markdown", papers, "Mar 12"))
    assert [(e.arxiv_id, e.upvotes, e.published) for e in parsed.entries] == [
        ("2309.17453", 0, "May 29"), (None, None, None)]
    assert parsed.date_text == "Mar 12"
    again = parse_dump("d.md", format_dump("markdown", parsed.entries, "Mar 12"))
    assert again.entries == parsed.entries


def test_a_text_copy_whose_first_title_starts_in_lower_case_keeps_the_page_title_out():
    # The page's title sits above the first paper with links between; a title such as
    # "iTransformer" starts in lower case, which two adjacent lines would read as a wrap.
    papers = [DumpPaper("iTransformer: Inverted Transformers Are Effective for Time Series Forecasting",
                        "We invert the transformer so that each variate is a token, and it forecasts well.",
                        "2310.06625", None, None, None)]
    parsed = parse_dump("dumps/x.txt", format_dump("textcopy", papers))
    assert [e.title for e in parsed.entries] == [papers[0].title] and parsed.diagnostics == ()
