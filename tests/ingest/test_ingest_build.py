"""Real builds fed bad and hostile dumps: what the curator and the reader get."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..conftest import DUMP_FIXTURES as FIXTURES, SEED_DUMPS, make_project, mkdocs_build, mkdocs_build_lenient, read_page

pytestmark = pytest.mark.build

GOOD = (SEED_DUMPS / "003_19a10e7b31dfc146.txt").read_bytes()


def project_with(tmp_path: Path, other: bytes, suffix: str = ".txt", date: str = "2025-03-18") -> Path:
    manifest = f"dumps:\n  001_good.txt: {{date: 2025-03-14}}\n  002_other{suffix}: {{date: {date}}}\n"
    return make_project(tmp_path / "project", {"001_good.txt": GOOD, f"002_other{suffix}": other}, manifest)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    project = project_with(tmp, (FIXTURES / "hostile.txt").read_bytes(), date="2025-03-14")
    result = mkdocs_build(project, tmp / "site")
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def test_hostile_text_shows_as_text_and_never_as_markup(hostile_site):
    pages = {p: p.read_text(encoding="utf-8") for p in hostile_site.rglob("*.html")}
    for path, html in pages.items():
        article = html.split("<article", 1)[-1].split("</article>", 1)[0]
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html and "onerror=alert" not in article.replace("onerror=alert(", "")
        assert 'href="javascript:' not in html, path
        assert "<b>bold</b>" not in article
    titles = {read_page(p).h1.replace("¶", "").strip() for p in (hostile_site / "papers").glob("*/index.html")}
    assert '<script>alert("title")</script> Attention Is Not Enough' in titles
    assert "#InsTag: Instruction Tagging for Analyzing Supervised Fine-tuning" in titles
    assert "1. Numbered Titles Are Not List Items" in titles


def test_hostile_titles_do_not_change_page_structure(hostile_site):
    for path in (hostile_site / "papers").glob("*/index.html"):
        article = path.read_text(encoding="utf-8").split("<article", 1)[-1].split("</article>", 1)[0]
        assert len(re.findall(r"<h1[ >]", article)) == 1, path


def test_a_binary_dump_stops_the_build_with_one_line_naming_it(tmp_path):
    project = project_with(tmp_path, (FIXTURES / "binary.txt").read_bytes())
    result = mkdocs_build_lenient(project, tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "dumps/002_other.txt" in result.stderr


def test_a_truncated_dump_warns_with_its_line_and_keeps_the_good_papers(tmp_path):
    project = project_with(tmp_path, (FIXTURES / "truncated.txt").read_bytes(), date="2025-03-12")
    strict = mkdocs_build(project, tmp_path / "strict")
    assert strict.returncode != 0 and re.search(r"dumps/002_other\.txt:\d+", strict.stderr)
    lenient = mkdocs_build_lenient(project, tmp_path / "site")
    assert lenient.returncode == 0, lenient.stderr
    assert re.search(r"WARNING.*dumps/002_other\.txt:\d+.*no abstract", lenient.stderr)
    assert len(list((tmp_path / "site" / "papers").glob("*/index.html"))) > 56


def test_the_markdown_listing_gives_direct_links(tmp_path):
    project = project_with(tmp_path, (FIXTURES / "markdown_listing.md").read_bytes(), suffix=".md")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = tmp_path / "site" / "papers" / "efficient-streaming-language-models-with-attention-sinks" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert 'href="https://arxiv.org/abs/2309.17453"' in html
    assert 'href="https://huggingface.co/papers/2309.17453"' in html
