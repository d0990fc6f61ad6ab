import html
import re

import pytest
from hypothesis import given, strategies as st

from generator.site.markup import escape_attribute, escape_text, note_html

from ..conftest import site_markdown

# An exported page is Markdown, and must read the same through the site's
# extensions as the HTML the site serves.
SITE_MARKDOWN = site_markdown()

HOSTILE = [
    "<kernel> + <programming model> + <optional hints>",
    "[CLS] Token Tells Everything",
    "8*16B and such as F*.",
    "$15 per paper and $4 trillion/year",
    "I&S-ViT, Python & C#, (<5M)",
    "* The GPT-2 architecture, with rotary embedding",
    "#InsTag: tags",
    "1. First",
    "- a list?",
    "+ plus",
    "> quote",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1))",
    "a | b | c",
    "`code` and ``more``",
    "**bold** __under__ _em_",
    "![img](http://x/y.png)",
    "<http://example.com>",
    "&amp; &lt; &#42;",
    "{: .class } text {#id}",
    "==mark== ^^ins^^ ~~del~~ :smile:",
    "back\\slash\\*",
]


def visible_text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags stripped, entities decoded."""
    assert "<script" not in fragment and "<img" not in fragment and "href" not in fragment
    assert "<strong>" not in fragment and "<em>" not in fragment and "<code>" not in fragment
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def through_markdown(fragment: str) -> str:
    return SITE_MARKDOWN.reset().convert(fragment)


@pytest.mark.parametrize("text", HOSTILE)
def test_text_from_a_dump_shows_as_written(text):
    page = f"<p>{escape_text(text)}</p>"
    assert visible_text(page) == text
    # ...and it stays inert HTML when the exported page is read as Markdown.
    assert through_markdown(page) == page


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_is_inert_inside_a_link_a_heading_and_a_list(text):
    escaped = escape_text(text)
    for fragment in (f"<h1>{escaped}</h1>", f'<ul>\n<li><a href="x/">{escaped}</a></li>\n</ul>',
                     f"<table>\n<tr><td>{escaped}</td></tr>\n</table>"):
        out = through_markdown(fragment)
        assert out == fragment
        assert "<script" not in out and 'href="javascript' not in out


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=120))
def test_any_text_round_trips(text):
    collapsed = " ".join(text.split())
    page = f"<p>{escape_text(text)}</p>"
    assert visible_text(page) == collapsed
    assert "\n" not in page
    assert through_markdown(page) == page


def test_a_curators_note_is_markdown():
    assert note_html("A **good** entry point") == "<p>A <strong>good</strong> entry point</p>"


def test_attribute_escaping():
    assert escape_attribute('a "b" <c> & d') == "a &quot;b&quot; &lt;c&gt; &amp; d"


def test_compact_html_drops_indentation_but_not_preformatted_text():
    from generator.site.markup import compact_html

    page = "<div>\n    <p>a\n\n      b</p>\n  <pre>  x\n\n    y</pre>\n<TEXTAREA>\n  z</TEXTAREA>\n  </div>"
    assert compact_html(page) == "<div>\n<p>a\nb</p>\n<pre>  x\n\n    y</pre>\n<TEXTAREA>\n  z</TEXTAREA>\n</div>"


@given(st.text(alphabet=" \n\tab<>/pre", max_size=80))
def test_compact_html_keeps_every_word_and_some_whitespace_between(text):
    from generator.site.markup import compact_html

    assert compact_html(text).split() == text.split()


def test_distinct_words_keeps_each_word_once_in_order():
    from generator.site.markup import distinct_words

    text = "The model (a 4-bit model) beats the baseline; THE end."
    assert distinct_words(text) == "the model (a 4-bit model) beats baseline; end."


@given(st.text(max_size=200))
def test_distinct_words_loses_no_word(text):
    from generator.site.markup import distinct_words

    assert set(distinct_words(text).split()) == set(text.lower().split())
