"""Related papers: TF-IDF over title and abstract, cosine similarity, top k each.

A pure function of (key, title, abstract) triples. Titles count more than
abstracts because a title names what a paper is about; an abstract also says
how, in words many papers share. Terms are words and two-word phrases, with a
small English stop-word list and a light plural folding (``transformers`` and
``transformer`` are one term), so that "language models" links to "language
model" without a stemmer dependency.

Scaling: the document-term matrix is sparse (scipy.sparse rather than
scikit-learn, a far larger dependency that is slow to import and would hide
the vocabulary we need to explain each link). Similarities are computed a
block of rows at a time, each block against itself and the rows after it
(cosine is symmetric, so half the products serve both papers), on two
threads; 10,000 papers never need a dense 10,000 x 10,000 matrix at once.
Exact: the result equals a brute-force ranking of the full similarity matrix.

Determinism: input order does not matter (papers are sorted by key first),
scores are rounded before ranking so that summation order cannot reorder
near-equal scores, and equal scores rank by key.
"""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import sparse

TITLE_WEIGHT = 3
"""Each term occurrence in a title counts as this many in an abstract."""
MAX_TERMS = 3
"""Shared terms kept to explain one link."""
CONSIDERED_TERMS = 10
"""The strongest shared terms looked at to find ``MAX_TERMS`` that do not repeat a word."""
SCORE_DECIMALS = 6
"""Scores are rounded to this many decimals, then ranked; equal scores rank by key."""
BLOCK_CELLS = 4_000_000
"""Dense similarity cells computed at once (rows x papers); ~32 MB of float64 per thread."""
MAX_THREADS = 2
"""Row blocks computed at once (the build machine has two cores); scipy's products release the GIL."""
MAX_DOCUMENT_SHARE = 0.2
MIN_COMMON_PAPERS = 20
"""A term in more than this share of papers, and in more than this many, is dropped
(like scikit-learn's ``max_df``): "language models" in half of the papers says nothing
about which of them belong together, and such terms make most of the multiplications."""

STOP_WORDS = frozenset(
    """
    a about above after again against all also although am among an and any are as at be been before being
    below between both but by can could did do does doing done down during each either et etc few for from
    further had has have having he her here hers him his how however i if in into is it its itself just may
    might more most much must my neither no nor not now of off often on once one only or other our ours out
    over own per rather same she should since so some such than that the their them then there these they
    this those through thus to too two under until up upon us very via was we were what when where whether
    which while who whom why will with within without would yet you your
    al approach approaches based introduce introduces method methods new novel paper present presents
    propose proposed proposes result results show shows study using use used well work works
    """.split()
)
"""Function words, plus words every ML abstract uses ("we propose a novel method").

Kept small on purpose: IDF already discounts common words; this list only stops
them from being shown to a reader as the reason two papers are related.
"""

_TOKEN = re.compile(r"[^\W_]+|[.,;:!?()\[\]{}]")
"""Words (Unicode letters and digits), and the punctuation that ends a phrase."""
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
"""Links in abstracts ("code at https://github.com/...") are not topics."""


@dataclass(frozen=True)
class Related:
    """One paper related to another: its key, the cosine score, and why."""

    key: str
    score: float
    terms: tuple[str, ...]
    """Up to three shared terms, the one that contributed most first."""


def _fold(word: str) -> str:
    """A light English plural folding: models -> model, studies -> study, gpus -> gpu."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        return word[:-1]
    return word


class _Vocabulary:
    """Term ids, and how each folded word was written (for display)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        """Term -> id; ids grow with first use but skip numbers (see ``weights``)."""
        self._next_id = itertools.count()
        self.folded: dict[str, str] = {}
        """Every written token -> its folded word, or "" for stop words, numbers and punctuation."""

    def _learn(self, tokens: list[str]) -> None:
        for token in set(tokens).difference(self.folded):
            folded = _fold(token)
            # Checked after folding too, so "uses" is as silent as "use".
            keep = len(token) > 1 and not token.isdigit() and token not in STOP_WORDS and folded not in STOP_WORDS
            self.folded[token] = folded if keep else ""

    def terms(self, text: str) -> list[str]:
        """Words and two-word phrases of ``text``; stop words and punctuation end a phrase."""
        text = text.lower()
        if "://" in text or "www." in text:
            text = _URL.sub(" ", text)
        tokens = _TOKEN.findall(text)
        self._learn(tokens)
        words = list(map(self.folded.__getitem__, tokens))
        phrases = [f"{first} {second}" for first, second in zip(words, words[1:]) if first and second]
        return list(filter(None, words)) + phrases

    def weights(self, title: str, abstract: str) -> tuple[list[int], list[int]]:
        """Term ids and their occurrences, a title's counting ``TITLE_WEIGHT`` times."""
        counts = Counter(self.terms(abstract) + self.terms(title) * TITLE_WEIGHT)
        # map() keeps this loop in C; a new term takes the next number, a known one
        # wastes one. _tfidf renumbers them 0, 1, 2... in the same order.
        return list(map(self.ids.setdefault, counts, self._next_id)), list(counts.values())

    def display(self) -> list[str]:
        """Readable form of every term id: words singular where that was ever written.

        "models" shows as "model" if any paper wrote "model"; "series" never folds
        to "sery", as no paper wrote that (the alphabetically first form is used).
        """
        written: dict[str, str] = {}
        for token, word in self.folded.items():
            if word and written.get(word) != word and (token == word or token < written.get(word, "\uffff")):
                written[word] = token
        # Terms in order of their (renumbered) ids, which is the order they were first seen.
        return [" ".join(written[word] for word in term.split(" ")) for term in self.ids]


