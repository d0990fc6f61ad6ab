"""Hostile and broken input (issue 17): each numbered case fails safely.

Either a clear message naming the file (and line), with no traceback, or the
case handled correctly; never a crash, a hang, a leak or live markup.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from dataclasses import fields
from pathlib import Path

import pytest

from generator.cli import main
from generator.config.topics import parse_taxonomy
from generator.enrich.curate import parse_curation
from generator.ingest.digests import parse_manifest
from generator.ingest.limits import DEFAULT_LIMITS, Limits
from generator.ingest.merge import merge_entries
from generator.ingest.normalize import RESERVED_SLUGS, collection_slug, paper_slug, title_key
from generator.ingest.parse import parse_dump
from generator.mkdocs.options import LimitsConfig
from generator.models import Entry, InputError
from generator.pipeline import Sources, gather_site
from generator.site.markup import note_html
from generator.site.render import Renderer

from .conftest import ROOT, abstract_text, make_project, markdown_listing, mkdocs_build, plain_listing

TOPICS = (ROOT / "topics.yml").read_text(encoding="utf-8")


def gathered(project: Path, limits: Limits = DEFAULT_LIMITS):
    return gather_site(Sources(project, limits=limits))


def pages_of(project: Path) -> dict[str, str]:
    return Renderer().build(gathered(project).site, site_name="t", site_url="")


# 1/2. Slugs never collide with the site's own pages --------------------------

def _site_names(site_dir: Path, project: Path) -> set[str]:
    """Every name the built site uses for itself: first path segments, and the
    pages inside papers/, topics/ and digests/ that are not a paper, topic or digest."""
    site = gathered(project).site
    own = {p.slug for p in site.papers} | {t.slug for t in site.topics} | {d.id for d in site.digests}
    names = set()
    for path in site_dir.rglob("*"):
        parts = path.relative_to(site_dir).parts
        names.add(parts[0].split(".")[0])
        if parts[0] in ("papers", "topics", "digests") and len(parts) > 1:
            names.add(parts[1].split(".")[0])
    return {n for n in names if n and n not in own}


@pytest.mark.build
def test_reserved_slugs_cover_every_name_the_built_site_uses(built_site):
    names = _site_names(built_site, ROOT)
    assert {"index", "papers", "topics", "digests", "feed", "unsorted", "404"} <= names  # the walk works
    assert names <= RESERVED_SLUGS, f"not reserved: {sorted(names - RESERVED_SLUGS)}"


@pytest.mark.parametrize("name", sorted(RESERVED_SLUGS))
def test_a_title_or_collection_named_like_a_site_page_gets_a_stable_hashed_slug(name):
    for title in (name, name.upper(), f" {name.title()}! "):
        slug = paper_slug(title_key(title))
        assert slug != name and slug.startswith(f"{name}-") and len(slug) == len(name) + 7
        assert paper_slug.__wrapped__(title_key(title)) == slug  # stable: the key alone decides
        assert collection_slug(title) != name and collection_slug(title).startswith(f"{name}-")


@pytest.mark.parametrize("title", ["???", "", "   ", "🚀🔥", "2025-03-12"])
def test_an_undated_collection_never_gets_an_empty_or_date_shaped_slug(title):
    slug = collection_slug(title)
    assert slug and slug.strip("-") == slug and not slug.endswith("-")
    assert slug != "2025-03-12"
    assert collection_slug(title) == slug


def test_a_paper_titled_index_and_collections_titled_index_and_qqq_build(tmp_path, capsys):
    project = make_project(
        tmp_path / "p",
        # Shouted, as some listings write them: a bare "Index" is refused as a wrapped heading's last word.
        {"001.txt": plain_listing(["INDEX", "FEED!", "A Real Paper About Sparse Attention"]),
         "002.txt": plain_listing(["Another Paper on Quantization"], date=None),
         "003.txt": plain_listing(["A Third Paper on Pruning"], date=None),
         "004.txt": plain_listing(["A Fourth Paper on Distillation"], date=None)},
        "dumps:\n  001.txt: {date: 2025-03-12}\n  002.txt: {title: Index}\n  003.txt: {title: '???'}\n"
        "  004.txt: {title: '2025-03-12'}\n",
    )
    pages = pages_of(project)  # used to raise "generated pages clash"
    site = gathered(project).site
    slugs = {p.title: p.slug for p in site.papers}
    assert slugs["INDEX"].startswith("index-") and f"papers/{slugs['INDEX']}.md" in pages
    assert slugs["FEED!"].startswith("feed-")
    assert slugs["INDEX"] in pages["papers/index.md"]  # papers/index.md is still the list of papers
    ids = {d.title: d.id for d in site.digests}
    assert ids["Index"].startswith("index-") and ids["???"].startswith("collection-")
    assert ids["2025-03-12"] != "2025-03-12" and "2025-03-12" in ids.values()  # the dated digest keeps its id
    assert all(f"digests/{i}.md" in pages for i in ids.values())
    assert not any("digests/.md" in uri or "//" in uri for uri in pages)
    # check agrees with the build: no error, and it names the same papers.
    assert main(["--root", str(project), "check"]) == 0
    assert "6 papers from 6 entries; 4 digests" in capsys.readouterr().out


@pytest.mark.build
def test_the_strict_build_of_reserved_titles_keeps_the_sites_own_pages(tmp_path):
    project = make_project(tmp_path / "p", {"001.txt": plain_listing(["INDEX", "A Paper on Sparse Attention"]),
                                            "002.txt": plain_listing(["A Paper on Pruning"], date=None)},
                           "dumps:\n  001.txt: {date: 2025-03-12}\n  002.txt: {title: '???'}\n")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    papers_index = (tmp_path / "site" / "papers" / "index.html").read_text(encoding="utf-8")
    assert "A Paper on Sparse Attention" in papers_index  # still the list of papers
    assert list((tmp_path / "site" / "papers").glob("index-*/index.html"))
    assert not (tmp_path / "site" / "digests" / ".md").exists()
    assert list((tmp_path / "site" / "digests").glob("collection-*/index.html"))


# 3. YAML tags and merge keys ------------------------------------------------

HOSTILE_YAML = [
    ("date: !foo 2025-03-12", "tags"),
    ("date: !!python/name:os.system", "tags"),
    ("date: !!python/object/apply:os.system ['true']", "tags"),
    ("<<: {date: 2025-03-12}", "merge keys"),
]


@pytest.mark.parametrize("value, complaint", HOSTILE_YAML)
def test_yaml_tags_and_merge_keys_are_errors_with_file_and_line(value, complaint):
    readers = [
        ("dumps/manifest.yml", f"dumps:\n  a.txt:\n    {value}\n", lambda f, t: parse_manifest(f, t)),
        ("topics.yml", TOPICS.replace("  - slug: quantization\n", f"  - slug: quantization\n    {value}\n", 1),
         lambda f, t: parse_taxonomy(f, t)),
        ("curation.yml", f"some-paper:\n  {value}\n", lambda f, t: parse_curation(f, t, ["quantization"])),
    ]
    for file, text, read in readers:
        with pytest.raises(InputError) as caught:
            read(file, text)
        diagnostic = caught.value.diagnostic
        assert diagnostic.file == file and diagnostic.line, diagnostic
        assert complaint in diagnostic.message
        assert text.splitlines()[diagnostic.line - 1].strip().startswith(value.split(":")[0])


def test_a_yaml_tag_in_curation_is_one_line_from_check(tmp_path, capsys):
    project = make_project(tmp_path / "p", {"001.txt": plain_listing(["A Paper on Sparse Attention"])},
                           "dumps:\n  001.txt: {date: 2025-03-12}\n", curation="x:\n  note: !!python/name:os.system\n")
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: curation.yml:2:") and err.count("\n") == 1 and "Traceback" not in err


# 5. Invisible characters ----------------------------------------------------

FORMAT_CHARACTERS = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]


def test_identity_ignores_every_format_character():
    plain = title_key("Attention Sinks for Streaming")
    missed = [f"U+{ord(c):04X}" for c in FORMAT_CHARACTERS
              if title_key(f"Atten{c}tion Sinks for{c} Streaming") != plain]
    assert not missed


def _entry(title: str, line: int, arxiv_id: str | None = None, file: str = "dumps/a.md") -> Entry:
    return Entry(title=title, abstract=abstract_text(title), file=file, line=line, position=line, arxiv_id=arxiv_id)


def test_a_zero_width_joiner_does_not_make_a_second_paper():
    papers, _ = merge_entries([_entry("Attention Sinks", 1), _entry("Atten\u200dtion Sinks", 5)])
    assert len(papers) == 1 and len(papers[0].entries) == 2


def test_control_and_bidi_characters_are_removed_from_titles_with_a_warning(tmp_path, capsys):
    title = "Sparse \x1b[31mAttention\x07 for \u202eLong\u202c Contexts"
    project = make_project(tmp_path / "p", {"001.txt": plain_listing([title, "A Paper on Pruning"])},
                           "dumps:\n  001.txt: {date: 2025-03-12}\n")
    result = gathered(project)
    titles = [p.title for p in result.site.papers]
    assert "Sparse [31mAttention for Long Contexts" in titles
    (warning,) = [d for d in result.diagnostics if "control characters" in d.message]
    assert warning.file == "dumps/001.txt" and warning.line == 7
    assert "U+001B" in warning.message and "U+202E" in warning.message
    for uri, page in pages_of(project).items():
        assert not any(c in page for c in "\x1b\x07\u202e\u202c"), uri
    # 9. check prints no raw control characters, even when quoting a refused line.
    (project / "dumps" / "002.txt").write_bytes(
        b"Get trending papers in your email inbox!\n\nMar 12\n\nA \x1b]0;pwned\x07 title with no abstract\n")
    main(["--root", str(project), "check"])
    out = capsys.readouterr()
    printed = out.out + out.err
    assert "\\x1b" in printed
    assert not any(unicodedata.category(c) in ("Cc", "Cf") and c != "\n" for c in printed)


# 6. Titles without letters ---------------------------------------------------

def test_titles_without_letters_are_distinct_papers_by_arxiv_id(tmp_path):
    listing = [("???", "2403.00001"), ("🚀🔥", "2403.00002"), ("!!!", "2403.00003"), ("???", "2403.00004")]
    project = make_project(tmp_path / "p", {"001.md": markdown_listing(listing)},
                           "dumps:\n  001.md: {date: 2025-03-18}\n")
    papers = gathered(project).site.papers
    assert sorted(p.arxiv_id for p in papers) == [i for _, i in listing]
    slugs = [p.slug for p in papers]
    assert len(set(slugs)) == 4 and "untitled" not in slugs and all(slugs)
    # Stable: another dump arriving (with more of them) changes none of these slugs.
    (project / "dumps" / "002.md").write_bytes(markdown_listing([("???", "2403.00009"), ("###", "2403.00001")]))
    again = {p.arxiv_id: p.slug for p in gathered(project).site.papers}
    assert all(again[p.arxiv_id] == p.slug for p in papers)


def test_titles_without_letters_or_ids_are_known_by_their_symbols():
    papers, _ = merge_entries([_entry("???", 1), _entry("!!!", 5), _entry("? ? ?", 9)])
    assert len(papers) == 2 and len({p.slug for p in papers}) == 2
    assert all(p.slug.startswith("untitled-") for p in papers)


# 7. Limits --------------------------------------------------------------------

def test_the_limits_have_the_documented_defaults_and_are_plugin_options():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    config = LimitsConfig()
    config.load_dict({})
    assert not config.validate()[0]
    for field in fields(Limits):
        value = getattr(DEFAULT_LIMITS, field.name)
        assert config[field.name] == value
        assert f"`{field.name}`" in readme and f"{value:,}" in readme, field.name
    config = LimitsConfig()
    config.load_dict({"title_chars": "many"})
    assert config.validate()[0]  # typed: text is refused


def test_a_dump_over_the_byte_limit_is_refused_unread(tmp_path):
    project = make_project(tmp_path / "p", {"001.txt": plain_listing(["A Paper on Pruning"]),
                                            "002.txt": plain_listing(["A Paper on Sparse Attention"] * 1)},
                           "dumps:\n  001.txt: {date: 2025-03-12}\n  002.txt: {date: 2025-03-13}\n")
    size = (project / "dumps" / "002.txt").stat().st_size
    (project / "dumps" / "002.txt").write_bytes(plain_listing(["A Paper on Sparse Attention", "More"]))
    result = gathered(project, Limits(dump_bytes=size + 10))
    (error,) = result.errors
    assert error.file == "dumps/002.txt" and "dump_bytes" in error.message and "bytes" in error.message
    assert [p.title for p in result.site.papers] == ["A Paper on Pruning"]


def test_a_dump_with_too_many_papers_is_refused_whole(tmp_path):
    project = make_project(tmp_path / "p", {"001.txt": plain_listing([f"Paper number {n} on pruning" for n in range(4)])},
                           "dumps:\n  001.txt: {date: 2025-03-12}\n")
    result = gathered(project, Limits(papers_per_dump=3))
    (error,) = result.errors
    assert error.file == "dumps/001.txt" and "4 papers" in error.message and "papers_per_dump" in error.message
    assert not result.site.papers
    assert not gathered(project, Limits(papers_per_dump=4)).errors


def test_an_overlong_title_or_abstract_refuses_that_entry_with_its_line(tmp_path):
    long_title = "A Title " + "about sparse attention and " * 20 + "pruning"  # over the default of 500 characters
    project = make_project(tmp_path / "p", {"001.md": markdown_listing([("A Paper on Pruning", "2403.00001"),
                                                                        (long_title, "2403.00002")])},
                           "dumps:\n  001.md: {date: 2025-03-12}\n")
    result = gathered(project)
    assert [p.title for p in result.site.papers] == ["A Paper on Pruning"]
    (refused,) = [d for d in result.diagnostics if "title_chars" in d.message]
    assert refused.file == "dumps/001.md" and refused.line == 11 and "500" in refused.message
    result = gathered(project, Limits(title_chars=10_000, abstract_chars=100))
    assert not result.site.papers
    assert len([d for d in result.diagnostics if "abstract_chars" in d.message and d.line]) == 2


# 8. Only regular files in dumps/ ----------------------------------------------

def test_a_symlink_in_dumps_is_an_error_that_quotes_nothing_of_its_target(tmp_path, capsys):
    secret = tmp_path / "outside.txt"
    secret.write_text("Get trending papers in your email inbox!\n\nAWS_SECRET=hunter2-do-not-print\n\n"
                      + abstract_text("x") + "\n", encoding="utf-8")
    project = make_project(tmp_path / "p", {"001.txt": plain_listing(["A Paper on Pruning"])},
                           "dumps:\n  001.txt: {date: 2025-03-12}\n")
    (project / "dumps" / "002.txt").symlink_to(secret)
    with pytest.raises(InputError) as caught:
        gathered(project)
    assert caught.value.diagnostic.file == "dumps/002.txt" and "link" in caught.value.diagnostic.message
    assert main(["--root", str(project), "check"]) == 1
    out = capsys.readouterr()
    assert "dumps/002.txt" in out.err and "hunter2" not in out.out + out.err


@pytest.mark.parametrize("make", ["folder", "linked folder", "linked manifest"])
def test_folders_and_links_in_dumps_are_errors(tmp_path, make):
    project = make_project(tmp_path / "p", {"001.txt": plain_listing(["A Paper on Pruning"])},
                           "dumps:\n  001.txt: {date: 2025-03-12}\n")
    dumps = project / "dumps"
    if make == "folder":
        (dumps / "old.txt").mkdir()
    elif make == "linked folder":
        (dumps / "elsewhere").symlink_to(tmp_path)
    else:
        (tmp_path / "m.yml").write_text("dumps: {}\n", encoding="utf-8")
        (dumps / "manifest.yml").unlink()
        (dumps / "manifest.yml").symlink_to(tmp_path / "m.yml")
    with pytest.raises(InputError) as caught:
        gathered(project)
    assert caught.value.diagnostic.file.startswith("dumps/")


# 10. Curator regexes cannot run away ------------------------------------------

RUNAWAY = """
import time
from generator.config.topics import parse_taxonomy
taxonomy = parse_taxonomy("topics.yml", '''topics:
  - slug: x
    name: X
    description: X.
    include:
      - regex: '(a+)+b'
''')
word = taxonomy.rules[0].include[0].variants[0].words[0]
start = time.perf_counter()
assert not word.matches("a" * 40 + "c")
print(time.perf_counter() - start)
"""


def test_a_backtracking_pattern_runs_in_linear_time():
    # In a subprocess with a timeout: Python's re would take 2**40 steps.
    result = subprocess.run([sys.executable, "-c", RUNAWAY], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) < 5  # backtracking would take hours; RE2 takes microseconds


@pytest.mark.parametrize("pattern", [r"(a)\1", "(?=quant)quant.*", "(?<!x)int8"])
def test_patterns_re2_cannot_run_are_refused_with_file_and_line(pattern):
    text = f"topics:\n  - slug: x\n    name: X\n    description: X.\n    include:\n      - a phrase\n      - regex: '{pattern}'\n"
    with pytest.raises(InputError) as caught:
        parse_taxonomy("topics.yml", text)
    assert caught.value.diagnostic.line == 7 and "RE2" in caught.value.diagnostic.message


# 11. Curator notes are Markdown without live HTML ------------------------------

@pytest.mark.parametrize("note, forbidden", [
    ("<script>alert(1)</script> hello", "<script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ("[click](javascript:alert(1))", "javascript:"),
    ('<a href="data:text/html,hi">x</a>', "data:"),
    ('**bold**{: onclick="alert(1)" }', "onclick"),
    ("<iframe src=https://example.com></iframe>", "<iframe"),
    ("<style>body{display:none}</style>", "<style"),
])
def test_notes_have_no_live_html(note, forbidden):
    assert forbidden not in note_html(note).lower()


def test_notes_keep_markdown_and_http_and_mailto_links():
    html = note_html("A **bold** claim, see [the paper](https://arxiv.org/abs/1) or [mail](mailto:a@b.org).")
    assert "<strong>bold</strong>" in html
    assert 'href="https://arxiv.org/abs/1"' in html and 'href="mailto:a@b.org"' in html


# 12. The reserved topic slug names its line -------------------------------------

@pytest.mark.parametrize("slug", ["unsorted", "index"])
def test_a_reserved_topic_slug_names_its_line(tmp_path, slug):
    project = make_project(tmp_path / "p", {"001.txt": plain_listing(["A Paper on Pruning"])},
                           "dumps:\n  001.txt: {date: 2025-03-12}\n")
    text = TOPICS.replace("  - slug: pruning-sparsity\n", f"  - slug: {slug}\n", 1)
    (project / "topics.yml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        gathered(project)
    line = caught.value.diagnostic.line
    assert caught.value.diagnostic.file == "topics.yml" and "reserved" in caught.value.diagnostic.message
    assert line and text.splitlines()[line - 1].strip() == f"- slug: {slug}"


def test_parse_keeps_hostile_markup_as_text():
    """Sanity for the fuzz test's premise: markup in a dump is text, never tags."""
    text = plain_listing(['<script>alert("x")</script> Sparse Attention']).decode()
    (entry,) = parse_dump("a.txt", text).entries
    assert entry.title.startswith("<script>")


