import pytest
import hashlib
import re
import unicodedata

from hypothesis import example, given, strategies as st
from slugify import slugify

from generator.ingest.normalize import RESERVED_SLUGS, SLUG_MAX_LENGTH, clean_text, collapse_whitespace, paper_slug, title_key


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


# title_key and paper_slug take shortcuts past slugify; these hold them to what
# slugify itself says, since keys and slugs must never change.
_ASCII_TITLES = st.text(alphabet=st.sampled_from(" \t-_.,:;'&#x09aZ&amp;!?()"), max_size=60) | st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=120
)


@given(_ASCII_TITLES | st.text(max_size=60))
@example("1,000 and 1',2 and a,b")
@example("I&amp;S &#39;ViT&#x27;")
@example("snake_case__title")
def test_title_key_is_slugify(title):
    # Invisible format characters (Cf) are dropped first: they must not make a second paper.
    visible = "".join(c for c in title if unicodedata.category(c) != "Cf")
    assert title_key.__wrapped__(title) == slugify(visible, allow_unicode=True, separator=" ")


def _slug_by_slugify(key: str) -> str:
    full = slugify(key)
    short = slugify(key, max_length=SLUG_MAX_LENGTH, word_boundary=True)
    # An empty slug, or one of the site's own names, is hashed like a lossy one.
    if short == full and full == key.replace(" ", "-") and full and full not in RESERVED_SLUGS:
        return short
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:6]
    return f"{short}-{digest}" if short else f"paper-{digest}"


_WORDS = st.sampled_from(["a", "bb", "model", "transformers", "x" * 30, "y" * 79, "z" * 81, "μp", "2,3"])


@given(st.lists(_WORDS, max_size=12).map(" ".join) | _ASCII_TITLES | st.text(max_size=90))
@example("")
@example("a  b")
def test_paper_slug_is_slugify(key):
    assert paper_slug.__wrapped__(key) == _slug_by_slugify(key)
    assert paper_slug.__wrapped__(title_key(key)) == _slug_by_slugify(title_key(key))


@given(st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\u200bab"), max_size=30))
def test_collapse_whitespace_is_the_regex(text):
    assert collapse_whitespace(text) == re.sub(r"\s+", " ", text).strip()


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