def _tfidf(texts: Sequence[tuple[str, str]]) -> tuple[sparse.csr_matrix, list[str]]:
    """Row-normalised TF-IDF matrix (papers x terms) and each term's display form."""
    vocabulary = _Vocabulary()
    indptr, indices, counts = [0], [], []
    for title, abstract in texts:
        term_ids, occurrences = vocabulary.weights(title, abstract)
        indices.extend(term_ids)
        counts.extend(occurrences)
        indptr.append(len(indices))
    papers, terms = len(texts), len(vocabulary.ids)
    _, indices = np.unique(np.asarray(indices, dtype=np.int64), return_inverse=True)
    matrix = sparse.csr_matrix(
        (np.asarray(counts, dtype=np.float64), indices, np.asarray(indptr)),
        shape=(papers, terms),
    )
    # Sublinear tf: a word said ten times is not ten times as telling.
    matrix.data = 1.0 + np.log(matrix.data)
    # Smoothed idf (as scikit-learn's default): a term in every paper still counts a little...
    document_frequency = np.bincount(matrix.indices, minlength=terms)
    idf = np.log((1.0 + papers) / (1.0 + document_frequency)) + 1.0
    # ...unless it is in so many papers that it says nothing about which belong together.
    idf[document_frequency > max(MAX_DOCUMENT_SHARE * papers, MIN_COMMON_PAPERS)] = 0.0
    matrix.data *= idf[matrix.indices]
    matrix.eliminate_zeros()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)
    matrix.sort_indices()
    return matrix, vocabulary.display()


