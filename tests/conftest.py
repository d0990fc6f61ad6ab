"""Shared fixtures: a real strict build of the shipped site, made once per run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml

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
