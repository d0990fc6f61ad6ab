"""The MkDocs plugin: generated files, no writes to docs/, and live reload inputs."""

from __future__ import annotations

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from ..conftest import GOOD_DUMP as GOOD, OTHER_DUMP as OTHER, TWO_DUMPS_MANIFEST as MANIFEST, configured, make_project


def paper_files(files: Files) -> list[File]:
    return [f for f in files if f.src_uri.startswith("papers/") and f.src_uri != "papers/index.md"]


def test_pages_are_generated_in_memory_and_papers_kept_out_of_the_nav(tmp_path):
    project = make_project(tmp_path / "p", {"001.txt": GOOD}, "dumps:\n  001.txt: {date: 2025-03-14}\n")
    before = sorted(p.relative_to(project) for p in (project / "docs").rglob("*"))
    config, plugin = configured(project)
    files = plugin.on_files(Files([]), config)
    papers = paper_files(files)
    assert len(papers) == 56
    assert all(f.generated_by and f.inclusion == InclusionLevel.NOT_IN_NAV for f in papers)
    assert files.get_file_from_path("index.md").inclusion == InclusionLevel.UNDEFINED
    assert sorted(p.relative_to(project) for p in (project / "docs").rglob("*")) == before


def test_each_build_reads_the_inputs_again(tmp_path):
    project = make_project(tmp_path / "p", {"001.txt": GOOD}, MANIFEST)
    config, plugin = configured(project)
    assert len(paper_files(plugin.on_files(Files([]), config))) == 56
    (project / "dumps" / "002.txt").write_bytes(OTHER)
    assert len(paper_files(plugin.on_files(Files([]), config))) > 56 + 90


def test_serve_watches_the_dumps_and_the_curator_files(tmp_path):
    project = make_project(tmp_path / "p", {"001.txt": GOOD}, MANIFEST)
    config, plugin = configured(project)

    class Server:
        watched: list[str] = []

        def watch(self, path):
            self.watched.append(path)

    server = plugin.on_serve(Server(), config, None)
    assert {str(project / "dumps"), str(project / "topics.yml"), str(project / "curation.yml")} <= set(server.watched)


def test_a_hand_written_page_may_not_hide_a_generated_one(tmp_path):
    project = make_project(tmp_path / "p", {"001.txt": GOOD}, MANIFEST)
    config, plugin = configured(project)
    mine = File.generated(config, "topics/index.md", content="# Mine")
    with pytest.raises(PluginError, match="docs/topics/index.md"):
        plugin.on_files(Files([mine]), config)


def test_bad_config_is_one_plugin_error_naming_the_file(tmp_path):
    project = make_project(tmp_path / "p", {"001.txt": GOOD}, "dumps: [")
    config, plugin = configured(project)
    with pytest.raises(PluginError, match=r"^dumps/manifest.yml:\d+: not valid YAML"):
        plugin.on_files(Files([]), config)


@pytest.mark.parametrize("option, value", [("templates", "my-templatse"), ("topics", "topic.yml"),
                                           ("dumps", "dump"), ("curation", "curation.yaml")])
def test_a_mistyped_path_in_mkdocs_yml_is_reported_by_mkdocs(tmp_path, option, value, caplog):
    from mkdocs.exceptions import Abort

    project = make_project(tmp_path / "p", {"001.txt": GOOD}, "dumps:\n  001.txt: {date: 2025-03-14}\n")
    options = {"dumps": "dumps", "topics": "topics.yml", "curation": "curation.yml", option: value}
    with pytest.raises(Abort):
        load_config(str(project / "mkdocs.yml"), plugins=[{"digest": options}])
    assert f"option '{option}'" in caplog.text and value in caplog.text


@pytest.mark.parametrize("site_url", ["http://127.0.0.1:8000/", "https://owner.github.io/repo", "https://x.org/a/b/",
                                      None])
@pytest.mark.parametrize("uri", ["index.md", "papers/a-paper.md", "topics/x/2.md", "digests/2025-03-11.md",
                                 "papers/index.md", "feed.xml"])
def test_generated_pages_have_the_canonical_url_mkdocs_gives(tmp_path, site_url, uri):
    from mkdocs.structure.pages import Page

    from generator.mkdocs.page import GeneratedPage

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n" + (f"site_url: {site_url}\n" if site_url else ""))
    config = load_config(str(tmp_path / "mkdocs.yml"))
    def file() -> File:
        return File(uri, src_dir=None, dest_dir=str(tmp_path / "site"), use_directory_urls=True)

    ours = GeneratedPage(file(), config)
    theirs = Page(None, file(), config)
    assert (ours.canonical_url, ours.abs_url) == (theirs.canonical_url, theirs.abs_url)
