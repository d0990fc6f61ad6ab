"""The taxonomy file: the shipped topics, and every mistake reported with its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.models import InputError, Topic
from generator.config.topics import parse_taxonomy, phrase_variants

ROOT = Path(__file__).resolve().parents[2]

FIRST_TOPICS = [  # published since the first release: their pages must never move
    ("quantization", "Quantization & Low Precision"),
    ("pruning-sparsity", "Pruning & Sparsity"),
    ("distillation", "Distillation & Compression"),
    ("efficient-inference", "Efficient Inference & Serving"),
    ("on-device", "On-Device & Edge"),
    ("distributed-training", "Distributed & Large-Scale Training"),
    ("hardware", "Hardware & Accelerators"),
    ("energy", "Energy & Carbon"),
    ("scaling-laws", "Scaling Laws"),
    ("test-time-compute", "Reasoning & Test-Time Compute"),
    ("code", "Code & Software Engineering"),
    ("math", "Mathematical Reasoning"),
    ("data", "Data & Datasets"),
    ("fine-tuning", "Fine-Tuning & Alignment"),
    ("architectures", "Model Architectures"),
    ("mixture-of-experts", "Mixture of Experts"),
    ("vision-multimodal", "Vision & Multimodal"),
    ("interpretability", "Interpretability & Analysis"),
    ("federated", "Federated Learning"),
    ("automl", "AutoML & Architecture Search"),
    ("safety", "Safety & Security"),
    ("science", "AI for Science & Engineering"),
    ("frameworks", "Frameworks & Tools"),
    ("research-practice", "Research Practice & Automation"),
    ("surveys", "Surveys"),
]


def parse(text: str):
    return parse_taxonomy("topics.yml", textwrap.dedent(text))


def error_of(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        parse(text)
    assert caught.value.diagnostic.file == "topics.yml"
    return caught.value


VALID = """\
    topics:
      - slug: quantization
        name: Quantization
        description: >
          Fewer bits.
        include:
          - quantiz*
          - phrase: low-bit
            weight: 0.5
            where: abstract
          - regex: 'W\\d+A\\d+'
        exclude:
          - quantum
      - slug: data
        name: Data
        description: Datasets.
    """


NEW_FIELDS = ("llm-agents", "retrieval-rag", "speech-audio", "factuality-attribution", "long-context",
              "reinforcement-learning", "robotics-embodied", "image-video-generation", "time-series")


def test_shipped_taxonomy_keeps_every_first_topic_and_covers_the_fields_a_daily_listing_has():
    taxonomy = parse_taxonomy("topics.yml", (ROOT / "topics.yml").read_text(encoding="utf-8"))
    shipped = [(t.slug, t.name) for t in taxonomy.topics]
    assert set(FIRST_TOPICS) <= set(shipped)  # same slug, same name; the order is the curator's
    assert set(NEW_FIELDS) <= {slug for slug, _ in shipped}
    assert 35 <= len(shipped) <= 40
    for topic in taxonomy.topics:
        assert len(topic.description) > 40, topic.slug
        assert topic.area, f"{topic.slug} has no area"
    assert 4 <= len({t.area for t in taxonomy.topics}) <= 8
    for rules in taxonomy.rules:
        assert rules.include, f"{rules.topic.slug} has no include rules"


def test_valid_file_gives_topics_in_order_with_their_rules():
    taxonomy = parse(VALID)
    assert taxonomy.topics == (Topic("quantization", "Quantization", "Fewer bits."), Topic("data", "Data", "Datasets."))
    quantization = taxonomy.rules[0]
    assert [r.text for r in quantization.include] == ["quantiz*", "low-bit", "W\\d+A\\d+"]
    assert [(r.weight, r.where, r.is_regex) for r in quantization.include] == [
        (1.0, "anywhere", False), (0.5, "abstract", False), (1.0, "anywhere", True),
    ]
    assert quantization.include[1].line == 8
    assert [r.text for r in quantization.exclude] == ["quantum"]
    assert taxonomy.rules[1].include == ()


@pytest.mark.parametrize("text, line, words", [
    ("topics:\n  - slug: a\n    name: [unclosed\n", 4, ["not valid YAML"]),
    ("topics:\n  - slug: a\n    name: A\n    description: D\n    colour: red\n", 5,
     ["unknown key 'colour'", "description", "exclude", "include", "name", "slug"]),
    ("topics:\n  - slug: a\n    description: D\n", 2, ["missing key 'name'"]),
    ("topics:\n  - slug: a\n    name: A\n    description: D\n  - slug: a\n    name: B\n    description: E\n",
     5, ["slug 'a' is already used", "line 2"]),
    ("topics:\n  - slug: Big Topic\n    name: A\n    description: D\n", 2, ["'Big Topic'", "lowercase"]),
    ("topics:\n  - slug: a\n    name: A\n    description: D\n    include:\n      - regex: 'W(4'\n", 6,
     ["does not compile"]),
    ("topics:\n  - slug: a\n    name: A\n    description: D\n    include:\n      - phrase: x\n        wieght: 2\n",
     7, ["unknown key 'wieght'", "phrase", "regex", "weight", "where"]),
    ("topics:\n  - slug: a\n    name: A\n    description: D\n    include:\n      - phrase: x\n        weight: heavy\n",
     7, ["'weight' must be a number"]),
    ("topics:\n  - slug: a\n    name: A\n    description: D\n    include:\n      - phrase: x\n        where: body\n",
     7, ["'where' must be one of", "title", "abstract", "anywhere"]),
    ("topics:\n  - slug: a\n    name: A\n    description: D\n    include:\n      - phrase: x\n        regex: y\n",
     6, ["exactly one of 'phrase' or 'regex'"]),
    ("topics:\n  - slug: a\n    name: A\n    description: D\n    include:\n      - power law\n      - power-law\n",
     7, ["'power-law' matches the same as the rule on line 6"]),
    ("topics:\n  - slug: a\n    name: A\n    description: D\n    include:\n      - '--'\n", 6, ["cannot match"]),
    ("topics:\n  - slug: a\n    name: A\n    description: D\n    exclude:\n      - phrase: x\n        weight: 2\n",
     7, ["unknown key 'weight'"]),
    ("title: Topics\n", 1, ["unknown key 'title'", "topics"]),
    ("# nothing yet\n", 1, ["missing key 'topics'"]),
    ("topics: []\n", 1, ["at least one topic"]),
    ("topics:\n  - slug: a\n    name: A\n    description: D\n    area: One\n  - slug: b\n    name: B\n    description: E\n",
     6, ["'b' has no 'area'", "give every topic an area, or none"]),
    ("topics:\n  - slug: a\n    name: A\n    description: D\n    area: [One]\n", 5, ["expected a single value"]),
    ("topics:\n  - slug: a\n    name: A\n    description: D\n    area: One\n  - slug: b\n    name: B\n"
     "    description: E\n    area: Two\n  - slug: c\n    name: C\n    description: F\n    area: One\n",
     13, ["area 'One' was begun on line 2", "next to each other"]),
])
def test_each_mistake_names_file_and_line(text, line, words):
    error = error_of(text)
    assert error.diagnostic.line == line
    for word in words:
        assert word in error.diagnostic.message
    assert str(error).startswith("topics.yml")


def test_phrase_variants_cover_spaced_hyphenated_and_closed_up_forms():
    forms = {tuple(w.text for w in v.words) for v in phrase_variants("post-training quantization")}
    assert forms == {("post", "training", "quantization"), ("posttraining", "quantization"),
                     ("post", "trainingquantization"), ("posttrainingquantization",)}
    last = phrase_variants("GPU")[0].words[-1]
    assert last.plural and last.matches("GPUs") and not last.matches("GPUx")
    star = phrase_variants("quantiz*")[0]
    assert star.words[0].kind == "prefix" and star.words[0].matches("Quantized")
    assert phrase_variants("C++")[0].tail == "++"
    assert phrase_variants("pass@k")[0].gaps == ("@",)


def test_a_taxonomy_is_plain_frozen_values_and_equal_files_give_equal_taxonomies():
    first, second = parse(VALID), parse(VALID)
    assert first == second and hash(first) == hash(second)  # no cache or index rides along


def test_areas_group_topics_and_are_optional():
    grouped = parse("""\
        topics:
          - slug: a
            name: A
            description: D
            area: "  Models   and training "
          - slug: b
            name: B
            description: E
            area: Models and training
        """)
    assert [t.area for t in grouped.topics] == ["Models and training", "Models and training"]
    assert {t.area for t in parse(VALID).topics} == {None}