# 4. (in process; tests/browser/test_serve_resilience.py runs a real serve) ----

def test_while_serving_bad_input_builds_the_last_good_site_with_a_banner(tmp_path):
    from mkdocs.config import load_config
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import Files

    from generator.mkdocs.plugin import BANNER_CLASS

    project = make_project(tmp_path / "p", {"001.txt": plain_listing(["A Paper on Pruning"])},
                           "dumps:\n  001.txt: {date: 2025-03-12}\n")
    topics = project / "topics.yml"
    topics.write_text(TOPICS.replace("\n  - slug:", "\n\t- slug:", 1), encoding="utf-8")
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["digest"]
    plugin.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    plugin.config.search = False
    with pytest.raises(PluginError, match=r"^topics.yml:\d+"):
        plugin.on_files(Files([]), config)  # a build stops

    plugin.on_startup(command="serve", dirty=False)
    try:
        _serve_builds(plugin, config, project, topics)
    finally:  # MkDocs keeps one plugin object per process: leave it as a build finds it
        plugin.on_startup(command="build", dirty=False)


def _serve_builds(plugin, config, project: Path, topics: Path) -> None:
    from mkdocs.structure.files import Files

    from generator.mkdocs.plugin import BANNER_CLASS

    files = plugin.on_files(Files([]), config)  # no good site yet: an empty one, with the error
    assert files.get_file_from_path("papers/index.md") and not files.get_file_from_path("papers/a-paper-on-pruning.md")
    assert BANNER_CLASS in plugin.on_post_page("<html><body class=x><p>hi</body>", page=None, config=config)
    topics.write_text(TOPICS, encoding="utf-8")
    assert plugin.on_files(Files([]), config).get_file_from_path("papers/a-paper-on-pruning.md")
    assert BANNER_CLASS not in plugin.on_post_page("<body><p>hi</body>", page=None, config=config)
    (project / "dumps" / "001.txt").write_bytes(b"\x00binary")
    files = plugin.on_files(Files([]), config)  # the last good site, with the error
    assert files.get_file_from_path("papers/a-paper-on-pruning.md")
    banner = plugin.on_post_page("<body><p>hi</body>", page=None, config=config)
    assert BANNER_CLASS in banner and "dumps/001.txt" in banner


def test_a_manifest_title_with_a_bidi_override_is_an_error_naming_its_line():
    with pytest.raises(InputError) as caught:
        parse_manifest("dumps/manifest.yml", "dumps:\n  a.txt:\n    title: \"Fresh \\u202epapers\"\n")
    assert caught.value.diagnostic.line == 3 and "bidi" in caught.value.diagnostic.message
