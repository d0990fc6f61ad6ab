"""Running pure work on the second core, by forking.

A forked worker starts with this process's memory as it is, so the work's
inputs are not copied or pickled on the way in; only the result comes back.
Elsewhere than Linux the work runs in this process instead.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_PENDING: tuple[Callable[..., Any], tuple[Any, ...]] | None = None


def available_cores() -> int:
    """The cores this process may use (a container or CI runner may allow fewer than exist)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def can_fork() -> bool:
    # Linux only: macOS has fork, but system libraries there may crash in a
    # forked child (why Python stopped forking by default on macOS).
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def _run_pending(*more: Any) -> Any:
    assert _PENDING is not None, "runs only in a worker forked here"
    function, args = _PENDING
    return function(*args, *more)


def _run_share(work: Callable[[Sequence[T]], R], items: Sequence[T], shares: int, share: int) -> R:
    return work(items[share::shares])


@contextmanager
def _forked_pool(workers: int, function: Callable[..., Any], *args: Any) -> Iterator[concurrent.futures.Executor]:
    """``workers`` forked processes; ``pool.submit(_run_pending, *more)`` runs
    ``function(*args, *more)`` in one of them."""
    global _PENDING
    _PENDING = (function, args)  # what the workers find in their copy of this memory
    try:
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield pool
    finally:
        _PENDING = None


def in_shares(work: Callable[[Sequence[T]], R], items: Sequence[T], shares: int) -> list[R]:
    """``work`` on every ``shares``-th item from 0, 1, … on, each share in its own
    process (this one does share 0); the results in share order.

    With fewer than two shares, or where forking is not safe, this process
    does it all: ``[work(items)]``.
    """
    if shares < 2 or not can_fork():
        return [work(items)]
    with _forked_pool(shares - 1, _run_share, work, items, shares) as pool:
        futures = [pool.submit(_run_pending, share) for share in range(1, shares)]
        return [work(items[0::shares])] + [future.result() for future in futures]


@contextmanager
def in_background(function: Callable[..., Any], *args: Any, fork: bool = True) -> Iterator[concurrent.futures.Future]:
    """``function(*args)`` in a forked worker while the ``with`` body runs here.

    The future's result is ready (or raises what the function raised) once the
    body is done; leaving the block waits for the worker. With ``fork=False``
    (small work, where forking costs more than it saves) the function runs
    here, before the body.
    """
    if not (fork and can_fork()):
        future: concurrent.futures.Future = concurrent.futures.Future()
        try:
            future.set_result(function(*args))
        except Exception as error:  # raised again by future.result(), as from a worker
            future.set_exception(error)
        yield future
        return
    with _forked_pool(1, function, *args) as pool:
        yield pool.submit(_run_pending)
