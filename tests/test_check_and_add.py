"""`check PATH...` on any file and `add FILE`: what the curator runs when a new page is saved."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.cli import main, problem_summary
from generator.dev.dumpwriter import format_dump
from generator.models import Diagnostic

from .conftest import DUMP_FIXTURES, GOOD_DUMP, make_project

MANIFEST = "# The curator's notes stay.\ndumps:\n  000_good.txt:\n    date: 2025-03-14  # from the page\n"
ABSTRACT = ("We study a problem that matters {} a great deal to practitioners. Our method improves on the strong "
            "baseline by a wide margin on every benchmark we tried, and the code is released for everyone to use.")


def fresh(n: int, start: int = 0) -> list[tuple[str, str]]:
    return [(f"Frugal Widgets {i}: Sparse Routing for Tiny Accelerators", ABSTRACT.format(i))
            for i in range(start, start + n)]


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "p", {"000_good.txt": GOOD_DUMP}, MANIFEST)


def incoming(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "saved" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("make, message", [
    (lambda p: p / "dumps" / "does_not_exist.md", "{}: no such file"),
    (lambda p: p / "dumps", "{}: a folder, not a dump file; name the files in it"),
    (lambda p: p / "mkdocs.yml", "{}: not a dump: the build reads only .txt and .md files, so it would ignore this one"),
    (lambda p: p / "dumps" / "manifest.yml",
     "{}: not a dump: the build reads only .txt and .md files, so it would ignore this one"),
])
def test_a_path_that_is_no_dump_is_an_error_naming_it(project, capsys, make, message):
    path = str(make(project))
    assert main(["--root", str(project), "check", path]) == 1
    assert main(["--root", str(project), "add", path]) == 1
    err = capsys.readouterr().err
    assert err.count(f"error: {message.format(path)}\n") == 2


def test_a_file_outside_dumps_is_checked_as_if_added(project, tmp_path, capsys):
    saved = incoming(tmp_path, "Picks of the Week.txt", format_dump("spaced", fresh(3), date_text="Sep 29, 2023"))
    assert main(["--root", str(project), "check", str(saved)]) == 0
    out = capsys.readouterr().out
    assert f"{saved.as_posix()}: spaced, 2023-09-29, 3 papers, 0 also in other dumps or repeated\n" in out
    assert "  not in dumps/ yet: `python -m generator add` would copy it to dumps/001_picks-of-the-week.txt\n" in out
    assert "  note: date 2023-09-29 from its date line 'Sep 29, 2023'\n" in out
    assert "59 papers from 59 entries; 2 digests" in out
    assert sorted(p.name for p in (project / "dumps").iterdir()) == ["000_good.txt", "manifest.yml"]


def test_check_of_a_copy_of_a_dump_says_add_would_refuse_it(project, tmp_path, capsys):
    saved = incoming(tmp_path, "again.txt", GOOD_DUMP.decode("utf-8").replace("\n", "\r\n"))
    assert main(["--root", str(project), "check", str(saved)]) == 1
    out = capsys.readouterr().out
    assert f"  error: {saved.as_posix()}: the same content as dumps/000_good.txt; add would refuse it\n" in out
    assert out.endswith("\n1 error(s), 0 warning(s)\n")


def test_add_copies_the_file_writes_its_entry_and_prints_the_check_report(project, tmp_path, capsys):
    saved = incoming(tmp_path, "5f68fdda7be0eca0.md", format_dump("markdown", fresh(2), date_text="Mar 18"))
    assert main(["--root", str(project), "add", str(saved)]) == 0
    out = capsys.readouterr().out
    name = "001_frugal-widgets-0-sparse-routing-for-tiny.md"
    assert (project / "dumps" / name).read_bytes() == saved.read_bytes()
    year = dt.date.today().year - ((3, 18) > (dt.date.today().month, dt.date.today().day))
    assert out.startswith(
        f"added {saved} as dumps/{name}\n"
        f"  date {year}-03-18 from its date line 'Mar 18', which has no year: {year} inferred "
        f"(the latest Mar 18 not after today); pass --date to change it\n"
        f"  dumps/manifest.yml: {name}: {{date: {year}-03-18}}\n\n"
        f"dumps/{name}: markdown, {year}-03-18, 2 papers, 0 also in other dumps or repeated\n")
    assert (project / "dumps" / "manifest.yml").read_text(encoding="utf-8") == (
        MANIFEST + f"  {name}:\n    date: {year}-03-18\n")
    assert out.endswith("\n0 error(s), 0 warning(s)\n")


def test_add_takes_the_curators_date_or_title(project, tmp_path, capsys):
    dated = incoming(tmp_path, "a.txt", format_dump("glued", fresh(2), date_text="Mar 18"))
    undated = incoming(tmp_path, "b.txt", format_dump("glued", fresh(2, start=5)))
    assert main(["--root", str(project), "add", str(dated), "--date", "2025-03-19"]) == 0
    assert main(["--root", str(project), "add", str(undated), "--title", "Classics: the old ones"]) == 0
    out = capsys.readouterr().out
    assert "dumps/001_a.txt: glued, 2025-03-19, 2 papers" in out
    assert "  warning: dumps/001_a.txt:4: says 'Mar 18' but dumps/manifest.yml dates it 2025-03-19; using the manifest" in out
    assert "dumps/002_b.txt: glued, undated \u2014 Classics: the old ones, 2 papers" in out
    manifest = (project / "dumps" / "manifest.yml").read_text(encoding="utf-8")
    assert manifest.endswith("  001_a.txt:\n    date: 2025-03-19\n  002_b.txt:\n    title: 'Classics: the old ones'\n")


@pytest.mark.parametrize("setup, message", [
    (lambda t: incoming(t, "x.txt", GOOD_DUMP.decode("utf-8")), "{}: the same content as dumps/000_good.txt"),
    (lambda t: incoming(t, "x.txt", format_dump("spaced", fresh(2))),
     "{}: has no date line: pass --date YYYY-MM-DD, or --title TITLE for an undated collection"),
    (lambda t: incoming(t, "x.txt", (DUMP_FIXTURES / "unknown_prose.txt").read_text(encoding="utf-8")), None),
])
def test_add_refuses_and_changes_nothing(project, tmp_path, capsys, setup, message):
    saved = setup(tmp_path)
    before = {p.name: p.read_bytes() for p in (project / "dumps").iterdir()}
    assert main(["--root", str(project), "add", str(saved)]) == 1
    err = capsys.readouterr().err
    assert err.endswith(f"error: {saved} was not added\n")
    if message:
        assert f"error: {message.format(saved)}\n" in err
    else:
        assert re.match(rf"error: {re.escape(saved.as_posix())}(:\d+)?: ", err)
    assert {p.name: p.read_bytes() for p in (project / "dumps").iterdir()} == before


def test_add_writes_nothing_when_the_manifest_is_wrong(project, tmp_path, capsys):
    (project / "dumps" / "manifest.yml").write_text(MANIFEST + "  other.txt:\n    dat: 2025-03-14\n")
    saved = incoming(tmp_path, "x.txt", format_dump("spaced", fresh(2), date_text="Mar 18"))
    before = {p.name: p.read_bytes() for p in (project / "dumps").iterdir()}
    assert main(["--root", str(project), "add", str(saved)]) == 1
    assert capsys.readouterr().err == "error: dumps/manifest.yml:6: unknown key 'dat'; allowed: date, title\n"
    assert {p.name: p.read_bytes() for p in (project / "dumps").iterdir()} == before


def test_add_refuses_a_file_already_in_dumps(project, capsys):
    path = str(project / "dumps" / "000_good.txt")
    assert main(["--root", str(project), "add", path]) == 1
    assert f"error: {path} is in dumps/ already; check it with `python -m generator check {path}`" in \
        capsys.readouterr().err


def test_the_summary_counts_every_problem_past_the_listing_cap(project, tmp_path, capsys):
    blocks = format_dump("spaced", fresh(300), date_text="Mar 20").split("\n\n")
    header, pairs = blocks[:5], blocks[5:]
    # The first 250 titles lose their abstracts: 250 problems, 200 of them listed.
    text = "\n\n".join(header + [b for i, b in enumerate(pairs) if not (i % 2 and i < 500)])
    saved = incoming(tmp_path, "many.txt", text)
    assert main(["--root", str(project), "check", str(saved)]) == 0
    out = capsys.readouterr().out
    assert f"  warning: {saved.as_posix()}: 50 more problems like these not listed\n" in out
    assert out.endswith("\n0 error(s), 250 warning(s) (200 listed, 250 in all)\n")


def test_the_summary_without_a_cap_is_plain():
    problems = (Diagnostic("error", "x", "f", 1), Diagnostic("warning", "y", "f", 2))
    assert problem_summary(problems) == "1 error(s), 1 warning(s)"


def test_the_readme_names_the_file_add_would_write():
    from generator.config.manifest_edit import dump_name

    from .conftest import ROOT, SEED_DUMPS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    source = re.search(r"^ +\.venv/bin/python -m generator add (\S+)$", readme, re.M).group(1)
    named = re.search(r"name \(`(\d+_[^`]+)`", readme).group(1)
    seed = sorted(p.name for p in SEED_DUMPS.glob("*.txt"))  # the five dumps the README's numbering follows
    assert dump_name(seed, source, "Some First Title", Path(source).suffix) == named
    assert f"generator check dumps/{named}" in readme
