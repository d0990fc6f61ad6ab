import pytest

from generator.models import Site
from generator.site.document import split_document
from generator.site.render import Renderer
from generator.site.urls import page_href


@pytest.mark.parametrize(("page", "target", "directory", "flat"), [
    ("papers/x.md", "topics/y.md", "../../topics/y/", "../topics/y.html"),
    ("papers/x.md", "index.md", "../../", "../index.html"),
    ("papers/x.md", "papers/y.md", "../y/", "y.html"),
    ("index.md", "feed.xml", "feed.xml", "feed.xml"),
    ("index.md", "index.md", "./", "index.html"),
    ("topics/x/2.md", "topics/x.md", "../", "../x.html"),
    ("topics/x.md", "topics/x/feed.xml", "feed.xml", "x/feed.xml"),
    ("az/a.md", "papers/index.md", "../../papers/", "../papers/index.html"),
])
def test_links_are_the_urls_mkdocs_would_write(page, target, directory, flat):
    assert page_href(page, target) == directory
    assert page_href(page, target, directory_urls=False) == flat


def test_a_document_splits_into_front_matter_and_body():
    meta, body = split_document('---\ntitle: "A: b"\nhide: ["toc"]\npaper: true\n---\n\n<h1>A</h1>\n')
    assert meta == {"title": "A: b", "hide": ["toc"], "paper": True}
    assert body == "\n<h1>A</h1>\n"
    assert split_document("<p>no front matter</p>") == ({}, "<p>no front matter</p>")


def test_a_link_to_a_page_that_is_not_generated_is_a_bug_caught_at_render(tmp_path):
    (tmp_path / "home.html.j2").write_text('<a href="{{ href("papers/missing.md") }}">x</a>\n', encoding="utf-8")
    empty = Site(papers=(), digests=(), topics=(), assignments={}, curation={}, related={})
    with pytest.raises(ValueError, match="papers/missing.md"):
        Renderer([tmp_path]).render(empty)


def test_forked_workers_render_the_same_pages_in_the_same_order(monkeypatch):
    import datetime as dt

    from generator.runtime import parallel
    from generator.site import render
    from generator.pipeline import Sources, gather_site
    from ..conftest import GOLDEN_FIXTURE as FIXTURE

    site = gather_site(Sources(FIXTURE), today=dt.date(2025, 6, 1)).site
    alone = Renderer().render(site)
    monkeypatch.setattr(render, "PAGES_PER_WORKER_MIN", 1)
    pools = []

    class CountedPool(parallel.concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(parallel.concurrent.futures, "ProcessPoolExecutor", CountedPool)
    shared = Renderer().render(site, workers=3)
    assert pools == [(2,)], "two workers forked beside this process"
    assert list(shared) == list(alone) and shared == alone


def test_one_renderer_renders_each_site_afresh(tmp_path):
    """As `mkdocs serve` does after a dump changes: the second site's pages, not the first's."""
    import datetime as dt
    import shutil

    from generator.pipeline import Sources, gather_site
    from ..conftest import GOLDEN_FIXTURE as FIXTURE

    shutil.copytree(FIXTURE, tmp_path / "p")
    (tmp_path / "p" / "dumps" / "002_second.txt").unlink()
    (tmp_path / "p" / "dumps" / "manifest.yml").write_text("dumps:\n  001_first.txt: {date: 2025-03-11}\n")
    first = gather_site(Sources(FIXTURE), today=dt.date(2025, 6, 1)).site
    second = gather_site(Sources(tmp_path / "p"), today=dt.date(2025, 6, 1)).site
    assert len(second.papers) < len(first.papers)
    renderer = Renderer()
    renderer.render(first)
    assert renderer.render(second) == Renderer().render(second)


def test_a_build_is_the_pages_and_then_the_data_files():
    import datetime as dt

    from generator.pipeline import Sources, gather_site
    from generator.site.feeds import data_files
    from ..conftest import GOLDEN_FIXTURE as FIXTURE

    site = gather_site(Sources(FIXTURE), today=dt.date(2025, 6, 1)).site
    built = Renderer().build(site, site_name="Digest", site_url="https://example.org/d/")
    pages = Renderer().render(site)
    files = data_files(site, site_name="Digest", site_url="https://example.org/d/")
    assert list(built) == list(pages) + list(files) and built == pages | files


def test_the_topics_index_heads_each_area_once_and_shows_no_heading_without_areas():
    from generator.models import Topic

    topics = (Topic("a", "A", "Covers a.", "Systems"), Topic("b", "B", "Covers b.", "Systems"),
              Topic("c", "C", "Covers c.", "Language"))
    page = Renderer().render(Site(papers=(), digests=(), topics=topics, assignments={}, curation={}, related={}))
    index = page["topics/index.md"]
    assert index.count('<th colspan="4">Systems</th>') == 1 and index.count('<th colspan="4">Language</th>') == 1
    assert index.index("Systems") < index.index("Covers a.") < index.index("Language") < index.index("Covers c.")
    flat = tuple(Topic(t.slug, t.name, t.description) for t in topics)
    page = Renderer().render(Site(papers=(), digests=(), topics=flat, assignments={}, curation={}, related={}))
    assert "colspan" not in page["topics/index.md"]


def test_a_large_a_z_index_has_a_page_per_letter_and_long_letters_continue(seed_project, monkeypatch):
    import datetime as dt
    import re

    from generator.pipeline import Sources, gather_site
    from generator.site import pages as page_plan
    from generator.site.render import Renderer

    site = gather_site(Sources(seed_project), today=dt.date(2025, 6, 1)).site
    monkeypatch.setattr(page_plan, "AZ_SINGLE_PAGE_LIMIT", 10)
    monkeypatch.setattr(page_plan, "AZ_LETTER_PAGE_SIZE", 7)
    pages = Renderer().build(site, site_name="Digest", site_url="https://example.org/d/")
    letters = {uri: split_document(page)[1] for uri, page in pages.items() if uri.startswith("az/")}
    listed = [slug for body in letters.values() for slug in re.findall(r'<li data-paper="([^"]+)"', body)]
    # Every paper on exactly one letter page, none on more than seven.
    assert sorted(listed) == sorted(paper.slug for paper in site.papers)
    assert all(len(re.findall(r"<li data-paper=", body)) <= 7 for body in letters.values())
    continued = sorted(uri for uri in letters if uri.count("/") == 2)
    assert continued, "no letter of the seed has more than seven papers"
    first = continued[0].rsplit("/", 1)[0] + ".md"  # az/c/2.md continues az/c.md
    assert first in letters and 'aria-current="page">1<' in letters[first]
    assert 'aria-current="page">2<' in letters[continued[0]]
    assert "(page 2)" in split_document(pages[continued[0]])[0]["title"]
