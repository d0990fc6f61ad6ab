"""Digest pages: grouping by strongest topic, the "new" mark only where it says
something, and the cadence the home page states."""

from __future__ import annotations

import datetime as dt

from generator.models import Assignment, Digest, Entry, Paper, Site, Topic
from generator.site.index import index_site
from generator.site.pages import paper_neighbours


def paper(key: str) -> Paper:
    entry = Entry(title=key, abstract="x", file="dumps/a.txt", line=1, position=0)
    return Paper(key=key, slug=key, title=key, abstract="x", entries=(entry,))


def digest(day: int | None, keys: str) -> Digest:
    date = dt.date(2025, 3, day) if day else None
    return Digest(id=f"d{day}", title=f"D{day}", date=date, files=(), paper_keys=tuple(keys))


def site(digests, assignments) -> Site:
    keys = sorted({k for d in digests for k in d.paper_keys})
    topics = (Topic("t1", "One", ""), Topic("t2", "Two", ""))
    return Site(papers=tuple(paper(k) for k in keys), digests=tuple(digests), topics=topics,
                assignments={k: tuple(Assignment(t, 1.0, ()) for t in ts) for k, ts in assignments.items()})


def test_papers_group_under_their_strongest_topic_largest_first_unsorted_last():
    view = index_site(site([digest(14, "abcde")], {"a": ["t1"], "b": ["t2", "t1"], "c": ["t2"], "d": []}))
    assert view.digest_sections(view.site.digests[0]) == [("t2", ["b", "c"]), ("t1", ["a"]), (None, ["d", "e"])]
    assert view.reading_order(view.site.digests[0]) == ["b", "c", "a", "d", "e"]
    digest_, before, after = paper_neighbours(view)["c"]
    assert (before.key, after.key) == ("b", "a")


def test_new_marks_a_minority_and_otherwise_the_returning_papers_are_marked():
    older, newer = digest(11, "abcd"), digest(14, "abcde")
    view = index_site(site([newer, older], {}))
    assert view.mark("e", newer) == ("new", None) and view.mark("a", newer) is None  # 1 new of 5
    mostly_new = digest(14, "aefgh")
    view = index_site(site([mostly_new, older], {}))
    assert view.mark("e", mostly_new) is None  # 4 of 5 are new: "new" would say nothing
    assert view.mark("a", mostly_new) == ("returning", older)


def test_an_undated_collection_is_never_the_earlier_digest():
    collection, dated = digest(None, "ab"), digest(11, "abc")
    view = index_site(site([dated, collection], {}))
    assert view.first_seen["a"] is dated and view.mark("a", dated) is None


def test_cadence_is_the_median_gap_between_dated_digests():
    assert index_site(site([digest(14, "a"), digest(12, "a"), digest(11, "a")], {})).cadence_days == 2
    assert index_site(site([digest(14, "a")], {})).cadence_days is None
