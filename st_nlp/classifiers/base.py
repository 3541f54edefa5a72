"""The classifier contract and the registry of named, versioned architectures.

A classifier maps sentences to one probability per label (multi-label, independent). New
architectures register a loader under a versioned name (`tfidf_logreg.v1`); a saved model
folder's `config.json` names the architecture that reads it, so old folders keep loading
after a new version is added.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from st_nlp.taxonomy import LABELS, Label


@runtime_checkable
class SentenceClassifier(Protocol):
    """Strings in, one probability per label out (columns follow `labels`)."""

    name: str
    labels: tuple[Label, ...]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities of shape (n_texts, n_labels)."""
        ...


def scores_as_dicts(classifier: SentenceClassifier, texts: Sequence[str]) -> list[dict[str, float]]:
    """Per-sentence `{label: probability}` for a classifier."""
    probabilities = classifier.predict_proba(texts) if texts else np.zeros((0, len(LABELS)))
    return [
        {str(label): float(row[i]) for i, label in enumerate(classifier.labels)}
        for row in probabilities
    ]


Loader = Callable[[Path], SentenceClassifier]
_LOADERS: dict[str, Loader] = {}


def register(name: str) -> Callable[[Loader], Loader]:
    """Register a loader for model folders whose config names architecture `name`."""

    def decorator(loader: Loader) -> Loader:
        if name in _LOADERS:
            raise ValueError(f"architecture {name!r} is already registered")
        _LOADERS[name] = loader
        return loader

    return decorator


def _import_builtins() -> None:
    import st_nlp.classifiers.ensemble
    import st_nlp.classifiers.minilm
    import st_nlp.classifiers.tfidf  # noqa: F401  (importing registers the built-ins)


def get_loader(name: str) -> Loader:
    """The loader registered for architecture `name`; lists the valid names if unknown."""
    _import_builtins()
    try:
        return _LOADERS[name]
    except KeyError:
        valid = ", ".join(sorted(_LOADERS))
        raise ValueError(f"unknown architecture {name!r}; registered: {valid}") from None


def registered() -> list[str]:
    """Names of every registered architecture."""
    _import_builtins()
    return sorted(_LOADERS)
