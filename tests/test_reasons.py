"""'Why these topics' finds the words a rule matched, as the paper wrote them."""

from __future__ import annotations

from generator.models import Assignment, Match
from generator.site.reasons import evidence_sentences, highlight, matched_words, phrase_pattern


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


def test_highlight_escapes_everything_but_its_marks():
    html = str(highlight("<b>4-bit</b> & 4-bit", ["4-bit"]))
    assert html == "&lt;b&gt;<mark>4-bit</mark>&lt;/b&gt; &amp; <mark>4-bit</mark>"
    assert str(evidence_sentences("No. We use PTQ here. Then PTQ again. And PTQ. More PTQ.", ["PTQ"])).count(" … ") == 2
