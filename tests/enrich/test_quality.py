"""Editorial quality: reported by check and the build log; it blocks publishing only where mkdocs.yml says so."""

from __future__ import annotations

import datetime as dt
import itertools
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.files import Files

from generator.cli import main
from generator.enrich.quality import QualityGates, QualityReport, gate_failures, near_duplicate_titles, quality_report
from generator.pipeline import Sources, gather_site

from ..conftest import GOLDEN_FIXTURE, GOOD_DUMP, configured, make_project

NEAR = ("A B C D E F G", "A B C D E F G H", 0.88)


def test_near_duplicate_titles():
    titles = {"a b c d e f g": "A B C D E F G", "a b c d e f g h": "A B C D E F G H", "x y z": "X Y Z"}
    assert near_duplicate_titles(titles) == [NEAR]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sets(st.sampled_from([f"w{i}" for i in range(16)]), min_size=1, max_size=10), max_size=20))
def test_near_duplicates_are_exactly_the_pairs_this_alike(word_sets):
    """The prefix and length filters only skip work: the result is that of comparing every pair."""
    titles = {" ".join(sorted(ws)): " ".join(sorted(ws)).upper() for ws in word_sets}

    def jaccard(a, b):
        a, b = set(a.split()), set(b.split())
        return len(a & b) / len(a | b)

    every_pair = sorted({(*sorted((titles[a], titles[b])), round(jaccard(a, b), 2))
                         for a, b in itertools.combinations(titles, 2) if jaccard(a, b) >= 0.85})
    assert near_duplicate_titles(titles) == every_pair


def test_the_report_counts_papers_with_a_topic_and_lists_the_unsorted():
    site = gather_site(Sources(GOLDEN_FIXTURE), today=dt.date(2025, 6, 1)).site
    report = quality_report(site)
    unsorted = {p.title for p in site.papers if not site.assignments[p.key]}
    assert set(report.unsorted) == unsorted and {"Dataset Quantization for Cheaper Pretraining", "Notes on Reading Group Practice"} <= unsorted
    assert report.papers == len(site.papers) and report.with_topic == len(site.papers) - len(unsorted)
    assert report.topic_share == pytest.approx(report.with_topic / report.papers)
    assert QualityReport(0, 0, (), ()).topic_share == 1.0


def test_gates_are_off_by_default_and_fail_only_past_their_setting():
    report = QualityReport(papers=10, with_topic=9, unsorted=("U",), near_duplicates=(NEAR,))
    assert gate_failures(report, QualityGates()) == ()
    assert gate_failures(report, QualityGates(min_topic_share=0.9)) == ()
    assert gate_failures(report, QualityGates(min_topic_share=0.95, fail_on_near_duplicates=True)) == (
        "only 90.0% of papers have a topic, below min_topic_share 95.0%; 1 are unsorted",
        "1 pair(s) of near-duplicate titles, such as 'A B C D E F G' ~ 'A B C D E F G H' "
        "(fail_on_near_duplicates is set)",
    )


def gated(tmp_path, options: str):
    project = make_project(tmp_path / "p", {"001.txt": GOOD_DUMP}, "dumps:\n  001.txt: {date: 2025-03-14}\n")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    defaults = "      min_topic_share: 0.0\n      fail_on_near_duplicates: false\n"
    assert defaults in text  # documented where the curator sets them, off
    config.write_text(text.replace(defaults, options), encoding="utf-8")
    return project


def test_the_build_log_reports_quality_and_a_gate_set_in_mkdocs_yml_warns(tmp_path, caplog):
    project = gated(tmp_path, "      min_topic_share: 1\n")
    config, plugin = configured(project)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.generator.mkdocs.plugin"):
        plugin.on_files(Files([]), config)
    messages = [(r.levelname, r.getMessage()) for r in caplog.records]
    report = quality_report(gather_site(Sources(project)).site)
    assert ("INFO", f"digest quality: {report.summary()} (python -m generator check lists them)") in messages
    assert ("WARNING", "quality gate in mkdocs.yml: " + gate_failures(report, QualityGates(1.0))[0]) in messages


def test_check_reports_quality_and_fails_on_a_gate_set_in_mkdocs_yml(tmp_path, capsys):
    project = gated(tmp_path, "      min_topic_share: 0.99\n")
    assert main(["--root", str(project), "check"]) == 1
    out = capsys.readouterr().out
    report = quality_report(gather_site(Sources(project)).site)
    assert f"Quality: {report.summary()}\n" in out
    assert f"  blocks publishing (mkdocs.yml): {gate_failures(report, QualityGates(0.99))[0]}\n" in out
    assert out.endswith("\n0 error(s), 0 warning(s)\n")


def test_the_default_gates_block_nothing(tmp_path, capsys):
    assert main(["--root", str(gated(tmp_path, "      min_topic_share: 0.0\n")), "check"]) == 0


@pytest.mark.parametrize("option, message", [
    ("min_topic_share: 1.5", "expected a share from 0 to 1, such as 0.95, not 1.5"),
    ("min_topic_share: lots", "expected a share from 0 to 1, such as 0.95, not 'lots'"),
    ("fail_on_near_duplicates: 3", "Expected type: <class 'bool'> but received: <class 'int'>"),
])
def test_a_mistyped_gate_is_an_error_naming_it(tmp_path, capsys, caplog, option, message):
    project = gated(tmp_path, f"      {option}\n")
    with caplog.at_level(logging.ERROR, logger="mkdocs.config"), pytest.raises(Abort):
        load_config(str(project / "mkdocs.yml"))
    assert f"Plugin 'digest' option '{option.split(':')[0]}': {message}" in caplog.text
    assert main(["--root", str(project), "check"]) == 1
    key = option.split(":")[0]
    assert capsys.readouterr().err == f"error: mkdocs.yml: plugins: digest: {key}: {message}\n"
