"""Near-duplicate detection by token Jaccard similarity, used to keep splits leak-free.

Sentences are compared as sets of lowercased word tokens. The pairwise intersections come
from one sparse matrix product (scikit-learn's `CountVectorizer`), which handles tens of
thousands of sentences in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

JACCARD_THRESHOLD = 0.8
# Sentences shorter than this are boilerplate ("LE responded.", "Case remains open.") that any two
# notes may share; they carry no case content, so they are not counted as leakage.
MIN_TOKENS = 5
TOKEN_PATTERN = r"(?u)\b\w+\b"


def near_duplicate_pairs(
    texts: Sequence[str],
    threshold: float = JACCARD_THRESHOLD,
    min_tokens: int = MIN_TOKENS,
) -> list[tuple[int, int, float]]:
    """Return `(i, j, jaccard)` for every pair `i < j` with token Jaccard >= `threshold`."""
    if len(texts) < 2:
        return []
    vectorizer = CountVectorizer(binary=True, lowercase=True, token_pattern=TOKEN_PATTERN)
    try:
        matrix = vectorizer.fit_transform(texts).astype(np.int32).tocsr()
    except ValueError:  # every text is empty of word tokens
        return []
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    keep = np.flatnonzero(sizes >= min_tokens)
    if len(keep) < 2:
        return []
    sub = matrix[keep]
    intersections = sparse.triu(sub @ sub.T, k=1).tocoo()
    pairs: list[tuple[int, int, float]] = []
    for row, col, inter in zip(
        intersections.row, intersections.col, intersections.data, strict=True
    ):
        i, j = int(keep[row]), int(keep[col])
        union = sizes[i] + sizes[j] - inter
        score = float(inter / union)
        if score >= threshold:
            pairs.append((i, j, score))
    return pairs
