"""The curator's command line: check, export, verify (bench has its own test)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from generator.cli import main

from .conftest import DUMP_FIXTURES as FIXTURES, GOOD_DUMP, ROOT, make_project


def test_check_reports_every_dump_and_the_topics(seed_project, capsys):
    assert main(["--root", str(seed_project), "check"]) == 0
    out = capsys.readouterr().out
    assert "dumps/000_5f68fdda7be0eca0.txt: spaced, 2025-03-12, 78 papers" in out
    assert "dumps/004_03c71ae612c00271.txt: glued, undated" in out
    assert "410 papers from 474 entries" in out
    assert re.search(r"^\s+\d+\s+quantization$", out, re.M)
    assert "0 error(s)" in out


def test_check_of_one_bad_dump_names_it_and_fails(tmp_path, capsys):
    project = make_project(tmp_path / "p", {"001.txt": (FIXTURES / "binary.txt").read_bytes(),
                                            "002.txt": (FIXTURES / "truncated.txt").read_bytes()})
    assert main(["--root", str(project), "check", str(project / "dumps" / "002.txt")]) == 1
    out = capsys.readouterr().out
    assert re.search(r"dumps/002\.txt:\d+: title with no abstract", out)
    assert "dumps/001.txt" not in out.split("Other inputs")[0].split("\n\n")[0]
    project = make_project(tmp_path / "q", {"002.txt": (FIXTURES / "truncated.txt").read_bytes()})
    assert main(["--root", str(project), "check"]) == 0


def test_check_reports_a_broken_config_file_in_one_line(tmp_path, capsys):
    project = make_project(tmp_path / "p", {"001.txt": GOOD_DUMP})
    (project / "topics.yml").write_text("topics:\n  - slug: x\n    nme: X\n", encoding="utf-8")
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: topics.yml:3:") and err.count("\n") == 1


def test_export_writes_the_markdown_tree(seed_project, tmp_path):
    out = tmp_path / "out"
    root = str(seed_project)
    assert main(["--root", root, "export", str(out)]) == 0
    assert (out / "about.md").exists() and (out / "index.md").exists()
    assert len(list((out / "papers").glob("*.md"))) == 411  # 410 papers and the A-Z index
    assert main(["--root", root, "export", str(out)]) == 2
    assert main(["--root", root, "export", str(out), "--clean"]) == 0


def test_verify_refuses_a_site_missing_papers(seed_project, tmp_path, built_site, capsys):
    root = str(seed_project)
    assert main(["--root", root, "verify", str(built_site)]) == 0
    partial = tmp_path / "site"
    shutil.copytree(built_site, partial)
    shutil.rmtree(next((partial / "papers").glob("*/")))
    assert main(["--root", root, "verify", str(partial)]) == 1
    assert main(["--root", root, "verify", str(tmp_path / "empty")]) == 1


def test_every_command_is_documented_in_the_readme():
    help_text = subprocess.run([sys.executable, "-m", "generator", "--help"], capture_output=True, text=True).stdout
    commands = re.search(r"\{([a-z,]+)\}", help_text).group(1).split(",")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in commands if f"python -m generator {c}" not in readme]
    assert missing == []


@pytest.mark.parametrize("command", ["check --help", "add --help", "export --help", "verify --help", "bench --help"])
def test_help_runs(command):
    result = subprocess.run([sys.executable, "-m", "generator", *command.split()], capture_output=True, text=True)
    assert result.returncode == 0 and "usage:" in result.stdout


def test_topics_suggest_proposes_a_topic_for_unsorted_papers_and_lists_possible_misses(tmp_path, capsys):
    papers = "".join(
        f"Cooking Recipe Transfer with Culinary Embeddings {i}\n\n"
        f"We study culinary embeddings for cooking recipe transfer across cuisines, part {i}. "
        "Culinary embeddings map each recipe to ingredients and cooking steps.\n\n"
        for i in range(4)
    )
    dump = f"new\n\nGet trending papers in your email inbox!\n\nMar 12\n\n{papers}".encode()
    project = make_project(tmp_path / "p", {"001.txt": (FIXTURES / "sample_utf8.txt").read_bytes(), "002.txt": dump})
    assert main(["--root", str(project), "topics", "suggest"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^\d+ of \d+ papers are unsorted\.$", out, re.M)
    candidate = out.split("Candidate topic: ", 1)[1]
    assert "(4 papers)" in candidate.split("\n")[0]
    assert re.search(r"^    include:\n(    - .*\n)*    - culinary embeddings$", candidate, re.M)
    assert "Cooking Recipe Transfer with Culinary Embeddings 3" in candidate
    assert "Possible misses" in out


def test_export_names_the_feeds_as_mkdocs_yml_names_the_site(seed_project, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(seed_project, project)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^site_name: .*$", "site_name: Reading Group Digest", text), encoding="utf-8")
    assert main(["--root", str(project), "export", str(tmp_path / "out")]) == 0
    assert "<title type=\"text\">Reading Group Digest</title>" in (tmp_path / "out" / "feed.xml").read_text("utf-8")


def test_output_cut_short_by_a_pipe_ends_quietly(seed_project):
    """`check | head -1`: whatever reads the output stops reading, and the command stops without
    a traceback. Here the pipe is closed before the command writes at all, so it always meets it."""
    import os

    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run([sys.executable, "-m", "generator", "--root", str(seed_project), "check"],
                                stdout=write, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert result.returncode == 141
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr
