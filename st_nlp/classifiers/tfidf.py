"""The scikit-learn baseline: TF-IDF word and character n-grams, one-vs-rest calibrated
logistic regression.

Character n-grams make it robust to the typos and shorthand of case notes ("BM", "d/t",
"w/o"). Each label gets its own logistic regression wrapped in `CalibratedClassifierCV`
(sigmoid), so scores behave as probabilities and thresholds transfer between models.
Persisted with skops (no pickle): loading only accepts the scikit-learn types listed in
`TRUSTED_TYPES`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from skops import io as skops_io

from st_nlp.classifiers.base import SentenceClassifier, register
from st_nlp.classifiers.neutral import neutralize
from st_nlp.model_store import read_config, write_config
from st_nlp.taxonomy import LABELS, Label

ARCHITECTURE = "tfidf_logreg.v1"
ARTIFACT = "tfidf_logreg.skops"
TRUSTED_TYPES = [
    "scipy.sparse._csr.csr_matrix",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.pipeline.FeatureUnion",
    "numpy.float64",
    "numpy.int64",
    "builtins.slice",
]


@dataclass(frozen=True)
class TfidfSettings:
    """Training settings for the baseline (stored in the model's config)."""

    c: float = 4.0
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    max_features_word: int = 15_000
    max_features_char: int = 24_000
    calibration_folds: int = 3
    seed: int = 13


class TfidfClassifier:
    """TF-IDF + calibrated one-vs-rest logistic regression."""

    name = ARCHITECTURE
    labels: tuple[Label, ...] = LABELS

    def __init__(self, features: FeatureUnion, estimators: list[CalibratedClassifierCV]) -> None:
        self.features = features
        self.estimators = estimators
        self._parts = _sigmoid_parts(features, estimators)

    @classmethod
    def fit(
        cls, texts: Sequence[str], targets: np.ndarray, settings: TfidfSettings | None = None
    ) -> TfidfClassifier:
        """Fit on `texts` and a multi-hot `targets` array of shape (n_texts, n_labels)."""
        settings = settings or TfidfSettings()
        features = FeatureUnion(
            [
                (
                    "word",
                    TfidfVectorizer(
                        ngram_range=settings.word_ngrams,
                        sublinear_tf=True,
                        min_df=2,
                        max_features=settings.max_features_word,
                        lowercase=True,
                        token_pattern=r"(?u)\b\w[\w/'-]*\b",
                    ),
                ),
                (
                    "char",
                    TfidfVectorizer(
                        analyzer="char_wb",
                        ngram_range=settings.char_ngrams,
                        sublinear_tf=True,
                        min_df=2,
                        max_features=settings.max_features_char,
                        lowercase=True,
                    ),
                ),
            ]
        )
        matrix = features.fit_transform([neutralize(t) for t in texts])
        for _, vectorizer in features.transformer_list:
            # Only kept for introspection and can be huge; scikit-learn documents removing it.
            if hasattr(vectorizer, "stop_words_"):
                delattr(vectorizer, "stop_words_")
        estimators = []
        for column in range(targets.shape[1]):
            base = LogisticRegression(
                C=settings.c, class_weight="balanced", max_iter=2000, random_state=settings.seed
            )
            calibrated = CalibratedClassifierCV(
                base, method="sigmoid", cv=settings.calibration_folds, ensemble=False
            )
            calibrated.fit(matrix, targets[:, column])
            estimators.append(calibrated)
        return cls(features, estimators)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.labels)))
        parts = self._parts
        if parts is None:
            return self.predict_proba_sklearn(texts)
        # The arithmetic of `FeatureUnion.transform` and `CalibratedClassifierCV.predict_proba`
        # (one sigmoid-calibrated logistic regression, binary), in the same operations and
        # order, so the same floats, without scikit-learn's per-call validation: that costs
        # ~10 ms a call, and the rewriter scores its drafts one at a time.
        neutral = [neutralize(t) for t in texts]
        matrix = sparse.hstack(
            [vectorizer.transform(neutral) for _, vectorizer in self.features.transformer_list]
        ).tocsr()
        columns = []
        for coef, intercept, a, b in parts:
            decision = (matrix @ coef.T + intercept).reshape(-1)
            proba = expit(-(a * decision + b))
            proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
            columns.append(proba)
        return np.column_stack(columns)

    def predict_proba_sklearn(self, texts: Sequence[str]) -> np.ndarray:
        """The reference path through scikit-learn's own `transform` and `predict_proba`."""
        matrix = self.features.transform([neutralize(t) for t in texts])
        return np.column_stack([est.predict_proba(matrix)[:, 1] for est in self.estimators])

    def save_artifact(self, path: Path) -> None:
        """Write the fitted state with skops (no pickle), deflate-compressed.

        Vocabulary indices become plain ints first: skops stores every numpy scalar as a file of
        its own in the archive, which for ~30,000 n-grams is megabytes of zip headers.
        """
        for _, vectorizer in self.features.transformer_list:
            vectorizer.vocabulary_ = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
        skops_io.dump(
            {"features": self.features, "estimators": self.estimators},
            path,
            compression=zipfile.ZIP_DEFLATED,
            compresslevel=9,
        )

    def save(self, folder: Path, **settings: object) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.save_artifact(folder / ARTIFACT)
        write_config(folder, ARCHITECTURE, [ARTIFACT], **settings)


def _sigmoid_parts(
    features: FeatureUnion, estimators: list[CalibratedClassifierCV]
) -> list[tuple[np.ndarray, np.ndarray, float, float]] | None:
    """(coef, intercept, a, b) per label when every estimator has the shape `fit` makes: one
    sigmoid-calibrated binary logistic regression, no transformer weights; else None (then
    `predict_proba` takes the scikit-learn path)."""
    if features.transformer_weights is not None:
        return None
    parts = []
    for estimator in estimators:
        calibrated = getattr(estimator, "calibrated_classifiers_", [])
        if len(calibrated) != 1 or calibrated[0].method != "sigmoid":
            return None
        inner, calibrators = calibrated[0].estimator, calibrated[0].calibrators
        if (
            not isinstance(inner, LogisticRegression)
            or len(calibrators) != 1
            or list(inner.classes_) != [0, 1]
            or list(calibrated[0].classes) != [0, 1]
        ):
            return None
        parts.append((inner.coef_, inner.intercept_, calibrators[0].a_, calibrators[0].b_))
    return parts


@register(ARCHITECTURE)
def load_tfidf(folder: Path) -> SentenceClassifier:
    """Load a saved baseline after verifying its checksum; refuses untrusted types."""
    read_config(folder)
    return load_tfidf_artifact(folder / ARTIFACT)


def load_tfidf_artifact(path: Path) -> TfidfClassifier:
    untrusted = skops_io.get_untrusted_types(file=path)
    unexpected = [t for t in untrusted if t not in TRUSTED_TYPES]
    if unexpected:
        raise ValueError(f"{path}: refusing to load unexpected types {unexpected}")
    state = skops_io.load(path, trusted=untrusted)
    return TfidfClassifier(state["features"], state["estimators"])
