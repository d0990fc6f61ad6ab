import pytest
from hypothesis import given, strategies as st

from generator.normalize import SLUG_MAX_LENGTH, clean_text, paper_slug, title_key


@pytest.mark.parametrize(
    "a, b",
    [
        ("Dataset Quantization", "dataset  quantization"),
        ("I&S-ViT: Stable", "I & S ViT — stable"),
        ("Sparks of AGI!", "sparks of agi"),
        ("  Tabs\tand\nnewlines ", "tabs and newlines"),
    ],
)
def test_title_key_ignores_case_spacing_and_punctuation(a, b):
    assert title_key(a) == title_key(b)


@pytest.mark.parametrize("a, b", [("u-μP", "u-mP"), ("PanGu-π", "PanGu-p"), ("GPT 4", "GPT 40")])
def test_title_key_keeps_letters_and_digits(a, b):
    assert title_key(a) != title_key(b)


def test_plain_ascii_title_gives_its_readable_slug():
    assert paper_slug(title_key("Lossless Compression with Probabilistic Circuits")) == (
        "lossless-compression-with-probabilistic-circuits"
    )


def test_lossy_slugs_carry_a_hash_of_the_identity():
    a, b = paper_slug(title_key("u-μP: Scaling")), paper_slug(title_key("u-mP: Scaling"))
    assert a != b
    assert b == "u-mp-scaling"
    assert a.startswith("u-mp-scaling-") and len(a) == len("u-mp-scaling-") + 6


def test_long_titles_are_cut_at_a_word_and_stay_distinct():
    base = "a very long title about efficient training of large language models " * 3
    a, b = paper_slug(title_key(base + "one")), paper_slug(title_key(base + "two"))
    assert a != b
    assert len(a) <= SLUG_MAX_LENGTH + 7


@given(st.text(min_size=1, max_size=200))
def test_slug_is_a_pure_function_of_the_identity(title):
    slug = paper_slug(title_key(title))
    assert slug == paper_slug(title_key(title))
    assert slug and all(c.isascii() and (c.isalnum() or c == "-") for c in slug)


@pytest.mark.parametrize(
    "raw, shown",
    [
        (r"by 20\%-50\% less", "by 20%-50% less"),
        ("an ``open cookbook'' for", "an \u201copen cookbook\u201d for"),
        (r"we introduce \textbf{hardware and software}", "we introduce hardware and software"),
        (r'T\"ulu is', "T\u00fclu is"),
        ("Byte-~and Word-Level", "Byte- and Word-Level"),
        ("models~(LLMs)", "models (LLMs)"),
        ("base 10^{3} system", "base 10\u00b3 system"),
        ("at least 10^23 FLOPs", "at least 10\u00b2\u00b3 FLOPs"),
        (r"118\times lower", "118\u00d7 lower"),
        (r"model \& task", "model & task"),
        ("from ~100 million", "from ~100 million"),
        ("by 2.97~25.22x", "by 2.97~25.22x"),
        ("8*16B and $15 per paper", "8*16B and $15 per paper"),
        (r"we implement \proj, a", r"we implement \proj, a"),
    ],
)
def test_clean_text_resolves_only_unambiguous_latex(raw, shown):
    assert clean_text(raw) == shown
