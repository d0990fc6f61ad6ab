"""The real titles and abstracts of dumps/, written in every shape, read back exactly.

Real text has what generated text rarely has: titles starting with ``[CLS]``,
abstracts ending in a URL that a hard wrap puts on its own line. Expectations
come from the dumps themselves; no count is pinned.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.dev.dumpwriter import LAYOUTS, DumpPaper, format_dump
from generator.ingest.parse import parse_dump

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def real_papers() -> list[DumpPaper]:
    entries = [e for f in sorted((ROOT / "dumps").glob("*.txt")) for e in parse_dump(f.name, f.read_text("utf-8")).entries]
    assert entries
    return [DumpPaper(e.title, e.abstract, f"2501.{10000 + i:05d}", i, "Feb 27, 2025", 1 + i % 9)
            for i, e in enumerate(entries)]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_real_text_survives_the_shape(layout, real_papers):
    parsed = parse_dump("dumps/x.md", format_dump(layout, real_papers, "Mar 12", extras=True, line_breaks=True))
    assert parsed.diagnostics == ()
    assert [(e.title, e.abstract) for e in parsed.entries] == [(p.title, p.abstract) for p in real_papers]
