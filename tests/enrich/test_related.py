"""Related papers: ranking, ties, explanations, edge cases, and exactness of the blocked search."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, strategies as st

from generator.enrich import related
from generator.enrich.related import Related, related_papers

ROOT = Path(__file__).resolve().parents[2]

CORPUS = [
    ("quant-a", "Post-training quantization of language models to 4 bits",
     "We quantize the weights of a language model to four bits after training, with little loss of accuracy."),
    ("quant-b", "Outlier-aware quantization for language models",
     "Activation outliers make low-bit quantization of a language model hard; we keep them in higher precision."),
    ("quant-c", "Quantization-aware fine-tuning on phones",
     "Fine-tuning with simulated quantization lets small models run on phones with integer arithmetic."),
    ("protein-a", "Protein structure prediction with equivariant networks",
     "Equivariant graph networks predict protein structure from amino acid sequences."),
    ("protein-b", "Equivariant diffusion for protein design",
     "A diffusion model over protein backbones, equivariant to rotations, designs new proteins."),
    ("robot", "Legged robots learn to climb stairs",
     "A quadruped robot learns stair climbing in simulation and transfers to hardware."),
]


def keys_of(found: tuple[Related, ...]) -> list[str]:
    return [r.key for r in found]


def words_of(text: str) -> set[str]:
    """The words of a text as related.py reads them (folded plurals included)."""
    tokens = related._TOKEN.findall(text.lower())
    return set(tokens) | {related._fold(t) for t in tokens}


def test_similar_papers_rank_above_unrelated_ones():
    found = related_papers(CORPUS)
    assert keys_of(found["quant-a"])[:2] == ["quant-b", "quant-c"]
    assert keys_of(found["protein-a"])[0] == "protein-b"
    assert "robot" not in keys_of(found["quant-a"])
    for key, others in found.items():
        scores = [r.score for r in others]
        assert scores == sorted(scores, reverse=True), key
        assert all(0 < s <= 1 for s in scores)


def test_self_excluded_k_honoured_zero_scores_left_out():
    found = related_papers(CORPUS, k=1)
    assert set(found) == {key for key, _, _ in CORPUS}
    for key, others in found.items():
        assert key not in keys_of(others)
        assert len(others) <= 1
    # The robot paper shares no term with any other: nothing is related to it.
    assert related_papers(CORPUS, k=5)["robot"] == ()
    assert all(len(others) <= 5 for others in related_papers(CORPUS, k=5).values())


def test_scores_are_symmetric():
    found = related_papers(CORPUS)
    for key, others in found.items():
        for other in others:
            back = {r.key: r.score for r in found[other.key]}
            if key in back:
                assert back[key] == other.score


def test_equal_scores_rank_by_key_whatever_the_input_order():
    twin = ("Sparse mixture of experts routing", "Experts are routed sparsely by a learned gate.")
    papers = [("query", "Routing in a sparse mixture of experts", "A learned gate routes tokens to experts.")]
    papers += [(key, *twin) for key in ("twin-c", "twin-a", "twin-b")]
    expected = related_papers(papers, k=2)
    assert keys_of(expected["query"]) == ["twin-a", "twin-b"]
    assert len({r.score for r in related_papers(papers)["query"]}) == 1
    for seed in range(5):
        shuffled = papers[:]
        random.Random(seed).shuffle(shuffled)
        assert related_papers(shuffled, k=2) == expected


def test_terms_are_shared_by_both_papers_and_explain_the_link():
    texts = {key: f"{title} {abstract}" for key, title, abstract in CORPUS}
    found = related_papers(CORPUS)
    for key, others in found.items():
        for other in others:
            assert 1 <= len(other.terms) <= 3
            for term in other.terms:
                for word in term.split(" "):
                    assert word in words_of(texts[key]) and word in words_of(texts[other.key]), (key, other)
    terms = found["quant-a"][0].terms
    assert "quantization" in terms
    assert "language model" in terms or "language models" in terms


def test_terms_do_not_repeat_a_word_already_shown():
    found = related_papers(CORPUS)
    for others in found.values():
        for other in others:
            seen: set[str] = set()
            for term in other.terms:
                assert not set(term.split(" ")) <= seen, other.terms
                seen |= set(term.split(" "))


def test_a_phrase_stands_in_for_its_own_words():
    papers = [
        ("a", "Time series forecasting", "Forecasting a time series of prices."),
        ("b", "Time series anomalies", "Anomalies in a time series of sensors."),
        ("c", "Prices and sensors", "Prices of sensors."),
    ]
    terms = related_papers(papers)["a"][0].terms
    assert "time series" in terms
    assert "time" not in terms and "series" not in terms


def test_picking_terms_never_repeats_a_word():
    pick = related._pick_terms
    assert pick(["series", "model", "time", "time series", "forecast"]) == ("time series", "model", "forecast")
    assert pick(["language model", "model", "language", "training", "data"]) == ("language model", "training", "data")
    assert pick(["a", "b", "c", "d"]) == ("a", "b", "c")
    assert pick([]) == ()


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80) | st.text(max_size=40))
@example("Large-scale models_2 (LLMs): see www.x.org, or https://a.b/c; [1]{2} 3.5!?")
def test_tokens_are_the_regex_tokens(text):
    """The fast ASCII split finds the regex's tokens; punctuation may come out as "|" (it only ends phrases)."""
    lower = text.lower()
    if "://" in lower or "www." in lower:
        lower = related._URL.sub(" ", lower)
    expected = ["|" if token in related._PHRASE_END else token for token in related._TOKEN.findall(lower)]
    found = ["|" if token in related._PHRASE_END else token for token in related._tokens(text)]
    assert found == expected


