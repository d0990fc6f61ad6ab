"""Teasers say what a paper does: its first "we propose / introduce / show" sentence."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.site.text import key_sentence, split_sentences, teaser


def test_the_contribution_sentence_wins_over_scene_setting():
    abstract = ("Large language models are everywhere. In recent years, serving them got costly. "
                "We propose SkipKV, a cache that drops stale keys. It halves memory.")
    assert teaser(abstract) == "We propose SkipKV, a cache that drops stale keys."


def test_this_paper_introduces_counts_too():
    abstract = "Recently, agents improved. This paper introduces a benchmark for them. Results follow."
    assert key_sentence(abstract) == "This paper introduces a benchmark for them."


def test_without_such_a_sentence_the_first_one_is_kept():
    abstract = "Sparse attention cuts cost. Results on three tasks follow. Code is public."
    assert teaser(abstract) == "Sparse attention cuts cost."


def test_a_contribution_far_into_the_abstract_is_not_sought():
    abstract = " ".join(f"Context sentence number {n} is here." for n in range(8)) + " We propose X."
    assert teaser(abstract) == "Context sentence number 0 is here."


def test_a_long_key_sentence_is_cut_at_a_word():
    abstract = "Background first. We show that " + "very " * 60 + "long claims hold."
    cut = teaser(abstract)
    assert cut.startswith("We show that very") and cut.endswith("…") and len(cut) <= 181


# The sentence break as a look-behind pattern, the plain way to write it.
_PLAIN_BREAK = re.compile(r"(?<=[a-z0-9)\]][.!?])\s+(?=[A-Z])")


@given(st.lists(st.sampled_from(["a", "Z", "9", ")", "]", ".", "!", "?", " ", "  ", "\n", "é", "É", "x."]), max_size=30)
       .map("".join), st.integers(0, 4))
def test_sentences_break_where_the_plain_pattern_says(text, maxsplit):
    assert split_sentences(text, maxsplit) == _PLAIN_BREAK.split(text, maxsplit=maxsplit)
