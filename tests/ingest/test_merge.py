import pytest
from hypothesis import given, strategies as st

from generator.ingest.merge import merge_entries
from generator.models import Entry, InputError


def entry(title, abstract="An abstract.", file="dumps/a.txt", line=1, **extra):
    return Entry(title=title, abstract=abstract, file=file, line=line, position=line, **extra)


def test_same_title_in_two_dumps_is_one_paper_listing_both():
    papers, warnings = merge_entries([
        entry("Dataset Quantization", file="dumps/a.txt", line=3),
        entry("dataset  quantization.", file="dumps/b.txt", line=9),
    ])
    assert len(papers) == 1 and not warnings
    assert [(e.file, e.line) for e in papers[0].entries] == [("dumps/a.txt", 3), ("dumps/b.txt", 9)]
    assert papers[0].slug == "dataset-quantization"


def test_different_abstracts_keep_the_longest_and_warn_with_both_places():
    papers, warnings = merge_entries([
        entry("X", "Short.", file="dumps/a.txt", line=3),
        entry("X", "A much longer abstract.", file="dumps/b.txt", line=5),
    ])
    assert papers[0].abstract == "A much longer abstract."
    assert len(warnings) == 1
    assert warnings[0].file == "dumps/a.txt" and warnings[0].line == 3
    assert "dumps/b.txt:5" in warnings[0].message


def test_arxiv_id_joins_a_paper_whose_title_changed_and_keeps_its_url():
    before, _ = merge_entries([entry("Old Title", file="dumps/a.txt")])
    after, _ = merge_entries([
        entry("Old Title", file="dumps/a.txt"),
        entry("Old title", file="dumps/b.txt", arxiv_id="2309.17453"),
        entry("New Title v2", file="dumps/c.txt", arxiv_id="2309.17453"),
    ])
    assert len(after) == 1
    assert after[0].arxiv_id == "2309.17453"
    assert after[0].slug == before[0].slug


def test_whitespace_only_abstract_differences_do_not_warn():
    _, warnings = merge_entries([entry("X", "a  b"), entry("X", "a b", file="dumps/b.txt")])
    assert warnings == ()


def test_slug_collision_is_an_error_not_an_overwrite(monkeypatch):
    monkeypatch.setattr("generator.ingest.merge.paper_slug", lambda key: "same")
    with pytest.raises(InputError, match="papers/same/"):
        merge_entries([entry("One"), entry("Two", line=2)])


titles = st.sampled_from(["Alpha", "alpha!", "Beta Gamma", "beta  gamma", "Delta", "Épsilon", "u-μP", "u-mP"])
entries = st.lists(
    st.builds(
        entry,
        title=titles,
        abstract=st.sampled_from(["One.", "Two words.", "Three words here."]),
        file=st.sampled_from(["dumps/a.txt", "dumps/b.txt"]),
        line=st.integers(1, 50),
        arxiv_id=st.sampled_from([None, None, "2401.00001", "2401.00002"]),
    ),
    max_size=12,
    unique_by=lambda e: (e.file, e.line),
)


@given(entries, st.randoms(use_true_random=False))
def test_merge_is_order_independent(items, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert merge_entries(items) == merge_entries(shuffled)


@given(entries)
def test_every_entry_lands_in_exactly_one_paper(items):
    papers, _ = merge_entries(items)
    placed = [e for p in papers for e in p.entries]
    assert sorted(placed, key=lambda e: (e.file, e.line)) == sorted(items, key=lambda e: (e.file, e.line))
    assert len({p.slug for p in papers}) == len(papers)


@given(entries)
def test_merging_is_idempotent(items):
    papers, _ = merge_entries(items)
    again, _ = merge_entries([e for p in papers for e in p.entries])
    assert again == papers


@given(entries, entries)
def test_a_paper_keeps_its_slug_when_other_dumps_arrive(first, more):
    more = [e for e in more if (e.file, e.line) not in {(f.file, f.line) for f in first}]
    before = {p.key: p.slug for p in merge_entries(first)[0] if not any(e.arxiv_id for e in p.entries)}
    after = {p.key: p.slug for p in merge_entries(first + more)[0]}
    for key, slug in before.items():
        if key in after:
            assert after[key] == slug
