"""Golden tests: one fixture per shape a copy of the listing page comes in (issue 15, a-f).

Each fixture under tests/fixtures/shapes/ has its expected parse beside it as
JSON: every entry with its metadata, and every diagnostic. Rewrite them with
``pytest tests/ingest/test_shapes.py --update-golden`` after an intended change
and review the diff like any other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from generator.ingest.parse import decode, parse_dump
from generator.pipeline import Sources, gather_site

from ..conftest import make_project

SHAPES = Path(__file__).resolve().parent.parent / "fixtures" / "shapes"
FIXTURES = sorted(p for p in SHAPES.iterdir() if p.suffix in (".md", ".txt"))
CLEAN = [p for p in FIXTURES if not p.name.startswith("c_")]
"""Every fixture but the fenced one, whose last paper the copy cut off."""


def parsed_as_json(path: Path) -> str:
    name = f"dumps/{path.name}"
    text, problems = decode(name, path.read_bytes())
    assert problems == () and text is not None
    parsed = parse_dump(name, text)
    record = {
        "layout": parsed.layout,
        "date": [parsed.date_text, parsed.date_line],
        "entries": [{k: v for k, v in dataclasses.asdict(e).items() if k != "file"} for e in parsed.entries],
        "diagnostics": [[d.level, d.line, d.message] for d in parsed.diagnostics],
    }
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_shape_parses_as_its_golden_file(fixture, request):
    golden = fixture.with_suffix(".json")
    got = parsed_as_json(fixture)
    if request.config.getoption("--update-golden"):
        golden.write_text(got, encoding="utf-8")
        pytest.skip(f"{golden.name} rewritten; review the diff")
    assert got == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("fixture", CLEAN, ids=[p.stem for p in CLEAN])
def test_a_clean_copy_has_nothing_to_say(fixture):
    record = json.loads(parsed_as_json(fixture))
    assert record["diagnostics"] == [] and record["entries"]
    for entry in record["entries"]:
        # Text as written: no Markdown, escapes or line breaks left in it.
        for text in (entry["title"], entry["abstract"]):
            assert "\\" not in text and "](" not in text and "\n" not in text and "  " not in text
        assert entry["arxiv_id"] or fixture.name.startswith("e_")


def test_the_cut_off_paper_is_refused_with_its_line():
    record = json.loads(parsed_as_json(SHAPES / "c_fenced_references.md"))
    assert [d[:2] for d in record["diagnostics"]] == [["error", 27]]
    assert "cut off" in record["diagnostics"][0][2]
    assert [e["title"] for e in record["entries"]] == [
        "Gradient Gardens: Growing Sparse Networks From Seeds",
        "A Survey of Retrieval-Augmented Generation for Multi-Agent Systems",
    ]


def test_trending_cards_give_each_paper_once_with_the_full_card():
    record = json.loads(parsed_as_json(SHAPES / "d_trending.md"))
    assert [(e["arxiv_id"], e["upvotes"], e["published"]) for e in record["entries"]] == [
        ("2610.04444", 117, "Oct 4, 2026"), ("2610.05555", 64, "Oct 2, 2026")]


MANIFEST = {"d_trending.md": "{title: Trending}", "e_notebook.md": "{title: Notebook}",
            "f_markdown_extras.md": "{date: 2025-06-02}"}


@pytest.mark.parametrize("fixture", CLEAN, ids=[p.stem for p in CLEAN])
def test_a_clean_copy_gathers_without_a_word(fixture, tmp_path):
    """Added as the README says, a clean copy reaches the site with no diagnostic at all."""
    manifest = f"dumps:\n  {fixture.name}: {MANIFEST[fixture.name]}\n" if fixture.name in MANIFEST else ""
    project = make_project(tmp_path / "project", {fixture.name: fixture.read_bytes()}, manifest)
    gathered = gather_site(Sources(project), today=dt.date(2026, 10, 8))
    assert gathered.diagnostics == ()
    record = json.loads(parsed_as_json(fixture))
    # Every detail the copy gave reaches the paper.
    assert {(p.title, p.arxiv_id, p.upvotes, p.published, p.author_count) for p in gathered.site.papers} == {
        (e["title"], e["arxiv_id"], e["upvotes"], e["published"], e["author_count"]) for e in record["entries"]}
    # A date line with a year dates its dump with no manifest entry.
    if fixture.name not in MANIFEST:
        [digest] = gathered.site.digests
        assert digest.id == dt.datetime.strptime(record["date"][0], "%b %d, %Y").date().isoformat()
