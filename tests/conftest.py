"""Shared fixtures (a real strict build of the shipped site, made once per run) and the
hypothesis strategies of what a dump's titles, abstracts and dates can be."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import strategies as st

from generator.ingest.dates import is_possible_date, parse_date
from generator.ingest.junk import abstract_problem, title_problem
from generator.ingest.lines import is_boilerplate
from generator.ingest.normalize import title_key

ROOT = Path(__file__).resolve().parent.parent


def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions and options mkdocs.yml gives the site."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    extensions, configs = [], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        extensions.append(name)
        configs[name] = options
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite the golden Markdown snapshots instead of comparing"
    )


def mkdocs_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` as the curator and CI run it, in a subprocess."""
    return subprocess.run(
        # Not --quiet: MkDocs then drops warnings before --strict can count them.
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)],
        capture_output=True, text=True, cwd=project, env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("build") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    return site


def make_project(target: Path, dumps: dict[str, bytes], manifest: str = "", curation: str = "") -> Path:
    """A copy of this project's configuration with the given dumps instead of ours.

    Our curation.yml names our papers, so the copy gets ``curation`` instead."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "topics.yml"):
        shutil.copy(ROOT / name, target / name)
    (target / "curation.yml").write_text(curation, encoding="utf-8")
    for folder in ("docs", "overrides"):
        shutil.copytree(ROOT / folder, target / folder)
    (target / "dumps").mkdir()
    for name, data in dumps.items():
        (target / "dumps" / name).write_bytes(data)
    (target / "dumps" / "manifest.yml").write_text(manifest, encoding="utf-8")
    return target


def mkdocs_build_lenient(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """A plain ``mkdocs build`` (no --strict), as ``serve`` would behave."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)],
        capture_output=True, text=True, cwd=project, env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
    )


# ---------------------------------------------------------------- what a dump's papers can look like
# Hypothesis strategies shared by the property tests of every shape.

# Characters a pasted page can hold: any printable Unicode, but no control
# characters (tabs and line ends included), surrogates, private-use or
# unassigned code points, and no line/paragraph separators. Spaces come only
# from joining words, so every generated text is already trimmed.
PRINTABLE = st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"))
# Pieces a Markdown copy would have to escape, and HTML/maths a page can show.
MARKDOWN_LIKE = st.sampled_from([
    "*", "**", "_", "[", "]", "(", ")", "](", "[x](javascript:alert(1))", "#", "###", "\\", "\\\\", "`", "```",
    "|", "$x^2$", "<script>", "<img src=x onerror=alert(1)>", "&amp;", ">", "-", "+", "~", "!", "1.", "2)",
    "\\*", "\\[", "·", "—", "“quoted”", "μP", "日本語", "🙂",
])
ALNUM_WORD = st.text(st.characters(categories=("Lu", "Ll", "Lt", "Lo", "Nd")), min_size=1, max_size=10)
# A title starts the way titles do: a capital, a digit, or a letter of a script without case.
FIRST_WORD = st.builds(lambda head, tail: head + tail,
                       st.characters(categories=("Lu", "Lt", "Lo", "Nd")),
                       st.text(st.characters(categories=("Lu", "Ll", "Lo", "Nd")), max_size=9))
WORD = st.one_of(ALNUM_WORD, ALNUM_WORD, MARKDOWN_LIKE, st.text(PRINTABLE, min_size=1, max_size=6))
_SENTENCE_END = re.compile(r"\.[\"'\u201d\u2019)\]]*$")


def _no_full_stop_at_end(word: str) -> str:
    return _SENTENCE_END.sub("", word) or "x"


# A title is one phrase: it starts with a word of letters or digits (so it is
# not noise), no word ends in a full stop (so neither the title nor any
# sentence inside it ends in one), and it stays under 200 characters. Bare
# header lines ("Subscribe") and bare dates ("Mar 12") are the page's own lines,
# not titles. This is what a title looks like in the real dumps; "?" and "!"
# inside are allowed.
# Whatever ``junk.title_problem`` refuses (a URL, a fragment, Markdown debris) is
# tested in tests/ingest; here every title is one a page could carry.
TITLES = st.builds(
    lambda first, rest: " ".join([first, *rest]),
    FIRST_WORD, st.lists(WORD.map(_no_full_stop_at_end), min_size=1, max_size=14),
).filter(lambda t: len(t) <= 200 and not is_boilerplate(t) and parse_date(t) is None and title_problem(t) is None)

# An abstract is one to five sentences, each starting with a word of letters or
# digits and ending in a single full stop: it ends the way real abstracts do,
# so no abstract can be mistaken for a title.
SENTENCES = st.builds(
    lambda first, rest: (" ".join([first, *rest]).rstrip(".") or "x") + ".",
    ALNUM_WORD, st.lists(WORD, min_size=7, max_size=25),
)
ABSTRACTS = st.lists(SENTENCES, min_size=1, max_size=5).map(" ".join).filter(lambda a: abstract_problem(a) is None)

ARXIV_IDS = st.one_of(st.none(), st.from_regex(r"\A[0-9]{4}\.[0-9]{4,5}\Z"))
DATES = st.builds(lambda m, d, y: f"{m} {d}" + (f", {y}" if y else ""),
                  st.sampled_from(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]),
                  st.integers(1, 31), st.one_of(st.none(), st.integers(2000, 2030))
                  ).filter(lambda d: is_possible_date(*parse_date(d)))
# A page lists each paper once (or twice, identically, which the parser folds into
# one): distinct papers have distinct titles and arXiv ids.
DISTINCT = (lambda p: title_key(p.title), lambda p: p.arxiv_id or "t:" + title_key(p.title))
