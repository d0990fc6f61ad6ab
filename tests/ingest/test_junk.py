"""No junk, ever: what ``junk`` refuses, and that each refusal is an error at file:line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ingest import junk
from generator.ingest.junk import abstract_problem, title_problem
from generator.ingest.parse import parse_dump

ABSTRACT = ("We grow sparse networks from a small dense seed instead of pruning a large one, and they match "
            "pruned networks at the same sparsity while training in half the time.")


@pytest.mark.parametrize("title, reason", [
    ("https://huggingface.co/papers/2410.01234", "URL"),
    ("www.example.org/paper", "URL"),
    ("[Gradient Gardens](https://huggingface.co/papers/2410.01234)", "URL"),
    ("[Gradient Gardens][32]", "link"),
    ("### [A Survey of Multi-Agent Systems][138]", "debris"),
    ("![](x.png)", "link"),
    ("- Gradient Gardens", "debris"),
    ("Agents", "one plain word"),
    ("accuracy while reducing latency by 4.2x, at no cost", "fragment"),
    ("A Survey of", "fragment"),
    ("Gradient Gardens: Growing Sparse Networks From", "fragment"),
    ("Gradient Gardens: Growing Sparse,", "fragment"),
])
def test_junk_titles(title, reason):
    assert reason in title_problem(title)


@pytest.mark.parametrize("title", [
    "mGPT: Few-Shot Learners Go Multilingual", "u-μP: The Unit-Scaled Maximal Update Parametrization",
    "pyvene: A Library for Understanding and Improving PyTorch Models via Interventions",
    "gzip Predicts Data-dependent Scaling Laws", "[CLS] Token Tells Everything Needed for Training-free Efficient MLLMs",
    "Closing the Performance Gap with Modern C++", "Emu3", "GPT-4 Technical Report", "#InsTag: Instruction Tagging",
    "Upsample or Upweight? Balanced Training", "日本語の論文タイトル",
])
def test_real_titles_pass(title):
    assert title_problem(title) is None


@pytest.mark.parametrize("abstract, reason", [
    ("[[图片：无替代文本]](https://huggingface.co/papers/2410.01234)", "image"),
    ("![](https://cdn.example.org/x.png)", "image"),
    ("https://github.com/example/code", "link"),
    ("[Read the paper](https://arxiv.org/abs/2410.01234)", "link"),
    ("Code is available.", "only 3 words"),
    (ABSTRACT[:60] + " [Content truncated]", "cut off"),
])
def test_junk_abstracts(abstract, reason):
    assert reason in abstract_problem(abstract)


def test_an_abstract_the_copy_ended_inside_is_cut_off_unless_it_ends_a_sentence_or_a_url():
    assert "cut off" in abstract_problem(ABSTRACT[:-30], cut_off=True)
    assert abstract_problem(ABSTRACT, cut_off=True) is None
    assert abstract_problem(ABSTRACT[:-1] + ": https://github.com/example/code", cut_off=True) is None
    # An abstract with no full stop is fine when the copy went on after it.
    assert abstract_problem(ABSTRACT[:-30]) is None


def test_real_abstracts_pass():
    assert abstract_problem(ABSTRACT) is None
    assert abstract_problem("我们提出一种从小型稠密种子生长稀疏网络的方法，在相同稀疏度下与剪枝网络的精度相当，训练时间减半。") is None
    assert abstract_problem(ABSTRACT + " More importantly, ...") is None


def test_a_refused_entry_is_an_error_naming_its_line_and_the_others_survive():
    text = ("# Papers\n\n### Gradient Gardens: Growing Sparse Networks From Seeds\n" + ABSTRACT + "\n- 4 authors\n\n"
            "### https://huggingface.co/papers/2410.01234\n" + ABSTRACT + "\n- 2 authors\n\n"
            "### Tiny Critics Judge Long Answers\n![](https://cdn.example.org/x.png)\nToo short.\n")
    parsed = parse_dump("dumps/x.md", text)
    assert [e.title for e in parsed.entries] == ["Gradient Gardens: Growing Sparse Networks From Seeds"]
    assert [(d.level, d.line) for d in parsed.diagnostics] == [("error", 7), ("error", 11)]
    assert "URL" in parsed.diagnostics[0].message and "only 2 words" in parsed.diagnostics[1].message
    assert all(d.file == "dumps/x.md" and "(not published)" in d.message for d in parsed.diagnostics)


def test_a_heading_whose_link_never_closes_is_refused_not_guessed():
    text = ("# Papers\n\n### [Gradient Gardens: Growing Sparse\nNetworks From Seeds\n\n[" + ABSTRACT
            + "](https://huggingface.co/papers/2410.01234)\n\n### [Tiny Critics Judge Long Answers]"
            "(https://huggingface.co/papers/2410.05555)\n\n[" + ABSTRACT + "](https://huggingface.co/papers/2410.05555)\n")
    parsed = parse_dump("dumps/x.md", text)
    assert [e.title for e in parsed.entries] == ["Tiny Critics Judge Long Answers"]
    assert [(d.level, d.line) for d in parsed.diagnostics] == [("error", 3)]
    assert "never closes" in parsed.diagnostics[0].message


def test_a_plain_dump_with_a_wrapped_title_refuses_the_fragment():
    text = ("new\n\nSubscribe\n\nMar 12\n\nA Survey of LLM-based Multi-\n\nAgents\n\n" + ABSTRACT + "\n")
    parsed = parse_dump("dumps/x.txt", text)
    assert parsed.entries == ()
    assert [(d.level, d.line) for d in parsed.diagnostics] == [("warning", 7), ("error", 9)]


def test_a_title_wrapped_over_two_linked_heading_lines_is_one_title():
    url = "https://huggingface.co/papers/2410.01234"
    text = (f"# Papers\n\n### [Gradient Gardens: Growing Sparse]({url})\n### [Networks From Seeds]({url})\n\n"
            f"[{ABSTRACT}]({url})\n")
    parsed = parse_dump("dumps/x.md", text)
    assert [(e.title, e.line) for e in parsed.entries] == [("Gradient Gardens: Growing Sparse Networks From Seeds", 3)]
    assert parsed.diagnostics == ()


_PIECES = ["a", "an", "the", "of", "towards", "x", " ", "\t", "\n", ".", "!", ")", "]", "'", "\u201d", "\u3002",
           "://", "http", "www.", "-", ",", "[", "(", "Truncated", "content", "TRUNCATED", "é", "K", "s"]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join))
def test_the_quick_checks_find_what_the_plain_searches_find(text):
    assert junk._has_url(text) == (junk._HAS_URL.search(text) is not None)
    assert junk._ends_mid_phrase(text) == bool(junk._TRAILING_FUNCTION_WORD.search(text)
                                               or junk._TRAILING_JOINER.search(text))
    assert junk._ends_a_sentence(text) == (junk._TERMINAL.search(text) is not None)
    assert junk._says_truncated(text) == (junk._TRUNCATED.search(text) is not None)
