"""The fine-tuned MiniLM member: a tiny real fit, saved and loaded back."""

from __future__ import annotations

import numpy as np
import torch
from safetensors.torch import load_file

from st_nlp.classifiers.minilm import (
    ARTIFACT,
    STORED_DTYPE,
    MiniLMClassifier,
    MiniLMSettings,
    base_model_path,
    load_minilm_from_config,
)
from st_nlp.model_store import sha256_file

TEXTS = [
    "FOB punched BM in the face on 3/9 while the children watched.",
    "Mother called 911 and took the children to her sister's home.",
    "The parents have a volatile relationship.",
    "CW scheduled a home visit for 4/12.",
    "Mia (6) told CW she hides in the closet when Dad yells.",
    "Ms. Reed obtained an OFP on 5/2.",
]
TARGETS = np.array(
    [
        [1, 1, 0, 0, 1],
        [1, 0, 1, 0, 0],
        [0, 0, 0, 1, 0],
        [1, 0, 0, 0, 0],
        [1, 1, 0, 0, 1],
        [1, 0, 1, 0, 0],
    ]
)


def test_minilm_saved_half_precision_head_predicts_what_was_calibrated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """After `fit` the model in memory already carries the rounded weights, so the artifact
    loaded back predicts exactly the same scores; the stored tensors are float16."""
    settings = MiniLMSettings(trainable_layers=1, epochs=1, batch_size=4, seed=3)
    model = MiniLMClassifier.fit(TEXTS, TARGETS, settings)
    before = model.predict_proba(TEXTS)
    model.save_artifact(tmp_path / ARTIFACT)
    stored = load_file(str(tmp_path / ARTIFACT))
    assert {tensor.dtype for tensor in stored.values()} == {STORED_DTYPE}
    assert any(key.startswith("encoder.layer.5.") for key in stored)
    assert not any(key.startswith("encoder.layer.4.") for key in stored)
    config = {
        "minilm": {
            "trainable_layers": 1,
            "epochs": 1,
            "batch_size": 4,
            "seed": 3,
        },
        "base_model_sha256": sha256_file(base_model_path() / "model.safetensors"),
    }
    loaded = load_minilm_from_config(tmp_path, config)
    assert next(loaded.network.parameters()).dtype == torch.float32
    np.testing.assert_array_equal(loaded.predict_proba(TEXTS), before)
