"""The curator's aid: candidate topics for Unsorted papers, and papers a topic may have missed."""

from __future__ import annotations

import random

from generator.config.topics import parse_taxonomy
from generator.enrich.classify import classify
from generator.enrich.suggest import PhraseIndex, key_phrases, possible_misses, suggest_topics

FIELDS = {
    "vision": ("image classification", "convolutional backbone", "object detection"),
    "graphs": ("node classification", "message passing", "graph neural network"),
    "speech": ("speech recognition", "word error rate", "acoustic model"),
}
FILLER = ("We evaluate on public data.", "Code will be released.", "Results improve over baselines.")


def corpus(seed: int = 3, per_field: int = 12) -> list[tuple[str, str, str]]:
    """Invented papers: ``per_field`` per field, each naming two of its phrases."""
    rng = random.Random(seed)
    papers = []
    for field, phrases in FIELDS.items():
        for i in range(per_field):
            first, second = rng.sample(phrases, 2)
            title = f"{first.capitalize()} with {field} trick {i}"
            abstract = f"We study {first} and {second}. {rng.choice(FILLER)} Our {second} variant number {i}."
            papers.append((f"{field}-{i}", title, abstract))
    words = ["".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4)) for _ in range(60)]
    for i in range(30):  # papers of no field that share no phrase, as many as other fields in a listing
        papers.append((f"misc-{i}", f"On {words[2 * i]}", f"{words[2 * i + 1].capitalize()} {words[2 * i]}."))
    return papers


def test_key_phrases_are_runs_of_content_words_cut_at_function_words_and_punctuation():
    found = key_phrases("We propose a graph neural network for speech recognition, improving accuracy by 10%.")
    assert {"graph neural network", "speech recognition", "graph", "speech"} <= found
    assert not {p for p in found if "for" in p.split() or "propose" in p}
    assert "network for" not in found and "recognition improving" not in found
    assert "accuracy" not in found  # a phrase of generic words only names no field
    assert key_phrases("") == set()


def test_unsorted_papers_of_a_missing_field_become_one_candidate_topic_ready_to_paste():
    papers = corpus()
    unsorted = [key for key, _, _ in papers if key.startswith(("speech", "misc"))]
    index = PhraseIndex.of(papers)
    candidates = suggest_topics(index, unsorted, taken_slugs=["vision", "graphs"])
    assert candidates, "no candidate topic"
    first = candidates[0]
    assert set(first.members) == {key for key in unsorted if key.startswith("speech")}
    assert any(phrase in FIELDS["speech"] or phrase == "speech" for phrase in first.include)
    assert all(not key.startswith(("vision", "graphs")) for c in candidates for key in c.members)
    # Pasted under "topics:", the candidate is a valid topic whose rules find its members.
    taxonomy = parse_taxonomy("topics.yml", "topics:\n" + first.as_yaml())
    found = classify([p for p in papers if p[0] in first.members], taxonomy)
    assert all(found[key] for key in first.members)


def test_suggestions_do_not_depend_on_input_order():
    papers = corpus()
    unsorted = [key for key, _, _ in papers if key.startswith(("speech", "misc"))]
    shuffled = papers[:]
    random.Random(1).shuffle(shuffled)
    one = suggest_topics(PhraseIndex.of(papers), unsorted)
    other = suggest_topics(PhraseIndex.of(shuffled), list(reversed(unsorted)))
    assert one == other


def test_slugs_of_candidates_avoid_the_taxonomy_and_nothing_to_group_gives_nothing():
    papers = corpus()
    unsorted = [key for key, _, _ in papers if key.startswith("speech")]
    index = PhraseIndex.of(papers)
    taken = [c.slug for c in suggest_topics(index, unsorted)]
    again = suggest_topics(index, unsorted, taken_slugs=taken)
    assert not set(taken) & {c.slug for c in again}
    assert suggest_topics(index, []) == []
    assert suggest_topics(index, ["misc-0", "misc-1"]) == []  # fewer papers than a topic needs


def test_a_paper_that_looks_like_a_topic_but_is_not_in_it_is_a_possible_miss():
    papers = corpus()
    papers.append(("stray", "Message passing graph neural network for node classification",
                   "A graph neural network with message passing for node classification."))
    assigned = {key: ([key.split("-")[0]] if not key.startswith(("misc", "stray")) else [])
                for key, _, _ in papers}
    misses = possible_misses(PhraseIndex.of(papers), assigned, ["vision", "graphs", "speech"])
    assert [m.key for m in misses["graphs"]] == ["stray"]
    assert "graph neural network" in misses["graphs"][0].shared
    assert misses["vision"] == [] and misses["speech"] == []