def test_plurals_fold_and_show_as_written():
    papers = [
        ("a", "Models of series", "Large models for series, and their policies."),
        ("b", "A model of series", "One model for a series, and one policy."),
        ("c", "Gardens", "Policies for gardens."),
    ]
    found = related_papers(papers)
    # "models" and "model" are one term, shown as the singular someone wrote (even where
    # the plural sorts first, as "policies" does); "series" is never shown as "sery".
    assert set(found["a"][0].terms) == {"model", "series", "policy"}
    assert found["c"][0].terms == ("policy",)


def test_links_and_stop_words_do_not_relate_papers():
    papers = [
        ("a", "Gardening in winter", "We show that it is what we propose: https://github.com/org/shared-repo"),
        ("b", "Deep sea fishing", "We show that it is what we propose: https://github.com/org/shared-repo"),
    ]
    assert related_papers(papers) == {"a": (), "b": ()}


def test_a_term_in_most_papers_of_a_large_collection_is_never_the_reason():
    rng = random.Random(7)
    vocabulary = [f"topic{n}" for n in range(40)]
    papers = []
    for n in range(60):
        words = " ".join(rng.sample(vocabulary, 4))
        papers.append((f"p{n:02d}", f"Transformer {words}", f"A transformer for {words}."))
    for others in related_papers(papers).values():
        for other in others:
            assert "transformer" not in other.terms


def test_empty_single_and_degenerate_input():
    assert related_papers([]) == {}
    assert related_papers([("only", "A title", "An abstract.")]) == {"only": ()}
    assert related_papers(CORPUS, k=0) == {key: () for key, _, _ in CORPUS}
    assert related_papers([("a", "", ""), ("b", "", "")]) == {"a": (), "b": ()}
    with pytest.raises(ValueError):
        related_papers([("a", "x", "y"), ("a", "x", "z")])
    with pytest.raises(ValueError):
        related_papers(CORPUS, k=-1)


def random_corpus(count: int, seed: int) -> list[tuple[str, str, str]]:
    """Papers drawn from a few themes, so that there are close and distant pairs and many ties."""
    rng = random.Random(seed)
    themes = [[f"w{t}x{n}" for n in range(12)] for t in range(8)]
    papers = []
    for n in range(count):
        theme = rng.choice(themes)
        title = " ".join(rng.sample(theme, 3))
        abstract = " ".join(rng.choice(theme) if rng.random() < 0.7 else rng.choice(rng.choice(themes))
                            for _ in range(25))
        papers.append((f"paper-{n:03d}", title, abstract))
    return papers


