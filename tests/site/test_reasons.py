"""'Why these topics' finds the words a rule matched, as the paper wrote them."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from generator.models import Assignment, Match, Topic
from generator.site.reasons import (
    _phrase_spans, evidence_sentences, marked, match_spans, matched_words, phrase_pattern, topic_reasons,
)


def test_a_phrase_finds_what_topics_yml_says_it_matches():
    assert phrase_pattern("quantiz*").findall("Quantized nets; quantization. Unquantized.") == ["Quantized", "quantization"]
    pattern = phrase_pattern("post-training quantization")
    for text in ("post training quantization", "Post-Training Quantizations", "posttraining quantization"):
        assert pattern.fullmatch(text), text
    assert not phrase_pattern("C++").search("C+ code") and phrase_pattern("pass@k").search("pass@k of 3")


def test_matched_words_come_from_the_field_named_and_are_distinct():
    a = Assignment("q", 4.0, (Match("quantiz*", "abstract"), Match("low-bit", "title"), Match("x", "curator")))
    text = "We quantize to low bit. Quantized weights; we QUANTIZE again."
    assert matched_words([a], "abstract", text) == ["quantize", "Quantized"]
    assert matched_words([a], "title", "Low-bit nets") == ["Low-bit"]


def test_marks_escape_everything_else_and_the_longer_match_wins():
    assigned = [Assignment("q", 3.0, (Match("4-bit", "title"), Match("4-bit quantiz*", "title")))]
    html = str(marked("<b>4-bit</b> & 4-bit quantized", assigned, "title"))
    assert html == "&lt;b&gt;<mark>4-bit</mark>&lt;/b&gt; &amp; <mark>4-bit quantized</mark>"
    assert match_spans("4-bit quantized", ["4-bit", "4-bit quantiz*"]) == [(0, 15)]


def test_evidence_is_the_first_three_sentences_with_a_match():
    assigned = [Assignment("q", 3.0, (Match("PTQ", "abstract"),))]
    html = str(evidence_sentences("No. We use PTQ here. Then PTQ again. And PTQ too. More PTQ.", assigned))
    assert html == "We use <mark>PTQ</mark> here. … Then <mark>PTQ</mark> again. … And <mark>PTQ</mark> too."


def test_each_topic_says_why_in_the_papers_words_escaped():
    paper = SimpleNamespace(title="Low-bit <nets>", abstract="We quantize. Quantized & pruned.")
    topics = {"q": Topic("q", "Quantization <b>", "")}
    assigned = [
        Assignment("q", 6.0, (Match("low-bit", "title"), Match("quantiz*", "abstract"))),
        Assignment("gone", 3.0, (Match("attention", "abstract"),)),  # a topic no longer in the taxonomy
        Assignment("p", 3.0, (Match("pruning", "curator"),)),
    ]
    assert str(topic_reasons(paper, assigned, topics)).split("\n") == [
        "<li><strong>Quantization &lt;b&gt;</strong>: in the title “Low-bit”; in the abstract “quantize”, “Quantized”</li>",
        "<li><strong>gone</strong>: abstract “attention”</li>",  # its words are not in the text: the rule is named
        "<li><strong>p</strong>: added by the curator</li>",
    ]


_WORDS = ["quant", "Quantized", "4-bit", "low", "bit", "LoRA", "lora", "C++", "pass@k", "the", "x", "ab"]


@given(st.lists(st.sampled_from(_WORDS + [" ", "-", ". ", "(", ")", "é", "İ", "ſ", "K"]), max_size=40),
       st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3).map(" ".join), st.booleans())
def test_matches_found_from_the_first_word_are_those_of_a_full_scan(pieces, phrase, star):
    text, phrase = "".join(pieces), phrase + ("*" if star else "")
    expected = tuple((m.start(), -m.end()) for m in phrase_pattern(phrase).finditer(text))
    assert _phrase_spans(text, phrase) == expected
