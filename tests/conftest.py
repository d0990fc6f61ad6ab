"""Shared fixtures and helpers.

Tests that pin counts, coverage or particular papers build the frozen seed
project (``tests/fixtures/seed``: the five dumps the digest started with),
never the live ``dumps/``, so a curator adding a dump never breaks the suite.
Tests of the live ``dumps/`` derive every expectation from them, with the
``assert_*`` helpers below (the curator's-loop test uses the same helpers).
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import pytest
import yaml
from hypothesis import strategies as st

from generator.ingest.dates import is_possible_date, parse_date
from generator.ingest.junk import abstract_problem, title_problem
from generator.ingest.lines import is_boilerplate
from generator.ingest.normalize import title_key

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
DUMP_FIXTURES = FIXTURES / "dumps"
"""Small dumps, one per problem or shape."""
SEED = FIXTURES / "seed"
"""The frozen seed corpus: ``dumps/`` (with its manifest) and ``curation.yml``."""
SEED_DUMPS = SEED / "dumps"
GOLDEN_FIXTURE = FIXTURES / "golden"
"""The small project the golden snapshots are rendered from."""


GOOD_DUMP = (SEED_DUMPS / "003_19a10e7b31dfc146.txt").read_bytes()
"""A clean spaced dump of 56 papers."""
OTHER_DUMP = (SEED_DUMPS / "001_646199751813bdcb.txt").read_bytes()
TWO_DUMPS_MANIFEST = "dumps:\n  001.txt: {date: 2025-03-14}\n  002.txt: {date: 2025-03-11}\n"
"""A manifest for GOOD_DUMP as ``001.txt`` and OTHER_DUMP as ``002.txt``."""


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


_ENV = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}


def mkdocs_build(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` as the curator and CI run it, in a subprocess."""
    return subprocess.run(
        # Not --quiet: MkDocs then drops warnings before --strict can count them.
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)],
        capture_output=True, text=True, cwd=project, env=_ENV,
    )


def mkdocs_build_lenient(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """A plain ``mkdocs build`` (no --strict), as ``serve`` would behave."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)],
        capture_output=True, text=True, cwd=project, env=_ENV,
    )


def make_project(target: Path, dumps: dict[str, bytes], manifest: str = "", curation: str = "") -> Path:
    """A copy of this project's configuration with the given dumps instead of ours.

    Our curation.yml names our papers, so the copy gets ``curation`` instead."""
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


def make_seed_project(target: Path) -> Path:
    """This project's configuration with the frozen seed dumps and the seed's curation.yml."""
    dumps = {p.name: p.read_bytes() for p in sorted(SEED_DUMPS.glob("*.txt"))}
    return make_project(target, dumps, (SEED_DUMPS / "manifest.yml").read_text(encoding="utf-8"),
                        (SEED / "curation.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_project(tmp_path_factory) -> Path:
    """The seed project; tests must not change it (copy it first)."""
    return make_seed_project(tmp_path_factory.mktemp("seed") / "project")


@pytest.fixture(scope="session")
def built_site(seed_project, tmp_path_factory) -> Path:
    """A real strict build of the seed project, made once per run."""
    site = tmp_path_factory.mktemp("build") / "site"
    result = mkdocs_build(seed_project, site)
    assert result.returncode == 0, result.stderr
    return site


def configured(project: Path, search: bool = False):
    """The project's config and its digest plugin, as MkDocs sets them up. Without
    ``search``, on_files starts no Pagefind (these tests build no site to index)."""
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    plugin = config.plugins["digest"]
    plugin.config.search = plugin.config.search and search
    return config, plugin


@lru_cache(maxsize=1)
def shipped_taxonomy():
    """This project's topics.yml: the rules the site ships with."""
    from generator.config.topics import parse_taxonomy

    return parse_taxonomy("topics.yml", (ROOT / "topics.yml").read_text(encoding="utf-8"))


@lru_cache(maxsize=2)
def corpus_papers(folder: Path) -> tuple:
    """The dumps in ``folder``, parsed and merged as the build does: ``Paper``s."""
    from generator.ingest.merge import merge_entries
    from generator.pipeline import Sources, read_dump

    sources = Sources(folder.parent, dumps=folder.name)
    entries = [e for path in sources.dump_files() for e in read_dump(sources, path).entries]
    papers, _ = merge_entries(entries)
    return tuple(papers)


# --- reading a built site -----------------------------------------------------

class PageText(HTMLParser):
    """The article's visible text, its H1, and every link and resource URL."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.in_h1 = False
        self.h1 = ""
        self.text: list[str] = []
        self.links: list[str] = []
        self.article_links: list[str] = []
        self.resources: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "h1" and self.depth:
            self.in_h1 = True
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if self.depth:
                self.article_links.append(attrs["href"])
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.resources.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") not in ("canonical", "alternate"):
            self.resources.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.text.append(data)
            if self.in_h1:
                self.h1 += data


def read_page(path: Path) -> PageText:
    page = PageText()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def read_pages(site: Path) -> dict[Path, PageText]:
    return {p: read_page(p) for p in sorted(site.rglob("*.html"))}


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder``, by its path there: what two builds compare byte for byte."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def page_of(site: Path, html_file: Path, href: str) -> Path | None:
    """The file a relative link from ``html_file`` points at, or None if external."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "mailto:")):
        return None
    # Root-relative links (the 404 page uses them) start at the site root: site_url's path is "/".
    here = "" if parts.path.startswith("/") else html_file.parent.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(here, unquote(parts.path).lstrip("/")))
    path = site / target
    return path / "index.html" if path.is_dir() or href.endswith("/") else path


