"""Pagefind's filter index in a fixed order: the same pages give the same search files."""

from __future__ import annotations

import gzip
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.mkdocs.pagefind_files import ENTRY, SIGNATURE, UnknownFormat, decode, encode, stable_files
from generator.mkdocs.search_index import SearchIndex

from ..conftest import folder_bytes

PAPER = """<!doctype html><html lang="en"><head></head><body><div data-pagefind-body>
<h1>{title}</h1><p>{title} is about sparse experts.</p>
<p hidden>{filters}</p></div></body></html>"""


def pagefind_like(filters: dict[str, list[tuple[str, list[int]]]], rng: random.Random) -> dict[str, bytes]:
    """Files as Pagefind writes them, with its hash-map order: each filter's values, and
    the metadata's list of filter files, shuffled."""
    files, listed = {}, []
    for number, (name, values) in enumerate(filters.items()):
        shuffled = [[value, pages] for value, pages in values]
        rng.shuffle(shuffled)
        data = encode([name, shuffled])
        path_name = f"en_{rng.getrandbits(28):07x}"
        files[f"filter/{path_name}.pf_filter"] = data
        listed.append([name, path_name])
    rng.shuffle(listed)
    meta = encode(["1.5.2", [["en_0000001", 12]], [["a", "z", "en_0000002"]], listed, [], ["title"]])
    files["pagefind.en_0123456789.pf_meta"] = meta
    files[ENTRY] = json.dumps({"version": "1.5.2", "languages": {"en": {
        "hash": "en_0123456789", "wasm": "en", "page_count": 12}}}).encode()
    files["index/en_0000002.pf_index"] = b"word index, untouched"
    return files


FILTERS = st.dictionaries(
    st.sampled_from(["topic", "digest", "year"]),
    st.dictionaries(st.text(min_size=1, max_size=12), st.lists(st.integers(0, 5000), max_size=6),
                    min_size=1, max_size=8).map(lambda values: sorted(values.items())),
    min_size=1)


@settings(max_examples=60, deadline=None)
@given(FILTERS, st.integers(0, 2**32), st.integers(0, 2**32))
def test_any_order_pagefind_writes_gives_the_same_files(filters, seed_a, seed_b):
    a = stable_files(pagefind_like(filters, random.Random(seed_a)))
    b = stable_files(pagefind_like(filters, random.Random(seed_b)))
    assert a == b


@settings(max_examples=40, deadline=None)
@given(FILTERS, st.integers(0, 2**32))
def test_the_files_say_the_same_and_name_each_other(filters, seed):
    files = stable_files(pagefind_like(filters, random.Random(seed)))
    entry = json.loads(files[ENTRY])
    meta = decode(files[f"pagefind.{entry['languages']['en']['hash']}.pf_meta"])
    assert [name for name, _ in meta[3]] == sorted(filters)
    for name, file in meta[3]:
        stored_name, values = decode(files[f"filter/{file}.pf_filter"])
        assert stored_name == name
        assert {value: pages for value, pages in values} == dict(filters[name])
        assert [value for value, _ in values] == sorted(value for value, _ in values)
    assert files["index/en_0000002.pf_index"] == b"word index, untouched"
    assert len(files) == len(filters) + 3
    # Deterministic gzip: no timestamp in the header.
    assert all(data[4:8] == b"\0\0\0\0" for path, data in files.items() if path.endswith((".pf_filter", ".pf_meta")))


@pytest.mark.parametrize("data", [b"not gzip", gzip.compress(b"no signature"),
                                  gzip.compress(SIGNATURE + b"\xff\xff"), gzip.compress(SIGNATURE)[:-4]])
def test_a_file_pagefind_did_not_write_this_way_is_refused_not_passed_on(data):
    with pytest.raises(UnknownFormat):
        stable_files({"filter/en_1234567.pf_filter": data})


def test_a_filter_file_of_another_shape_is_refused():
    with pytest.raises(UnknownFormat):
        stable_files({"filter/en_1234567.pf_filter": encode({"topic": ["Quantization"]})})


def test_real_pagefind_writes_the_same_index_twice(tmp_path):
    """Many filter values, so that Pagefind's own order would differ between the two runs."""
    topics = [f"Topic {n}" for n in range(40)]
    sites = []
    for run in ("one", "two"):
        index = SearchIndex(tmp_path / run / "pagefind")
        for n in range(80):
            filters = "".join(f'<span data-pagefind-filter="topic">{t}</span>' for t in topics[n % 40:n % 40 + 3])
            index.add(f"papers/p{n}/index.html", PAPER.format(title=f"Paper {n}", filters=filters))
        assert index.finish() == "80 pages indexed (en) into pagefind/"
        sites.append(folder_bytes(tmp_path / run))
    assert sites[0] == sites[1]
    filter_file = next(path for path in sites[0] if path.endswith(".pf_filter"))
    name, values = decode(sites[0][filter_file])
    assert name == "topic" and [value for value, _ in values] == sorted(topics)


def test_a_page_named_like_an_old_filter_file_keeps_its_name():
    files = pagefind_like({"topic": [("Quantization", [0])]}, random.Random(1))
    old = next(path for path in files if path.startswith("filter/"))[len("filter/"):-len(".pf_filter")]
    meta_path = "pagefind.en_0123456789.pf_meta"
    meta = decode(files[meta_path])
    meta[1] = [[old, 12]]  # a fragment whose hash happens to be the filter file's
    files[meta_path] = encode(meta)
    stable = stable_files(files)
    entry = json.loads(stable[ENTRY])
    new_meta = decode(stable[f"pagefind.{entry['languages']['en']['hash']}.pf_meta"])
    assert new_meta[1] == [[old, 12]]
    assert new_meta[3][0][1] != old and f"filter/{new_meta[3][0][1]}.pf_filter" in stable
