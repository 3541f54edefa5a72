"""The default classifier: a per-label weighted average of the TF-IDF baseline and MiniLM,
recalibrated on the dev split, with per-label decision thresholds chosen on dev.

Why an ensemble: the two members fail differently. Character n-grams catch shorthand and
typos ("BM", "d/t"), MiniLM generalizes across paraphrases the corpus never saw. Weights,
Platt calibration and thresholds are all fitted on dev only, never on test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from st_nlp.classifiers.base import SentenceClassifier, register
from st_nlp.classifiers.minilm import (
    ARTIFACT as MINILM_ARTIFACT,
)
from st_nlp.classifiers.minilm import load_minilm_from_config
from st_nlp.classifiers.tfidf import ARTIFACT as TFIDF_ARTIFACT
from st_nlp.classifiers.tfidf import TfidfClassifier, load_tfidf_artifact
from st_nlp.model_store import read_config
from st_nlp.overlap import beside
from st_nlp.taxonomy import LABELS, Label

ARCHITECTURE = "ensemble.v1"
_EPS = 1e-6


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.asarray(np.log(p / (1 - p)))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


@dataclass
class Combination:
    """How member scores become one calibrated probability per label."""

    weights: dict[str, float] = field(default_factory=lambda: {str(lb): 0.5 for lb in LABELS})
    platt: dict[str, tuple[float, float]] = field(
        default_factory=lambda: {str(lb): (1.0, 0.0) for lb in LABELS}
    )
    thresholds: dict[str, float] = field(default_factory=lambda: {str(lb): 0.5 for lb in LABELS})

    def apply(self, tfidf: np.ndarray, minilm: np.ndarray) -> np.ndarray:
        out = np.zeros_like(tfidf)
        for i, label in enumerate(LABELS):
            w = self.weights[str(label)]
            mixed = w * minilm[:, i] + (1 - w) * tfidf[:, i]
            a, b = self.platt[str(label)]
            out[:, i] = _sigmoid(a * _logit(mixed) + b)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": self.weights,
            "platt": {k: list(v) for k, v in self.platt.items()},
            "thresholds": self.thresholds,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Combination:
        return cls(
            weights={k: float(v) for k, v in data["weights"].items()},
            platt={k: (float(v[0]), float(v[1])) for k, v in data["platt"].items()},
            thresholds={k: float(v) for k, v in data["thresholds"].items()},
        )


class EnsembleClassifier:
    """TF-IDF + MiniLM, combined and calibrated per label."""

    name = ARCHITECTURE
    labels: tuple[Label, ...] = LABELS

    def __init__(
        self, tfidf: TfidfClassifier, minilm: SentenceClassifier, combination: Combination
    ) -> None:
        self.tfidf = tfidf
        self.minilm = minilm
        self.combination = combination

    def member_proba(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        start = getattr(self.minilm, "start", None)
        if start is None:  # eager PyTorch holds the GIL for much of its run: nothing to gain
            return self.tfidf.predict_proba(texts), self.minilm.predict_proba(texts)
        # The TF-IDF features are computed while the MiniLM's graphs run (`st_nlp.overlap`).
        run_graphs = start(texts)
        tfidf = beside(lambda: self.tfidf.predict_proba(texts))
        minilm = run_graphs()
        return tfidf.result(), minilm

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.labels)))
        return self.combination.apply(*self.member_proba(texts))

    @property
    def thresholds(self) -> np.ndarray:
        return np.array([self.combination.thresholds[str(label)] for label in LABELS])


@register(ARCHITECTURE)
def load_ensemble(folder: Path) -> SentenceClassifier:
    return load_ensemble_folder(folder)


def load_ensemble_folder(folder: Path) -> EnsembleClassifier:
    config = read_config(folder)
    tfidf = load_tfidf_artifact(folder / TFIDF_ARTIFACT)
    minilm = load_minilm_from_config(folder, config)
    return EnsembleClassifier(tfidf, minilm, Combination.from_dict(config["combination"]))


ARTIFACTS = [TFIDF_ARTIFACT, MINILM_ARTIFACT]