def paper_pages(site: Path, pages: dict[Path, PageText]) -> set[Path]:
    return {p for p in pages if p.parent.parent == site / "papers"}


def linked_papers(site: Path, pages: dict[Path, PageText], folder: str) -> set[Path]:
    """The paper pages that the article of any page under ``folder`` links to."""
    found = set()
    for path, page in pages.items():
        if path.is_relative_to(site / folder):
            for href in page.article_links:
                target = page_of(site, path, href)
                if target and target.parent.parent == site / "papers":
                    found.add(target)
    return found


# --- what any project's site must hold, derived from its own inputs ---------

def assert_one_page_per_paper(project: Path, site: Path, pages: dict[Path, PageText]) -> None:
    """Every published paper of the project's dumps has exactly one page, headed with its title."""
    from generator.ingest.normalize import clean_text, title_key
    from generator.pipeline import Sources, gather_site

    papers = gather_site(Sources(project)).site.papers
    assert len({p.slug for p in papers}) == len(papers)
    found = paper_pages(site, pages)
    assert {p.parent.name for p in found} == {p.slug for p in papers}
    shown = sorted(title_key(pages[p].h1.replace("¶", "")) for p in found)
    assert shown == sorted(title_key(clean_text(p.title)) for p in papers)


def assert_every_paper_is_listed(site: Path, pages: dict[Path, PageText]) -> None:
    """Every paper page is linked from a digest page and from a topic or the Unsorted page."""
    papers = paper_pages(site, pages)
    assert papers, "no paper pages"
    assert linked_papers(site, pages, "digests") == papers
    assert linked_papers(site, pages, "topics") == papers


def assert_no_broken_links(site: Path, pages: dict[Path, PageText]) -> None:
    broken = []
    for path, page in pages.items():
        for href in page.links:
            target = page_of(site, path, href)
            if target is not None and not target.exists():
                broken.append(f"{path.relative_to(site)} -> {href}")
    assert broken == []


def assert_site_content(project: Path, site: Path) -> None:
    """The content checks for a built site, every expectation derived from the project's inputs."""
    pages = read_pages(site)
    assert_one_page_per_paper(project, site, pages)
    assert_every_paper_is_listed(site, pages)
    assert_no_broken_links(site, pages)


# --- dumps written by tests ---------------------------------------------------

def abstract_text(seed: str) -> str:
    """An abstract long enough that the parser cannot take it for a title."""
    return (f"We study {seed} and show that it holds across every benchmark we tried. "
            "The method needs no extra data, trains in a day on one machine, and the code is released. ") * 3


def plain_listing(titles: list[str], date: str | None = "Mar 12") -> bytes:
    """A spaced plain-text dump of ``titles``, each with its own abstract."""
    head = ["Get trending papers in your email inbox!", "Subscribe"] + ([date] if date else [])
    blocks = head + [f"{title}\n\n{abstract_text(str(i))}" for i, title in enumerate(titles)]
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def markdown_listing(papers: list[tuple[str, str]]) -> bytes:
    """A Markdown dump of (title, arXiv id) pairs, as the listing page's copy has them."""
    blocks = ["# Daily Papers", "Get trending papers in your email inbox!", "Mar 18"]
    for i, (title, arxiv_id) in enumerate(papers):
        url = f"https://huggingface.co/papers/{arxiv_id}"
        blocks += [f"### [{title}]({url})", f"[{abstract_text(arxiv_id + str(i))}]({url})"]
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


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
