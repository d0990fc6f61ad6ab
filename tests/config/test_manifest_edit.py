"""Adding a dump, the pure part: its name, its date, and its manifest entry written round-trip."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config.manifest_edit import (
    content_digest, date_from_line, dump_name, next_number, plan_dump, readable_slug, text_digest, with_manifest_entry,
)
from generator.ingest.digests import parse_manifest
from generator.models import InputError

from ..conftest import SEED_DUMPS

TODAY = dt.date(2026, 6, 1)


def test_the_next_number_follows_the_highest_and_keeps_its_width():
    assert next_number(["000_a.txt", "004_b.md", "notes.txt"]) == (5, 3)
    assert next_number(["0007_a.txt"]) == (8, 4)
    assert next_number([]) == (0, 3)
    assert dump_name(["000_a.txt", "009_b.txt"], "Papers - Mar 18.TXT", None, ".TXT") == "010_papers-mar-18.txt"


@pytest.mark.parametrize("source, first, slug", [
    ("efficient attention.txt", "Anything", "efficient-attention"),
    ("005_old-number.txt", None, "old-number"),
    ("5f68fdda7be0eca0.txt", "Lossless Compression with Probabilistic Circuits",
     "lossless-compression-with-probabilistic-circuits"),
    ("5f68fdda7be0eca0.txt", "Lossless Compression with Probabilistic Circuits, and Much More",
     "lossless-compression-with-probabilistic-circuits"),  # at most 48 characters, whole words
    ("untitled.md", "Q-HyViT: Post-Training Quantization", "q-hyvit-post-training-quantization"),
    ("2.txt", None, "2"),
    ("2.txt", "A Title", "a-title"),
    ("cafe.txt", "A Title", "cafe"),  # a word, though its letters are hex digits
    ("---.txt", None, "dump"),
])
def test_a_readable_name_from_the_file_or_else_the_first_title(source, first, slug):
    assert readable_slug(source, first) == slug


@pytest.mark.parametrize("line, date, year_note", [
    ("Mar 18", dt.date(2026, 3, 18), "2026 inferred"),
    ("Dec 24", dt.date(2025, 12, 24), "2025 inferred"),  # not after today: last year's
    ("Jun 1", dt.date(2026, 6, 1), "2026 inferred"),
    ("Feb 29", dt.date(2024, 2, 29), "2024 inferred"),
    ("Sep 29, 2023", dt.date(2023, 9, 29), None),
])
def test_a_date_line_gives_the_date_and_says_which_year_was_inferred(line, date, year_note):
    found, note = date_from_line(line, TODAY)
    assert found == date
    assert f"'{line}'" in note
    assert (year_note in note) if year_note else ("inferred" not in note)


def test_a_date_line_that_is_no_date_gives_none():
    assert date_from_line("Feb 30", TODAY) == (None, "its date line 'Feb 30' is not a date")


def test_the_curators_date_or_title_wins_and_no_date_at_all_is_said():
    plan = plan_dump(["000_a.txt"], "x.txt", ".txt", "T", "Mar 18", TODAY, date=dt.date(2025, 3, 18))
    assert (plan.name, plan.date, plan.notes) == ("001_x.txt", dt.date(2025, 3, 18), ("date 2025-03-18 as given",))
    plan = plan_dump([], "x.txt", ".txt", "T", None, TODAY, title="Classics")
    assert (plan.date, plan.title, plan.notes) == (None, "Classics", ())
    plan = plan_dump([], "x.txt", ".txt", "T", None, TODAY)
    assert plan.notes == ("no date: pass --date YYYY-MM-DD (or --title TITLE for an undated collection)",)


def test_the_entry_is_added_and_every_comment_and_entry_kept():
    text = (SEED_DUMPS / "manifest.yml").read_text(encoding="utf-8")
    new = with_manifest_entry("dumps/manifest.yml", text, "005_x.txt", dt.date(2025, 3, 18), None)
    assert new.startswith(text.rstrip("\n") + "\n")  # nothing before it changed, comments included
    assert new[len(text.rstrip("\n")):] == "\n  005_x.txt:\n    date: 2025-03-18\n"
    manifest = parse_manifest("dumps/manifest.yml", new)
    assert manifest.dumps["005_x.txt"].date == dt.date(2025, 3, 18)
    assert len(manifest.dumps) == 6


def test_an_empty_or_missing_manifest_gets_a_dumps_mapping():
    assert with_manifest_entry("m.yml", "", "000_a.txt", None, "A: colon") == "dumps:\n  000_a.txt:\n    title: 'A: colon'\n"
    assert with_manifest_entry("m.yml", "# only a comment\n", "000_a.txt", dt.date(2025, 1, 2), None).endswith(
        "dumps:\n  000_a.txt:\n    date: 2025-01-02\n")


@pytest.mark.parametrize("text, message", [
    ("dumps: [unclosed\n", "m.yml:2: not valid YAML"),
    ("- a list\n", "m.yml: must be a mapping with a 'dumps' key"),
    ("dumps: 3\n", "m.yml: 'dumps' must be a mapping of file names"),
])
def test_a_broken_manifest_is_an_error_naming_it(text, message):
    with pytest.raises(InputError) as caught:
        with_manifest_entry("m.yml", text, "000_a.txt", None, "T")
    assert str(caught.value) == message


names = st.from_regex(r"[0-9]{3}_[a-z][a-z0-9-]{0,12}\.(txt|md)", fullmatch=True)
dates = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(names, dates, max_size=6), names, dates)
def test_adding_an_entry_keeps_every_other_one(existing, name, date):
    text = "# comment\ndumps:\n" + "".join(f"  {n}:\n    date: {d.isoformat()}\n" for n, d in existing.items())
    manifest = parse_manifest("m.yml", with_manifest_entry("m.yml", text, name, date, None))
    assert {n: e.date for n, e in manifest.dumps.items()} == {**existing, name: date}


def test_the_same_text_has_the_same_digest_whatever_its_line_ends():
    assert text_digest("a\nb \n") == text_digest("a\nb") != text_digest("a\nc")
    assert content_digest(b"a\r\n") != content_digest(b"a\n")
