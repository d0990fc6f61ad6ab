"""'Why these topics' finds the words a rule matched, as the paper wrote them."""

from __future__ import annotations

from generator.models import Assignment, Match
from generator.site.reasons import evidence_sentences, marked, match_spans, matched_words, phrase_pattern


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
