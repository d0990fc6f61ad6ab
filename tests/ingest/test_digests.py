import datetime as dt

import pytest

from generator.ingest.digests import build_digests, date_dumps, month_day, parse_manifest
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


def test_month_day():
    assert month_day("Mar 12") == (3, 12)
    assert month_day("September 3") == (9, 3)
    assert month_day("Foo 12") is None and month_day("Subscribe") is None


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