def _lower_bounds(scores: np.ndarray, k: int, axis: int) -> np.ndarray:
    """For each paper along ``axis`` of a score block, a value its k-th best score reaches.

    The k-th largest of the maxima of k or more disjoint chunks is at most the
    k-th largest score (those k maxima are k distinct scores). One pass over the
    block instead of a partition of every row; only scores at or above the bound
    (less one rounding step) are looked at again.
    """
    length = scores.shape[axis]
    chunk = max(1, min(32, length // (4 * k)))
    maxima = np.maximum.reduceat(scores, np.arange(0, length, chunk), axis=axis)
    chunks = maxima.shape[axis]
    if chunks < k:
        return np.full(scores.shape[1 - axis], -np.inf)
    kth = np.take(np.partition(maxima, chunks - k, axis=axis), chunks - k, axis=axis)
    return kth - 10.0**-SCORE_DECIMALS


def _best_in_block(scores: np.ndarray, paper_ids: np.ndarray, other_ids: np.ndarray, k: int, axis: int
                   ) -> np.ndarray:
    """Up to k (paper, other, score) triples per paper of a dense block, best first.

    Papers run along ``axis`` 0 (rows) or 1 (columns). "Best" is a total order
    (higher rounded score, then lower id), so the best k of a union of blocks are
    the best k of each block's best k: blocks merge exactly.
    """
    if scores.size == 0:
        return np.empty((0, 3))
    across = 1 - axis
    bound = np.expand_dims(_lower_bounds(scores, k, across), across)
    first, second = np.nonzero(scores >= bound)
    rounded = np.round(scores[first, second], SCORE_DECIMALS)
    papers, others = (first, second) if axis == 0 else (second, first)
    positive = rounded > 0
    triples = np.column_stack([paper_ids[papers[positive]], other_ids[others[positive]], rounded[positive]])
    return _keep_best(triples, k)


def _keep_best(triples: np.ndarray, k: int) -> np.ndarray:
    """The best k (row, column, score) triples of each row, rows ascending, best first."""
    triples = triples[np.lexsort((triples[:, 1], -triples[:, 2], triples[:, 0]))]
    rows = triples[:, 0]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
    return triples[rank < k]


def _block_best(matrix: sparse.csr_matrix, start: int, stop: int, k: int) -> list[np.ndarray]:
    """Best pairs from the similarities of rows start..stop with themselves and every later row.

    Cosine is symmetric, so this block also serves the later rows: their scores
    against rows start..stop are this block's columns, read the other way.
    """
    ids = np.arange(matrix.shape[0])
    scores = (matrix[start:stop] @ matrix[start:].T).toarray()
    inside = np.arange(stop - start)
    scores[inside, inside] = 0.0  # a paper is not related to itself
    return [
        _best_in_block(scores, ids[start:stop], ids[start:], k, axis=0),
        _best_in_block(scores[:, stop - start:], ids[stop:], ids[start:stop], k, axis=1),
    ]


def _top_k(matrix: sparse.csr_matrix, k: int) -> np.ndarray:
    """(row, column, score) of each row's k best other rows, rows ascending; zero scores left out.

    Blocks of rows run on a few threads (scipy's products and numpy's sorts release
    the GIL); each block's answer depends on nothing else, and the merge is a
    total order, so the result is the same however the blocks are scheduled.
    """
    count = matrix.shape[0]
    block = max(1, BLOCK_CELLS // count)
    starts = range(0, count, block)
    workers = max(1, min(MAX_THREADS, os.cpu_count() or 1, len(starts)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = pool.map(lambda start: _block_best(matrix, start, min(start + block, count), k), starts)
        found = [np.empty((0, 3))] + [part for pair in parts for part in pair]
    return _keep_best(np.concatenate(found), k)


_CONTRIBUTION_STEPS = 2**40
"""Contributions (at most 1) in steps of 1e-12 fit in 40 bits beside the pair number."""


def _shared_terms(matrix: sparse.csr_matrix, display: list[str], pairs: np.ndarray) -> list[tuple[str, ...]]:
    """For each (row, column) pair, the terms that added most to its cosine (see ``_pick_terms``).

    Equal contributions go alphabetically.
    """
    if len(pairs) == 0:
        return []
    rows, columns = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
    products = matrix[rows].multiply(matrix[columns]).tocoo()
    shown = np.unique(products.col)
    alphabetical = np.zeros(len(display), dtype=np.int64)
    alphabetical[shown[np.argsort(np.array([display[t] for t in shown.tolist()], dtype=object))]] = np.arange(
        len(shown)
    )
    # Order by pair, then contribution (descending), packed in one integer: one sort of
    # millions of shared terms; the alphabetical tie-break sorts only the few kept.
    contribution = np.minimum(np.round(products.data * 1e12), _CONTRIBUTION_STEPS - 1).astype(np.int64)
    packed = products.row.astype(np.int64) * _CONTRIBUTION_STEPS + (_CONTRIBUTION_STEPS - 1 - contribution)
    order = np.argsort(packed)
    packed = packed[order]
    pair_starts = np.searchsorted(packed, np.arange(len(pairs) + 1, dtype=np.int64) * _CONTRIBUTION_STEPS)
    # Only the strongest few of each pair can be shown (a few spare make up for skipped
    # ones); all terms tied with the last of those stay, for the tie-break to choose.
    last = np.minimum(pair_starts[:-1] + CONSIDERED_TERMS, pair_starts[1:]) - 1
    has_terms = pair_starts[1:] > pair_starts[:-1]
    boundary = np.full(len(pairs), -1, dtype=np.int64)
    boundary[has_terms] = packed[last[has_terms]]
    considered = packed <= boundary[packed // _CONTRIBUTION_STEPS]
    order, packed = order[considered], packed[considered]
    order = order[np.lexsort((alphabetical[products.col[order]], packed))]
    ranked: list[list[str]] = [[] for _ in range(len(pairs))]
    for pair, term in zip(products.row[order].tolist(), products.col[order].tolist()):
        ranked[pair].append(display[term])
    return [_pick_terms(terms) for terms in ranked]


def _pick_terms(ranked: Sequence[str]) -> tuple[str, ...]:
    """Up to ``MAX_TERMS`` of the strongest-first shared terms, no word said twice.

    A phrase takes the place of its own words shown before it ("time series"
    for "series" and "time"); any other term whose words are all shown already
    is skipped ("model" once "language model" is there).
    """
    chosen: list[str] = []
    for term in ranked:
        words = term.split(" ")
        absorbed = [index for index, shown in enumerate(chosen) if len(words) > 1 and shown in words]
        if absorbed:
            chosen[absorbed[0]] = term
            for index in reversed(absorbed[1:]):
                del chosen[index]
        elif len(chosen) < MAX_TERMS and not set(words) <= {w for shown in chosen for w in shown.split(" ")}:
            chosen.append(term)
    return tuple(chosen)


def related_papers(papers: Sequence[tuple[str, str, str]], k: int = 5) -> dict[str, tuple[Related, ...]]:
    """Each paper's k most similar others, from (key, title, abstract) triples.

    Every key gets an entry (possibly empty); keys are sorted. Papers that share
    no term are never related. Raises ``ValueError`` on a repeated key or k < 0.
    """
    if k < 0:
        raise ValueError(f"k must be at least 0, not {k}")
    ordered = sorted(papers, key=lambda paper: paper[0])
    keys = [key for key, _, _ in ordered]
    repeated = sorted(key for key, seen in Counter(keys).items() if seen > 1)
    if repeated:
        raise ValueError(f"repeated paper keys: {repeated[:3]}")
    if len(keys) < 2 or k == 0:
        return {key: () for key in keys}
    matrix, display = _tfidf([(title, abstract) for _, title, abstract in ordered])
    best = _top_k(matrix, k)
    found: dict[str, list[Related]] = {key: [] for key in keys}
    for (row, column, score), terms in zip(best.tolist(), _shared_terms(matrix, display, best)):
        found[keys[int(row)]].append(Related(keys[int(column)], score, terms))
    return {key: tuple(related) for key, related in found.items()}
