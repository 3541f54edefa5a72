"""A bounded, in-memory LRU cache of per-sentence classifier scores.

While a caseworker types, most sentences of the note are unchanged between two requests;
their scores are looked up instead of recomputed. Keys are the model version and a SHA-256
digest of the sentence, so the cache never holds text; it lives in one process's memory only
and is never written anywhere. Results are identical with or without it because the
classifier scores each sentence independently of its batch-mates (see `onnx_minilm`).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from threading import Lock

import numpy as np


class ScoreCache:
    """LRU of `maxsize` score rows keyed by (model version, sentence digest)."""

    def __init__(self, model_version: str, maxsize: int = 20_000) -> None:
        if maxsize < 1:
            raise ValueError(f"maxsize = {maxsize} is invalid; it must be at least 1")
        self.model_version = model_version
        self.maxsize = maxsize
        self._rows: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = Lock()
        self.hits = 0
        self.misses = 0

    def _key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.model_version}\x00{text}".encode()).digest()

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()
            self.hits = self.misses = 0

    def missing(self, texts: Sequence[str]) -> list[str]:
        """The texts without a stored row (nothing counted, nothing reordered)."""
        with self._lock:
            return [text for text in texts if self._key(text) not in self._rows]

    def scores(
        self, texts: Sequence[str], compute: Callable[[list[str]], np.ndarray], width: int
    ) -> np.ndarray:
        """Rows for `texts`: cached ones looked up, the others computed in one call and stored."""
        keys = [self._key(t) for t in texts]
        out = np.zeros((len(texts), width), dtype=np.float64)
        missing: dict[bytes, list[int]] = {}
        with self._lock:
            for i, key in enumerate(keys):
                row = self._rows.get(key)
                if row is None:
                    missing.setdefault(key, []).append(i)
                else:
                    self._rows.move_to_end(key)
                    out[i] = row
            self.hits += len(texts) - sum(map(len, missing.values()))
            self.misses += len(missing)
        if missing:
            firsts = [positions[0] for positions in missing.values()]
            computed = np.asarray(compute([texts[i] for i in firsts]), dtype=np.float64)
            with self._lock:
                for (key, positions), row in zip(missing.items(), computed, strict=True):
                    out[positions] = row
                    self._rows[key] = row.copy()
                    self._rows.move_to_end(key)
                while len(self._rows) > self.maxsize:
                    self._rows.popitem(last=False)
        return out
