import html
import re

import markdown
import pytest
from hypothesis import given, strategies as st

from generator.markup import escape_attribute, escape_markdown

# The extensions mkdocs.yml enables, so the test renders what the site renders.
EXTENSIONS = ["toc", "tables", "attr_list", "admonition", "md_in_html"]

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


def rendered_text(fragment: str) -> str:
    """What a reader sees: Markdown rendered, tags stripped, entities decoded."""
    out = markdown.markdown(fragment, extensions=EXTENSIONS)
    assert "<script" not in out and "<img" not in out and "href" not in out
    assert "<strong>" not in out and "<em>" not in out and "<code>" not in out
    assert "<li>" not in out and "<h" not in out and "<blockquote>" not in out and "<table>" not in out
    return html.unescape(re.sub(r"<[^>]+>", "", out)).strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_text_from_a_dump_shows_as_written(text):
    assert rendered_text(str(escape_markdown(text))) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_is_inert_inside_a_link_a_heading_and_a_list(text):
    escaped = escape_markdown(text)
    for fragment in (f"# {escaped}", f"- [{escaped}](x.md)", f"| {escaped} |\n|---|\n| {escaped} |"):
        out = markdown.markdown(fragment, extensions=EXTENSIONS)
        assert "<script" not in out and "javascript:" not in out.replace("javascript&#58;", "")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=120))
def test_any_text_round_trips_through_markdown(text):
    collapsed = " ".join(text.split())
    assert rendered_text(str(escape_markdown(text))) == collapsed


def test_attribute_escaping():
    assert escape_attribute('a "b" <c> & d') == "a &quot;b&quot; &lt;c&gt; &amp; d"
