"""Pages reused from the last build are the pages a fresh render makes (``site.reuse``).

The whole-build tests (tests/mkdocs/test_incremental.py) change a small project,
where one new paper moves every paper's related list and so re-renders nearly
every page. Here the related papers stay as they were and one thing changes at a
time, so most pages are reused and each site-wide figure a page shows (the
newest digest, where a paper was first seen, a topic's trend) has to be noticed
on its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest

from generator.models import Assignment, Curation, Digest, Site
from generator.pipeline import Sources, gather_site
from generator.runtime.memo import Memo
from generator.site.render import Renderer

SETTINGS = {"site_name": "Digest", "site_url": "https://example.org/d/"}


@pytest.fixture(scope="module")
def site(seed_project) -> Site:
    return gather_site(Sources(seed_project), today=dt.date(2025, 6, 1)).site


def _newer_digest(site: Site) -> Site:
    """A newer issue that lists one paper again: the newest digest, and its marks, move."""
    key = site.digests[-1].paper_keys[0]
    newest = Digest("2099-01-01", "Digest of 2099-01-01", dt.date(2099, 1, 1), ("9_new.txt",), (key,))
    return dataclasses.replace(site, digests=(newest, *site.digests))


def _older_digest(site: Site) -> Site:
    """An older issue that lists a paper of the newest one: it is no longer new there."""
    key = site.digests[0].paper_keys[-1]
    oldest = Digest("2000-01-01", "Digest of 2000-01-01", dt.date(2000, 1, 1), ("0_old.txt",), (key,))
    return dataclasses.replace(site, digests=(*site.digests, oldest))


def _moved_topic(site: Site) -> Site:
    """One paper's topic changes, as after a rule edit."""
    key = next(k for k, v in site.assignments.items() if v)
    other = next(t.slug for t in site.topics if t.slug != site.assignments[key][0].topic)
    return dataclasses.replace(site, assignments={**site.assignments, key: (Assignment(other, 1.0, ()),)})


def _featured(site: Site) -> Site:
    key = site.digests[1].paper_keys[3]
    return dataclasses.replace(site, curation={**site.curation, key: Curation(featured=True, note="Read *this*.")})


def _renamed_topic(site: Site) -> Site:
    first = site.topics[0]
    return dataclasses.replace(site, topics=(dataclasses.replace(first, name=first.name + " Renamed"),
                                             *site.topics[1:]))


def _related_reordered(site: Site) -> Site:
    """Another paper's weights move its related papers around, as a new dump does far away."""
    key = next(k for k, v in site.related.items() if len(v) > 1)
    return dataclasses.replace(site, related={**site.related, key: tuple(reversed(site.related[key]))})


CHANGES: dict[str, Callable[[Site], Site]] = {
    "related papers reordered": _related_reordered,
    "a newer digest": _newer_digest,
    "an older digest": _older_digest,
    "a paper moved to another topic": _moved_topic,
    "a featured paper with a note": _featured,
    "a renamed topic": _renamed_topic,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_page_reused_after_one_change_is_the_page_a_fresh_render_makes(site, change):
    changed = CHANGES[change](site)
    renderer, memo = Renderer(), Memo()
    renderer.build(site, memo=memo, **SETTINGS)
    memo.finish()
    again = renderer.build(changed, memo=memo, **SETTINGS)
    fresh = Renderer().build(changed, **SETTINGS)
    assert list(again) == list(fresh)
    assert [uri for uri in fresh if again[uri] != fresh[uri]] == []
    if change != "a renamed topic":  # topic names are on every page
        assert renderer.reused > len(changed.papers) // 2, "most pages should have been reused"


def test_with_the_curators_own_templates_every_page_is_rendered_again(site, tmp_path):
    (tmp_path / "digest.html.j2").write_text(
        "{{ front_matter(title=digest.title) }}\n<p>{{ site.digests | length }} digests so far.</p>\n",
        encoding="utf-8")
    renderer, memo = Renderer([tmp_path]), Memo()
    renderer.build(site, memo=memo, **SETTINGS)
    memo.finish()
    changed = _newer_digest(site)
    again = renderer.build(changed, memo=memo, **SETTINGS)
    assert renderer.reused == 0
    assert again == Renderer([tmp_path]).build(changed, **SETTINGS)


def _few_new(site: Site) -> Site:
    """The newest digest lists one unsorted paper for the first time among many seen before: listings mark it new.

    Unsorted, so that the page marking it lists nothing a newer digest moves and
    shows no trend: only the newest digest decides what it shows.
    """
    newest, older = site.digests[0], site.digests[1]
    fresh = older.paper_keys[0]
    again = tuple(k for k in site.digests[2].paper_keys[:9] if k != fresh)
    return dataclasses.replace(
        site,
        assignments={**site.assignments, fresh: ()},
        digests=(dataclasses.replace(newest, paper_keys=(fresh, *again)),
                 dataclasses.replace(older, paper_keys=older.paper_keys[1:]), *site.digests[2:]))


def test_new_marks_leave_the_listings_when_a_newer_digest_arrives(site):
    before = _few_new(site)
    renderer, memo = Renderer(), Memo()
    first = renderer.build(before, memo=memo, **SETTINGS)
    memo.finish()
    marked = [uri for uri in first if "digest-new" in first[uri] and not uri.startswith(("papers/", "digests/"))]
    assert any(uri.startswith("topics/unsorted") for uri in marked), marked
    after = _newer_digest(before)
    again = renderer.build(after, memo=memo, **SETTINGS)
    fresh = Renderer().build(after, **SETTINGS)
    assert [uri for uri in fresh if again[uri] != fresh[uri]] == []
    assert all("digest-new" not in again[uri] for uri in marked)
