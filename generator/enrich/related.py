"""Related papers: TF-IDF over title and abstract, cosine similarity, top k each.

A pure function of (key, title, abstract) triples. Titles count more than
abstracts because a title names what a paper is about; an abstract also says
how, in words many papers share. Terms are words and two-word phrases, with a
small English stop-word list and a light plural folding (``transformers`` and
``transformer`` are one term), so that "language models" links to "language
model" without a stemmer dependency.

Scaling: the document-term matrix is sparse (scipy.sparse rather than
scikit-learn, a far larger dependency that is slow to import and would hide
the vocabulary we need to explain each link), and is counted with numpy over
all papers at once rather than token by token in Python. Similarities are
computed a block of rows at a time, each block against itself and the rows
after it (cosine is symmetric, so half the products serve both papers), on
two threads; 10,000 papers never need a dense 10,000 x 10,000 matrix at once.
Exact: the result equals a brute-force ranking of the full similarity matrix.

Determinism: input order does not matter (papers are sorted by key first),
scores are rounded before ranking so that summation order cannot reorder
near-equal scores, and equal scores rank by key.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..runtime.parallel import in_shares

try:  # scipy's own C routine for sparse products, called directly (see _Similarities)
    from scipy.sparse._sparsetools import csr_matmat as _csr_matmat
except ImportError:  # pragma: no cover - a scipy that moved it: the public product, slower, same numbers
    _csr_matmat = None

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


_PHRASE_END = ".,;:!?()[]{}"
_ASCII_SEPARATORS = str.maketrans(
    {c: "|" if c in _PHRASE_END else " " for c in map(chr, range(128)) if not c.isalnum()}
)
"""For ASCII text: punctuation that ends a phrase becomes "|", any other non-word character a space."""


def _tokens(text: str) -> list[str]:
    """Words and phrase-ending punctuation of ``text``, lowercased, links removed.

    ASCII text (nearly all of it) is split by C string methods, ten times faster
    than the regex; each ``_PHRASE_END`` character then comes out as "|" rather
    than as itself, which changes nothing (punctuation only ends phrases).
    """
    text = text.lower()
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    if text.isascii():
        return text.translate(_ASCII_SEPARATORS).replace("|", " | ").split()
    return _TOKEN.findall(text)


class _Vocabulary(dict):  # type: ignore[type-arg]
    """Written token -> the number of its word (0 for none), learning each token on first sight.

    A word is a folded token (see ``_fold``). A term, a word or a two-word
    phrase, is an integer code: word ``w`` is ``w``; phrase ``a b`` is
    ``a * size + b``, where ``size`` exceeds every word number. Being a dict,
    lookups can run in ``map()``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.folded: dict[str, str] = {}
        """Every written token -> its folded word, or "" for stop words, numbers and punctuation."""
        self.words: list[str] = [""]
        """Word number -> folded word."""
        self._numbers: dict[str, int] = {}

    def __missing__(self, token: str) -> int:
        folded = _fold(token)
        # Checked after folding too, so "uses" is as silent as "use".
        keep = len(token) > 1 and not token.isdigit() and token not in STOP_WORDS and folded not in STOP_WORDS
        self.folded[token] = folded if keep else ""
        if keep and folded not in self._numbers:
            self._numbers[folded] = len(self.words)
            self.words.append(folded)
        number = self[token] = self._numbers[folded] if keep else 0
        return number

    def display(self, codes: Sequence[int]) -> list[str]:
        """Readable form of each term code: words singular where that was ever written.

        "models" shows as "model" if any paper wrote "model"; "series" never folds
        to "sery", as no paper wrote that (the alphabetically first form is used).
        """
        written: dict[str, str] = {}
        for token, word in self.folded.items():
            if word and written.get(word) != word and (token == word or token < written.get(word, "\uffff")):
                written[word] = token
        shown = [written.get(word, "") for word in self.words]
        size = len(self.words)
        return [shown[code] if code < size else f"{shown[code // size]} {shown[code % size]}" for code in codes]


