"""Curator overrides: parsing with lines, matching papers by slug or title, applying to assignments."""

from __future__ import annotations

import textwrap

import pytest

from generator.enrich.curate import CURATOR_MATCH, apply_curation, parse_curation, resolve_curation
from generator.models import Assignment, Curation, InputError, Match

from ..conftest import ROOT, SEED, SEED_DUMPS, corpus_papers, shipped_taxonomy

TOPICS = ["quantization", "data", "energy"]


def parse(text: str):
    return parse_curation("curation.yml", textwrap.dedent(text), TOPICS)


def error_of(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        parse(text)
    assert caught.value.diagnostic.file == "curation.yml"
    return caught.value


@pytest.mark.parametrize("text", ["", "{}\n", "# only comments\n", "---\n"])
def test_empty_file_means_no_overrides(text):
    assert parse(text).entries == ()


def test_entries_keep_their_key_line_and_what_they_ask():
    cur = parse("""\
        # comment
        "Dataset Quantization":
          add: [data]
          remove: [quantization]

        some-paper-slug:
          featured: true
          hidden: false
          note: |
            Read **this** first.
        other:
          add: energy
        """)
    assert [(e.key, e.line) for e in cur.entries] == [("Dataset Quantization", 2), ("some-paper-slug", 6), ("other", 11)]
    assert cur.entries[0].curation == Curation(add_topics=("data",), remove_topics=("quantization",))
    assert cur.entries[1].curation == Curation(featured=True, note="Read **this** first.")
    assert cur.entries[2].curation.add_topics == ("energy",)  # a single topic may be written without brackets


@pytest.mark.parametrize("text, line, words", [
    ("paper:\n  add: [data]\n  colour: red\n", 3, ["unknown key 'colour'", "add", "featured", "hidden", "note", "remove"]),
    ("paper:\n  add: [data, cooking]\n", 2, ["unknown topic 'cooking'", "quantization, data, energy"]),
    ("paper:\n  remove:\n    - data\n    - quantisation\n", 4, ["unknown topic 'quantisation'"]),
    ("paper:\n  featured: 'yes please'\n", 2, ["expected true or false"]),
    ("paper:\n  hidden: 1\n", 2, ["expected true or false"]),
    ("paper:\n  note: [a, b]\n", 2, ["expected a single value"]),
    ("paper:\n  add: {data: 1}\n", 2, ["expected a list"]),
    ("paper:\n  add: [data]\n  remove: [data]\n", 3, ["'data' is both added and removed"]),
    ("paper: [data]\n", 1, ["expected a mapping"]),
    ("paper:\n  add: [data]\npaper:\n  add: [energy]\n", 3, ["'paper' is given twice"]),
    ("- paper\n", 1, ["expected a mapping"]),
    ("paper:\n  add: [data\n", 3, ["not valid YAML"]),
])
def test_each_mistake_names_file_and_line(text, line, words):
    error = error_of(text)
    assert error.diagnostic.line == line
    for word in words:
        assert word in error.diagnostic.message


PAPERS = [
    ("dataset quantization", "dataset-quantization", "Dataset Quantization"),
    ("a very long title", "a-very-long-title-3a2523", "A  Very Long Title"),
]


def test_entries_match_papers_by_slug_or_exact_title():
    cur = parse("""\
        dataset-quantization:
          add: [data]
        "A Very Long Title":
          featured: true
        """)
    resolved, problems = resolve_curation(cur, PAPERS)
    assert problems == ()
    assert resolved == {
        "dataset quantization": Curation(add_topics=("data",)),
        "a very long title": Curation(featured=True),
    }


def test_an_entry_matching_no_paper_is_a_warning_with_file_and_line():
    cur = parse("""\
        dataset-quantization:
          add: [data]
        "dataset quantization (v2)":
          remove: [data]
        "DATASET QUANTIZATION":
          remove: [data]
        """)
    resolved, problems = resolve_curation(cur, PAPERS)
    assert list(resolved) == ["dataset quantization"]
    assert [(p.level, p.file, p.line) for p in problems] == [("warning", "curation.yml", 3), ("warning", "curation.yml", 5)]
    assert "'dataset quantization (v2)'" in problems[0].message
    assert str(problems[0]).startswith("curation.yml:3:")


def test_two_entries_for_one_paper_keep_the_first_and_warn():
    cur = parse("""\
        dataset-quantization:
          add: [data]
        "Dataset Quantization":
          add: [energy]
        """)
    resolved, problems = resolve_curation(cur, PAPERS)
    assert resolved["dataset quantization"].add_topics == ("data",)
    assert len(problems) == 1 and problems[0].line == 3 and "line 1" in problems[0].message


RULES = {
    "p1": (
        Assignment("quantization", 9.0, (Match("quantiz*", "title"),)),
        Assignment("energy", 3.0, (Match("energy use", "abstract"),)),
    ),
    "p2": (Assignment("energy", 4.0, (Match("watt", "abstract"),)),),
    "p3": (),
}


def test_apply_removes_and_adds_with_the_curator_as_reason_first():
    result = apply_curation(RULES, {
        "p1": Curation(add_topics=("data",), remove_topics=("quantization",)),
        "p3": Curation(add_topics=("energy",)),
    })
    assert [a.topic for a in result["p1"]] == ["data", "energy"]
    assert result["p1"][0].reasons == (CURATOR_MATCH,) == (Match("curator", "curator"),)
    assert result["p1"][1] == RULES["p1"][1]
    assert result["p2"] == RULES["p2"]
    assert [a.topic for a in result["p3"]] == ["energy"]


def test_adding_a_topic_the_rules_found_keeps_their_reasons_after_the_curators():
    result = apply_curation(RULES, {"p1": Curation(add_topics=("energy",))})
    assert [a.topic for a in result["p1"]] == ["energy", "quantization"]
    assert result["p1"][0].reasons == (CURATOR_MATCH, Match("energy use", "abstract"))


def test_curation_without_topic_changes_and_for_unknown_papers_changes_nothing():
    result = apply_curation(RULES, {"p2": Curation(featured=True, note="x"), "gone": Curation(add_topics=("data",))})
    assert result == RULES


@pytest.mark.parametrize("project", [ROOT, SEED], ids=["live", "seed"])
def test_the_curation_file_is_valid_and_every_entry_names_one_of_its_papers(project):
    """The live curation.yml against the live dumps/ (whatever they hold), and the seed's against the seed."""
    topics = [t.slug for t in shipped_taxonomy().topics]
    cur = parse_curation("curation.yml", (project / "curation.yml").read_text(encoding="utf-8"), topics)
    papers = corpus_papers(project / "dumps")
    resolved, problems = resolve_curation(cur, [(p.key, p.slug, p.title) for p in papers])
    assert problems == ()
    assert len(resolved) == len(cur.entries)


def test_the_seed_curation_features_a_paper_with_a_note():
    cur = parse_curation("curation.yml", (SEED / "curation.yml").read_text(encoding="utf-8"),
                         [t.slug for t in shipped_taxonomy().topics])
    resolved, _ = resolve_curation(cur, [(p.key, p.slug, p.title) for p in corpus_papers(SEED_DUMPS)])
    assert len(resolved) >= 5
    assert sum(c.featured for c in resolved.values()) >= 1
    assert any(c.note for c in resolved.values() if c.featured)
