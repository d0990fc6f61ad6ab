"""Fuzzing the readers of untrusted input: dumps, the manifest, topics.yml.

Hypothesis feeds them arbitrary bytes and text, and text built from the
pieces real files are made of (so that examples get past the first check).
No exception but the project's own ``InputError`` may escape, and no text
from a dump may come out of the renderer as live markup. Bounded: a fixed
number of examples, each with a deadline.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from generator.config.topics import parse_taxonomy
from generator.enrich.curate import parse_curation
from generator.ingest.digests import build_digests, date_dumps, parse_manifest, Manifest
from generator.ingest.limits import DEFAULT_LIMITS, screen_dump
from generator.ingest.merge import merge_entries
from generator.ingest.parse import decode, parse_dump
from generator.models import InputError, Site
from generator.site.render import Renderer

from .conftest import abstract_text

BOUNDED = settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
RENDERING = settings(max_examples=15, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])

# Markup a dump might carry; each holds MARKER so that a live copy is easy to find.
MARKER = "data-fuzz"
PAYLOADS = [
    f"<script {MARKER}>alert(1)</script>",
    f'<img src=x {MARKER} onerror="alert(1)">',
    f"<a {MARKER} href='javascript:alert(1)'>x</a>",
    f"]]><b {MARKER}>",
    f'"><svg {MARKER} onload=alert(1)>',
]
DUMP_LINES = st.sampled_from([
    "", "Get trending papers in your email inbox!", "Subscribe", "Mar 12", "Feb 30", "byAK and the research community",
    "### [A Title](https://huggingface.co/papers/2403.12345)", "[57](https://huggingface.co/login)",
    "- 5 authors", "·", "Sep 29, 2023", "A Short Title About Sparse Attention", "Index", "???", "🚀🔥",
    "Atten\u200dtion\u202e Sinks\x1b[31m", abstract_text("fuzz"), "[" + abstract_text("link") + "](https://x.org)",
    *PAYLOADS,
]) | st.text(max_size=80)
DUMP_TEXT = st.lists(DUMP_LINES, max_size=40).map("\n".join)

YAML_PIECES = st.sampled_from([
    "dumps:", "year: 2025", "  a.txt:", "    date: 2025-03-12", "    date: 2025-02-30", "    title: Index",
    "    date: !foo 2025-03-12", "  <<: {date: 2025-03-12}", "x: &a [1, 2]", "y: *a", "\t- tab", "[", "{", "- -",
    "!!python/name:os.system", "topics:", "  - slug: x", "    name: X", "    description: A topic.",
    "    include:", "      - regex: '(a+)+b'", "      - regex: '(a)\\1'", "      - phrase: sparse attention",
    "      - weight: 99", "    exclude: [x]", "  note: <script>alert(1)</script>", "  featured: yes",
]) | st.text(max_size=40)
YAML_TEXT = st.lists(YAML_PIECES, max_size=25).map("\n".join)


@BOUNDED
@given(st.binary(max_size=3000))
def test_decode_and_parse_take_any_bytes(data):
    text, problems = decode("dumps/x.txt", data)
    assert all(p.file == "dumps/x.txt" for p in problems)
    if text is not None:
        parsed = screen_dump(parse_dump("dumps/x.txt", text), DEFAULT_LIMITS)
        assert all(e.file == "dumps/x.txt" and e.line >= 1 for e in parsed.entries)


@BOUNDED
@given(DUMP_TEXT | st.text(max_size=3000))
def test_parse_takes_any_text(text):
    parsed = screen_dump(parse_dump("dumps/x.md", text), DEFAULT_LIMITS)
    for entry in parsed.entries:
        assert entry.title.strip() and entry.abstract.strip()
        assert "\x1b" not in entry.title and "\u202e" not in entry.title


def _only_input_errors(read, *args):
    try:
        read(*args)
    except InputError as error:
        assert error.diagnostic.file == args[0] and error.diagnostic.level == "error"


@BOUNDED
@given(YAML_TEXT | st.text(max_size=500))
def test_the_manifest_reader_raises_only_input_errors(text):
    _only_input_errors(parse_manifest, "dumps/manifest.yml", text)


@BOUNDED
@given(YAML_TEXT | st.text(max_size=500))
def test_the_topics_reader_raises_only_input_errors(text):
    _only_input_errors(parse_taxonomy, "topics.yml", text)


@BOUNDED
@given(YAML_TEXT | st.text(max_size=500))
def test_the_curation_reader_raises_only_input_errors(text):
    _only_input_errors(parse_curation, "curation.yml", text, ["x"])


@RENDERING
@given(st.lists(DUMP_TEXT, min_size=1, max_size=3))
def test_no_dump_text_is_ever_live_markup(dumps):
    parsed = [screen_dump(parse_dump(f"dumps/{i:03}.md", text), DEFAULT_LIMITS) for i, text in enumerate(dumps)]
    infos, _ = date_dumps(parsed, Manifest("dumps/manifest.yml"), fallback_year=2025)
    try:
        papers, _ = merge_entries(e for p in parsed for e in p.entries)
    except InputError:
        return  # two papers would share a URL: refused with file:line, which is safe
    site = Site(papers=papers, digests=build_digests(infos, papers), topics=(), assignments={})
    pages = Renderer().build(site, site_name="Fuzz", site_url="https://example.org/")
    for uri, page in pages.items():
        if uri.endswith(".json"):
            continue  # data, not a page: JSON carries the text as written, for programs to escape
        for payload in PAYLOADS:
            live = payload.split(MARKER)[0] + MARKER
            assert live not in page, (uri, payload)