def _grouped(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of ``values`` (integers below ``count``) grouped by value, each group ascending.

    A counting sort: scipy's COO-to-CSR conversion buckets entries by row in
    one pass (np.argsort, a comparison sort, takes several times longer).
    """
    positions = np.arange(len(values))
    buckets = sparse.csr_matrix((np.ones(len(values), dtype=np.int8), (values, positions)),
                                shape=(count, len(values)))
    return buckets.indices


def _occurrences(texts: Sequence[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Every term occurrence of every field, as (term id, field), and each term id's display form.

    Fields are numbered abstract, title, abstract, title... by paper. Occurrences
    come in the order the terms of each field used to be listed: the field's
    words, then its phrases. Term ids follow first use in that order.

    All tokens are numbered at once, and the rest is numpy rather than Python per
    token: words are the non-zero numbers, phrases neighbouring pairs of them. A
    "|" closes every field, so no phrase spans two fields.
    """
    tokens: list[str] = []
    ends: list[int] = []
    for title, abstract in texts:
        for text in (abstract, title):
            tokens += _tokens(text)
            tokens.append("|")
            ends.append(len(tokens))
    vocabulary = _Vocabulary()
    # (Listed first: np.fromiter takes a list much faster than the map itself.)
    word = np.fromiter(list(map(vocabulary.__getitem__, tokens)), dtype=np.int64, count=len(tokens))
    size = len(vocabulary.words)
    at_word = np.flatnonzero(word)
    at_phrase = np.flatnonzero((word[:-1] > 0) & (word[1:] > 0))
    # Compact codes: words as they are, then the distinct phrases, in code order.
    phrases, phrase = np.unique(word[at_phrase] * size + word[at_phrase + 1], return_inverse=True)
    codes = np.concatenate([word[at_word], size + phrase.ravel()])
    field = np.searchsorted(np.asarray(ends), np.concatenate([at_word, at_phrase]), side="right")
    # Each field's words, then its phrases: a stable sort of two runs already in field order.
    order = np.argsort(field * 2 + (np.arange(len(codes)) >= len(at_word)), kind="stable")
    codes, field = codes[order], field[order]
    first_use = np.full(size + len(phrases), len(codes))
    np.minimum.at(first_use, codes, np.arange(len(codes)))
    used = np.flatnonzero(first_use < len(codes))
    used = used[np.argsort(first_use[used])]  # compact codes in order of first use
    term_of = np.zeros(size + len(phrases), dtype=np.int64)
    term_of[used] = np.arange(len(used))
    full_codes = [code if code < size else int(phrases[code - size]) for code in used.tolist()]
    return term_of[codes], field, vocabulary.display(full_codes)


def _term_counts(texts: Sequence[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Each paper's terms in the order it first uses them, with their counts; and every term's display form.

    Returns CSR parts (indptr, term ids, counts) and the display forms by term
    id. A title's occurrences count ``TITLE_WEIGHT`` times. The order of terms
    decides how floating-point sums run later, so it is kept exactly as it was
    when each paper's terms were counted one by one.
    """
    term, field, display = _occurrences(texts)
    paper = field // 2
    weight = np.where(field % 2 == 1, TITLE_WEIGHT, 1)
    # A paper's first use of a term stands for all its uses. Grouped by term, an
    # occurrence starts a (paper, term) group where the term or the paper changes.
    by_term = _grouped(term, len(display))
    starts = np.flatnonzero((np.diff(term[by_term], prepend=-1) != 0) | (np.diff(paper[by_term], prepend=-1) != 0))
    firsts = by_term[starts]
    counts = np.zeros(len(term), dtype=np.int64)
    counts[firsts] = np.add.reduceat(weight[by_term], starts) if len(starts) else []
    is_first = np.zeros(len(term), dtype=bool)
    is_first[firsts] = True
    indptr = np.concatenate([[0], np.cumsum(np.bincount(paper[is_first], minlength=len(texts)))])
    return indptr, term[is_first], counts[is_first], display


def _tfidf(texts: Sequence[tuple[str, str]]) -> tuple[sparse.csr_matrix, list[str]]:
    """Row-normalised TF-IDF matrix (papers x terms) and each term's display form."""
    indptr, indices, counts, display = _term_counts(texts)
    papers, terms = len(texts), len(display)
    matrix = sparse.csr_matrix(
        (counts.astype(np.float64), indices, indptr),
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
    return matrix, display


def _lower_bounds(scores: np.ndarray, k: int, axis: int) -> np.ndarray:
    """For each paper along ``axis`` of a score block, a value its k-th best score reaches.

    The k-th largest of the maxima of k or more disjoint chunks is at most the
    k-th largest score (those k maxima are k distinct scores). One pass over the
    block instead of a partition of every row; only scores at or above the bound
    (less one rounding step) are looked at again.
    """
    length = scores.shape[axis]
    chunk = max(1, min(32, length // (4 * k)))
    if axis == 1:
        maxima = np.maximum.reduceat(scores, np.arange(0, length, chunk), axis=1)
    else:  # down the columns, a reshape is several times faster than reduceat
        whole = length // chunk * chunk
        maxima = scores[:whole].reshape(-1, chunk, scores.shape[1]).max(axis=1)
        if whole < length:
            maxima = np.vstack([maxima, scores[whole:].max(axis=0, keepdims=True)])
    chunks = maxima.shape[axis]
    if chunks < k:
        return np.full(scores.shape[1 - axis], -np.inf)
    kth = np.take(np.partition(maxima, chunks - k, axis=axis), chunks - k, axis=axis)
    return kth - 10.0**-SCORE_DECIMALS


def _candidates(scores: np.ndarray, paper_ids: np.ndarray, other_ids: np.ndarray, k: int, axis: int
                ) -> np.ndarray:
    """(paper, other, score) triples of a dense block that may be among a paper's k best in it.

    Papers run along ``axis`` 0 (rows) or 1 (columns); scores are rounded, zeros left out.
    """
    if scores.size == 0:
        return np.empty((0, 3))
    across = 1 - axis
    bound = np.expand_dims(_lower_bounds(scores, k, across), across)
    # flatnonzero: on a 2-D mask, np.nonzero is ten times slower.
    first, second = np.divmod(np.flatnonzero(scores >= bound), scores.shape[1])
    rounded = np.round(scores[first, second], SCORE_DECIMALS)
    papers, others = (first, second) if axis == 0 else (second, first)
    positive = rounded > 0
    return np.column_stack([paper_ids[papers[positive]], other_ids[others[positive]], rounded[positive]])


def _keep_best(triples: np.ndarray, k: int) -> np.ndarray:
    """The best k (row, column, score) triples of each row, rows ascending, best first.

    "Best" is a total order (higher rounded score, then lower id), so the best k
    of a union of blocks are the best k of each block's best k: blocks merge exactly.
    """
    triples = triples[np.lexsort((triples[:, 1], -triples[:, 2], triples[:, 0]))]
    return triples[_rank(triples[:, 0]) < k]


def _rank(rows: np.ndarray) -> np.ndarray:
    """Each entry's place among the entries of its row (rows sorted)."""
    return np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")


class _Similarities:
    """Dense blocks of cosine similarities, ``matrix[start:stop] @ matrix[start:].T``, for one thread.

    A block is nearly all non-zero, so scipy's sparse product, which first counts
    the non-zeros in a pass as long as the product itself, is called without
    that pass, into room for every cell; the memory is reused from block to
    block (fresh memory costs a page fault per 4 KB). Same C routine, same
    inputs: bit for bit ``(matrix[start:stop] @ matrix[start:].T).toarray()``.
    """

    def __init__(self, matrix: sparse.csr_matrix, postings: sparse.csr_matrix, rows: int):
        self.matrix = matrix
        self.postings = postings
        """``matrix.T`` in CSR form, made once rather than per block."""
        cells = rows * matrix.shape[0]
        self.indices = np.empty(cells, dtype=np.int32)
        self.data = np.empty(cells, dtype=np.float64)
        self.dense = np.empty(cells, dtype=np.float64)

    def block(self, start: int, stop: int) -> np.ndarray:
        rows, columns = stop - start, self.matrix.shape[0] - start
        left, right = self.matrix[start:stop], self.postings[:, start:]
        if _csr_matmat is None:
            return (left @ right).toarray()
        indptr = np.empty(rows + 1, dtype=np.int32)
        _csr_matmat(rows, columns, left.indptr, left.indices, left.data, right.indptr, right.indices, right.data,
                    indptr, self.indices, self.data)
        found = indptr[-1]
        product = sparse.csr_matrix((self.data[:found], self.indices[:found], indptr), shape=(rows, columns))
        return product.toarray(out=self.dense[:rows * columns].reshape(rows, columns))


def _block_best(similarities: _Similarities, start: int, stop: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """From the similarities of rows start..stop with themselves and every later row:
    each of these rows' k best, and the candidates for the later rows' k best.

    Cosine is symmetric, so this block also serves the later rows: their scores
    against rows start..stop are this block's columns, read the other way.
    """
    ids = np.arange(similarities.matrix.shape[0])
    scores = similarities.block(start, stop)
    inside = np.arange(stop - start)
    scores[inside, inside] = 0.0  # a paper is not related to itself
    return (
        _keep_best(_candidates(scores, ids[start:stop], ids[start:], k, axis=0), k),
        _candidates(scores[:, stop - start:], ids[stop:], ids[start:stop], k, axis=1),
    )


def _top_k(matrix: sparse.csr_matrix, k: int) -> np.ndarray:
    """(row, column, score) of each row's k best other rows, rows ascending; zero scores left out.

    Blocks of rows are shared out among a few threads (scipy's products and
    numpy's sorts release the GIL), every other block to each, as blocks get
    cheaper down the matrix. Each block's answer depends on nothing else, and
    the merge is a total order, so the result is the same however they run.

    Blocks run from the end of the matrix towards its start, so that the rows
    after a block mostly have their own k best already: a block's candidates
    for them are cut at once to those that could displace one (``reach``),
    rather than kept to the end. Kept, they were about k rows per block for
    every later row, N² k / block in all: 15 GB at 100,000 papers. A row whose
    own k best are not known yet (another thread's block) keeps all its
    candidates, and the cut is made again at the end, so the result is the same.
    """
    count = matrix.shape[0]
    block = max(1, BLOCK_CELLS // count)
    starts = range(0, count, block)[::-1]
    postings = sparse.csr_matrix(matrix.T)
    workers = max(1, min(MAX_THREADS, os.cpu_count() or 1, len(starts)))
    # The score a row's candidate from an earlier row must reach to displace one of
    # its k best among itself and the rows after it; -inf until that block is done.
    reach = np.full(count, -np.inf)

    def work(worker: int) -> list[tuple[np.ndarray, np.ndarray]]:
        similarities = _Similarities(matrix, postings, block)
        parts = []
        for start in starts[worker::workers]:
            own, later = _block_best(similarities, start, min(start + block, count), k)
            kth = own[_rank(own[:, 0]) == k - 1]
            reach[kth[:, 0].astype(np.int64)] = kth[:, 2]
            parts.append((own, later[later[:, 2] >= reach[later[:, 0].astype(np.int64)]]))
        return parts

    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = [part for worker in pool.map(work, range(workers)) for part in worker]
    best = _keep_best(np.concatenate([np.empty((0, 3))] + [own for own, _ in parts]), k)
    earlier = np.concatenate([np.empty((0, 3))] + [later for _, later in parts])
    earlier = earlier[earlier[:, 2] >= reach[earlier[:, 0].astype(np.int64)]]
    return _keep_best(np.concatenate([best, earlier]), k)


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
    ranked = products.col[order].tolist()
    bounds = np.searchsorted(products.row[order], np.arange(len(pairs) + 1)).tolist()
    # Terms are looked up lazily: picking mostly stops early.
    return [_pick_terms(map(display.__getitem__, ranked[begin:end])) for begin, end in zip(bounds, bounds[1:])]


FILLER_TERMS = frozenset("""
    accurate accuracy achieve achieves approach approaches based better bit bits case cases different effective
    efficient first high higher improve improved improves large larger low lower method methods new novel number
    paper performance problem problems propose proposed result results second show shows significant
    significantly simple small state strong task tasks time times two use used using work works
""".split())
"""Words that say nothing about why two papers belong together ("accurate", "bit"). A
shared term made only of these is not *shown*; it still counts in the similarity, so
which papers are related, and in what order, does not change."""


def _pick_terms(ranked: Iterable[str]) -> tuple[str, ...]:
    """Up to ``MAX_TERMS`` of the strongest-first shared terms, no word said twice,
    none made only of ``FILLER_TERMS``.

    A phrase takes the place of its own words shown before it ("time series"
    for "series" and "time"); any other term whose words are all shown already
    is skipped ("model" once "language model" is there).
    """
    chosen: list[str] = []
    shown: set[str] = set()
    """Words of the chosen terms."""
    single: set[str] = set()
    """Chosen terms of one word: the only ones a phrase can take the place of."""
    for term in ranked:
        if FILLER_TERMS.issuperset(term.split(" ")):
            continue
        full = len(chosen) == MAX_TERMS
        if full and not single:
            break  # nothing can be added, and nothing taken the place of
        if " " not in term:
            if not full and term not in shown:
                chosen.append(term)
                shown.add(term)
                single.add(term)
            continue
        words = term.split(" ")
        if not single.isdisjoint(words):
            absorbed = [index for index, kept in enumerate(chosen) if kept in words]
            chosen[absorbed[0]] = term
            for index in reversed(absorbed[1:]):
                del chosen[index]
            single.difference_update(words)
        elif not full and not shown.issuperset(words):
            chosen.append(term)
        else:
            continue
        shown.update(words)
    return tuple(chosen)


def related_papers(papers: Sequence[tuple[str, str, str]], k: int = 5, workers: int = 1
                   ) -> dict[str, tuple[Related, ...]]:
    """Each paper's k most similar others, from (key, title, abstract) triples.

    Every key gets an entry (possibly empty); keys are sorted. Papers that share
    no term are never related. Raises ``ValueError`` on a repeated key or k < 0.
    With ``workers`` > 1 the shared terms of the pairs found are worked out on
    that many cores (``parallel.in_shares``); the result is the same.
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
    shares = in_shares(lambda pairs: _shared_terms(matrix, display, pairs), best, workers)
    shared_terms: list[tuple[str, ...]] = [()] * len(best)
    for number, share in enumerate(shares):  # share i holds pairs i, i + shares, i + 2 * shares...
        shared_terms[number::len(shares)] = share
    found: dict[str, list[Related]] = {key: [] for key in keys}
    for (row, column, score), terms in zip(best.tolist(), shared_terms):
        found[keys[int(row)]].append(Related(keys[int(column)], score, terms))
    return {key: tuple(related) for key, related in found.items()}
