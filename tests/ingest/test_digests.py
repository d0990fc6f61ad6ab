import datetime as dt

import pytest

from generator.ingest.digests import build_digests, date_dumps, parse_manifest
from generator.ingest.merge import merge_entries
from generator.models import Entry, InputError, ParsedDump


def dump(name, titles, date_text="Mar 12"):
    file = f"dumps/{name}"
    entries = tuple(Entry(t, f"About {t}.", file, 10 + 2 * i, i) for i, t in enumerate(titles))
    return ParsedDump(file=file, layout="spaced", entries=entries, date_text=date_text, date_line=9 if date_text else None)


MANIFEST = """\
dumps:
  001.txt: {date: 2025-03-11}
  000.txt: {date: 2025-03-12}
  002.txt: {date: 2025-03-14}
  003.txt: {date: 2025-03-14, title: Fourteenth}
  004.txt: {title: Classics}
"""


def test_manifest_dates_and_titles():
    manifest = parse_manifest("dumps/manifest.yml", MANIFEST)
    assert manifest.dumps["001.txt"].date == dt.date(2025, 3, 11)
    assert manifest.dumps["004.txt"].title == "Classics" and manifest.dumps["004.txt"].date is None


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("dumps:\n  a.txt:\n    dat: 2025-01-01\n", 3, "unknown key 'dat'"),
        ("dumps:\n  a.txt:\n    date: 2025-13-01\n", 3, "YYYY-MM-DD"),
        ("year: soon\n", 1, "whole number"),
        ("dumps: [\n", 2, "not valid YAML"),
        ("dumps:\n  a.txt: {}\n  a.txt: {}\n", 3, "given twice"),
    ],
)
def test_manifest_errors_name_file_and_line(text, line, message):
    with pytest.raises(InputError) as caught:
        parse_manifest("dumps/manifest.yml", text)
    assert caught.value.diagnostic.file == "dumps/manifest.yml"
    assert caught.value.diagnostic.line == line
    assert message in caught.value.diagnostic.message


def test_a_dump_whose_date_line_has_a_year_needs_no_manifest_entry():
    infos, warnings = date_dumps([dump("009.txt", ["X"], "Sep 29, 2023")], parse_manifest("m.yml", ""), 2031)
    assert infos[0].date == dt.date(2023, 9, 29) and warnings == ()
    papers, _ = merge_entries(infos[0].parsed.entries)
    assert [d.id for d in build_digests(infos, papers)] == ["2023-09-29"]


def test_a_year_in_the_date_line_that_disagrees_with_the_manifest_is_a_warning():
    manifest = parse_manifest("m.yml", "dumps:\n  009.txt: {date: 2024-09-29}\n")
    infos, warnings = date_dumps([dump("009.txt", ["X"], "Sep 29, 2023")], manifest, 2031)
    assert infos[0].date == dt.date(2024, 9, 29)
    assert [w.message for w in warnings] == ["says 'Sep 29, 2023' but m.yml dates it 2024-09-29; using the manifest"]


@pytest.mark.parametrize("date_text", ["12 March", "March 12", "Mar. 12"])
def test_every_date_shape_dates_a_dump(date_text):
    infos, _ = date_dumps([dump("009.txt", ["X"], date_text)], parse_manifest("m.yml", "year: 2024\n"), 2031)
    assert infos[0].date == dt.date(2024, 3, 12)


def test_feb_29_without_a_year_in_a_common_year_is_not_a_date():
    infos, warnings = date_dumps([dump("009.txt", ["X"], "Feb 29")], parse_manifest("m.yml", "year: 2025\n"), 2031)
    assert infos[0].date is None
    assert "'Feb 29' is not a date" in warnings[0].message


def test_same_date_dumps_form_one_digest_in_file_order_and_undated_ones_follow():
    dumps = [
        dump("003.txt", ["C", "Shared"], "Mar 14"),
        dump("002.txt", ["A", "B"], "Mar 14"),
        dump("000.txt", ["Shared", "D"], "Mar 12"),
        dump("001.txt", ["E"], "Mar 11"),
        dump("004.txt", ["F"], None),
    ]
    infos, warnings = date_dumps(dumps, parse_manifest("m.yml", MANIFEST), fallback_year=2099)
    assert warnings == ()
    papers, _ = merge_entries([e for d in dumps for e in d.entries])
    digests = build_digests(infos, papers)
    assert [d.id for d in digests] == ["2025-03-14", "2025-03-12", "2025-03-11", "classics"]
    assert digests[0].title == "Fourteenth"
    assert digests[1].title == "12 March 2025"
    assert digests[0].files == ("dumps/002.txt", "dumps/003.txt")
    assert digests[0].paper_keys == ("a", "b", "c", "shared")
    assert digests[-1].date is None and digests[-1].title == "Classics"


def test_missing_year_is_inferred_from_the_manifest_and_warned():
    infos, warnings = date_dumps([dump("009.txt", ["X"], "Apr 2")], parse_manifest("m.yml", MANIFEST), 2099)
    assert infos[0].date == dt.date(2025, 4, 2)
    own = [w for w in warnings if w.file == "dumps/009.txt"]
    assert len(own) == 1 and "no year" in own[0].message and own[0].line == 9


def test_fallback_year_when_the_manifest_gives_none():
    infos, warnings = date_dumps([dump("009.txt", ["X"], "Apr 2")], parse_manifest("m.yml", ""), 2031)
    assert infos[0].date == dt.date(2031, 4, 2) and warnings


def test_undated_untitled_dump_is_listed_with_a_warning():
    infos, warnings = date_dumps([dump("009.txt", ["X"], None)], parse_manifest("m.yml", ""), 2031)
    papers, _ = merge_entries(infos[0].parsed.entries)
    digests = build_digests(infos, papers)
    assert [d.id for d in digests] == ["009"] and digests[0].paper_keys == ("x",)
    assert "undated collection" in warnings[0].message


def test_manifest_and_dump_disagreeing_is_a_warning():
    _, warnings = date_dumps([dump("000.txt", ["X"], "Mar 13")], parse_manifest("m.yml", MANIFEST), 2099)
    assert any("says 'Mar 13'" in w.message for w in warnings)


def test_manifest_naming_a_missing_dump_is_a_warning():
    _, warnings = date_dumps([], parse_manifest("m.yml", MANIFEST), 2099)
    assert len(warnings) == 5 and all(w.file == "m.yml" for w in warnings)
