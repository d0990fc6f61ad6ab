"""Golden snapshots: the pages generated for a small fixture project.

Run ``python3 dev.py test tests/site/test_golden.py --update-golden`` after an
intended change, and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.pipeline import Sources, gather_site
from generator.site.document import split_document
from generator.site.render import Renderer

from ..conftest import GOLDEN_FIXTURE as FIXTURE, site_markdown

EXPECTED = Path(__file__).resolve().parents[1] / "golden"
SITE_NAME = "Paper digest"
SITE_URL = "https://digest.example.org/papers-site/"


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    gathered = gather_site(Sources(FIXTURE), today=dt.date(2025, 6, 1))
    # The fixture repeats one paper with a longer abstract, on purpose.
    assert [(d.file, d.line) for d in gathered.diagnostics] == [("dumps/001_first.txt", 15)]
    # build(): the pages and the data files beside them (feeds, papers.json).
    return Renderer().build(gathered.site, site_name=SITE_NAME, site_url=SITE_URL)


def test_generated_pages_match_the_snapshots(rendered, request):
    if request.config.getoption("--update-golden"):
        if EXPECTED.exists():
            for old in EXPECTED.rglob("*"):
                if old.is_file():
                    old.unlink()
        for uri, content in rendered.items():
            target = EXPECTED / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        pytest.skip("golden snapshots rewritten; review the diff")
    expected = {p.relative_to(EXPECTED).as_posix(): p.read_text(encoding="utf-8")
                for p in EXPECTED.rglob("*") if p.is_file()}
    assert sorted(rendered) == sorted(expected), "pages added or removed"
    for uri, content in rendered.items():
        assert content == expected[uri], f"{uri} differs from tests/golden/{uri}"


def test_rendering_is_deterministic(rendered):
    again = Renderer().build(gather_site(Sources(FIXTURE), today=dt.date(2025, 6, 1)).site,
                             site_name=SITE_NAME, site_url=SITE_URL)
    assert again == rendered


def test_the_fixture_exercises_what_it_should(rendered):
    assert "papers/hidden-paper-about-nothing.md" not in rendered
    assert not any("Hidden Paper" in page for page in rendered.values())
    unsorted = rendered["topics/unsorted.md"]
    assert "Dataset Quantization" in unsorted and "Notes on Reading Group Practice" in unsorted
    home = rendered["index.md"]
    assert home.index(">Featured<") < home.index("A Sparse Mixture of Experts")
    moe = rendered["papers/a-sparse-mixture-of-experts-that-routes-by-cost.md"]
    assert "Worth reading for the <strong>router</strong> alone." in moe
    assert "Classics" in moe and "11 March 2025" in moe
    phone = rendered["papers/quantedge-4-bit-post-training-quantization-for-phones.md"]
    assert "on-device" not in phone and "On-Device" not in phone


def test_reasons_are_compact():
    from generator.models import Assignment, Match
    from generator.site.text import reason_summary

    many = Assignment("t", 9, tuple(Match(f"w{i}", "abstract") for i in range(8)) + (Match("w0", "title"),))
    assert reason_summary(many) == "title “w0”; abstract “w0”, “w1”, “w2”, “w3”, “w4” and 3 more"
    assert reason_summary(Assignment("t", 1, (Match("curator", "curator"),))) == "added by the curator"


def normalised(fragment: str) -> str:
    return re.sub(r">\s+<", "><", fragment.strip())


def test_exported_pages_read_the_same_as_markdown(rendered):
    """The site uses page bodies as HTML without Python-Markdown (see plugin.GeneratedPage);
    run through it, with the site's extensions, every body must come out unchanged."""
    md = site_markdown()
    for uri, document in rendered.items():
        if uri.endswith(".md"):
            body = split_document(document)[1]
            assert normalised(md.reset().convert(body)) == normalised(body), uri
