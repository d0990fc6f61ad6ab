import datetime as dt
import os

import pytest

from generator import pipeline
from generator.runtime import parallel
from generator.pipeline import Sources, gather_site
from ..conftest import GOLDEN_FIXTURE as FIXTURE


def worker_pid(offset):
    return os.getpid() + offset


def fail():
    raise ValueError("from the worker")


@pytest.mark.parametrize("fork", [True, False])
def test_the_result_comes_back_and_so_does_an_error(fork):
    with parallel.in_background(worker_pid, 0, fork=fork) as future:
        here = os.getpid()
    assert (future.result() != here) == (fork and parallel.can_fork())
    with parallel.in_background(fail, fork=fork) as future:
        pass
    with pytest.raises(ValueError, match="from the worker"):
        future.result()


def test_classifying_in_a_worker_gives_the_same_site(monkeypatch):
    alone = gather_site(Sources(FIXTURE), today=dt.date(2025, 6, 1)).site
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PAPERS", 1)
    forked = gather_site(Sources(FIXTURE), today=dt.date(2025, 6, 1)).site
    assert forked == alone


def test_topics_on_every_core_are_the_topics_of_one(monkeypatch):
    # What a rebuild after a rule change runs (related papers kept): papers shared out to forked workers.
    from generator.enrich.classify import classify
    from generator.pipeline import _classify_on_cores

    site = gather_site(Sources(FIXTURE), today=dt.date(2025, 6, 1)).site
    taxonomy = pipeline.load_taxonomy(Sources(FIXTURE))
    texts = [(paper.key, paper.title, paper.abstract) for paper in site.papers]
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PAPERS", 1)
    monkeypatch.setattr(pipeline, "available_cores", lambda: 3)
    shared = _classify_on_cores(texts, taxonomy)
    assert list(shared.items()) == list(classify(texts, taxonomy).items())


def pids_and_items(items):
    return os.getpid(), list(items)


def test_work_in_shares_comes_back_in_share_order():
    results = parallel.in_shares(pids_and_items, list(range(7)), 3)
    if parallel.can_fork():
        assert [items for _, items in results] == [[0, 3, 6], [1, 4], [2, 5]]
        # Share 0 here, the others in forked workers (a worker may take more than one).
        assert results[0][0] == os.getpid() and all(pid != os.getpid() for pid, _ in results[1:])
    else:
        assert results == [(os.getpid(), list(range(7)))]
    assert parallel.in_shares(pids_and_items, [1, 2], 1) == [(os.getpid(), [1, 2])]
