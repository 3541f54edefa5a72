"""Shipping the model: size budgets, checksums and the label set are enforced on load."""

from __future__ import annotations

import json
import shutil

import pytest

from st_nlp.classifiers.ensemble import ARTIFACTS
from st_nlp.model_store import REPO_MODELS_DIR, ModelError, read_config
from st_nlp.spans.tagger import ARTIFACT as TAGGER_ARTIFACT

DEFAULT = REPO_MODELS_DIR / "default"
# The budgets: the scikit-learn model <= 5 MB; everything that sits on the packaged
# MiniLM (the classification head and the span tagger) <= 30 MB together.
SKLEARN_BUDGET = 5_000_000
TRANSFORMER_BUDGET = 30_000_000


def test_model_artifacts_stay_within_their_size_budgets() -> None:
    assert (DEFAULT / ARTIFACTS[0]).stat().st_size <= SKLEARN_BUDGET
    on_minilm = [DEFAULT / ARTIFACTS[1], DEFAULT / TAGGER_ARTIFACT]
    assert sum(path.stat().st_size for path in on_minilm) <= TRANSFORMER_BUDGET


def test_model_default_folder_verifies(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = read_config(DEFAULT)
    assert config["architecture"] == "ensemble.v1"
    assert set(config["artifacts"]) == {*ARTIFACTS, TAGGER_ARTIFACT}


def test_model_load_refuses_a_modified_artifact(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "m"
    shutil.copytree(DEFAULT, folder)
    with (folder / "minilm_head.safetensors").open("ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ModelError, match="checksum mismatch"):
        read_config(folder)


def test_model_load_refuses_another_label_set(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "m"
    shutil.copytree(DEFAULT, folder)
    config = json.loads((folder / "config.json").read_text())
    config["labels"] = [*config["labels"][:-1], "risk"]
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match="label set"):
        read_config(folder)


def test_model_load_names_a_missing_folder() -> None:
    from st_nlp.model_store import resolve_model_dir

    with pytest.raises(ModelError, match="no model folder"):
        resolve_model_dir("no-such-model")


def test_model_registry_and_dict_scores() -> None:
    from st_nlp.classifiers.base import get_loader, registered, scores_as_dicts

    assert registered() == ["ensemble.v1", "minilm_head.v1", "tfidf_logreg.v1"]
    with pytest.raises(ValueError, match=r"registered: ensemble\.v1"):
        get_loader("bert.v9")
    classifier = get_loader("ensemble.v1")(DEFAULT)
    scores = scores_as_dicts(classifier, ["FOB punched BM on 3/9."])
    assert list(scores[0]) == [
        "behavioral_fact",
        "perpetrator_pattern",
        "survivor_protective_action",
        "blaming_language",
        "child_impact",
    ]
    assert scores_as_dicts(classifier, []) == []