def brute_force(papers: list[tuple[str, str, str]], k: int) -> dict[str, list[tuple[str, float]]]:
    """Every pair scored in one dense matrix, ranked by (score desc, key)."""
    ordered = sorted(papers)
    matrix, _ = related._tfidf([(title, abstract) for _, title, abstract in ordered])
    scores = np.round((matrix @ matrix.T).toarray(), related.SCORE_DECIMALS)
    keys = [key for key, _, _ in ordered]
    result = {}
    for i, key in enumerate(keys):
        ranked = sorted((-scores[i, j], keys[j]) for j in range(len(keys)) if j != i and scores[i, j] > 0)
        result[key] = [(other, -score) for score, other in ranked[:k]]
    return result


@pytest.mark.parametrize("block_cells", [7, 150, 10**9])
@pytest.mark.parametrize("k", [1, 4])
def test_blocked_search_equals_brute_force(monkeypatch, block_cells, k):
    papers = random_corpus(90, seed=block_cells + k)
    monkeypatch.setattr(related, "BLOCK_CELLS", block_cells)
    found = related_papers(papers, k=k)
    expected = brute_force(papers, k)
    assert {key: [(r.key, r.score) for r in others] for key, others in found.items()} == expected


def test_direct_product_equals_scipys_public_one(monkeypatch):
    """The similarity blocks, computed without scipy's counting pass, are bit for bit its public product."""
    papers = random_corpus(90, seed=5)
    matrix, _ = related._tfidf([(title, abstract) for _, title, abstract in sorted(papers)])
    similarities = related._Similarities(matrix, related.sparse.csr_matrix(matrix.T), 40)
    for start, stop in ((0, 40), (40, 80), (80, 90)):
        expected = (matrix[start:stop] @ matrix[start:].T).toarray()
        assert similarities.block(start, stop).tobytes() == expected.tobytes()
    found = related_papers(papers)
    monkeypatch.setattr(related, "_csr_matmat", None)
    assert related_papers(papers) == found


def test_same_result_whatever_the_hash_seed():
    """Sets and dicts inside must not leak Python's per-process string hashing into the result."""
    script = (
        "import json, sys; from generator.enrich.related import related_papers; "
        "papers = json.load(sys.stdin); "
        "print(json.dumps({k: [[r.key, r.score, r.terms] for r in v] for k, v in related_papers(papers).items()}))"
    )
    papers = json.dumps(CORPUS + random_corpus(40, seed=3))
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", script], input=papers, capture_output=True, text=True,
                             cwd=ROOT, env=env, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1


@pytest.mark.parametrize("workers", [2, 3])
def test_shared_terms_on_several_cores_are_the_same(workers):
    """Pairs are dealt out to forked workers and their terms dealt back, in order, whatever the count."""
    papers = random_corpus(61, seed=workers)
    alone = related_papers(papers, k=5)
    assert sum(map(len, alone.values())) % workers, "the pairs do not divide evenly: the last share is shorter"
    assert related_papers(papers, k=5, workers=workers) == alone


def test_filler_terms_are_not_shown_but_the_ranking_is_unchanged(monkeypatch):
    from generator.enrich import related

    papers = [
        ("a", "Accurate bit quantization", "An accurate 4 bit quantization of large transformers for phones."),
        ("b", "Accurate bit pruning", "An accurate bit pruning of large transformers for phones and quantization."),
        ("c", "Graph kernels", "Kernels on graphs for molecules."),
    ]
    shown = related.related_papers(papers, k=2)
    assert all(not related.FILLER_TERMS.issuperset(t.split(" ")) for r in shown["a"] for t in r.terms)
    monkeypatch.setattr(related, "FILLER_TERMS", frozenset())
    unfiltered = related.related_papers(papers, k=2)
    assert [(r.key, r.score) for r in shown["a"]] == [(r.key, r.score) for r in unfiltered["a"]]
    # The filler was there to be dropped: without the list, a term of only filler words shows.
    assert any({"accurate", "bit", "large"}.issuperset(t.split(" ")) for r in unfiltered["a"] for t in r.terms)
