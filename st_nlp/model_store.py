"""Model folders on disk: config, artifacts with SHA-256 checksums, metrics and a model card.

Layout of `models/<name>/`:
- `config.json`: architecture name, label list, artifact checksums, training settings;
- the artifacts the architecture needs (skops / safetensors / JSON — never pickle);
- `metrics.json` and `MODEL_CARD.md`, written by `st-nlp evaluate`.

Loading verifies every artifact's checksum and that the label set matches the taxonomy, so
a corrupted, swapped or outdated file fails loudly instead of silently mislabeling notes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from st_nlp.taxonomy import LABELS

CONFIG_FILE = "config.json"
REPO_MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
DEFAULT_MODEL = "default"


class ModelError(ValueError):
    """A model folder that cannot be used: missing files, bad checksum, wrong labels."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_config(folder: Path, architecture: str, artifacts: list[str], **settings: Any) -> None:
    """Write `config.json` with the checksums of `artifacts` (file names inside `folder`)."""
    config = {
        "architecture": architecture,
        "labels": [str(label) for label in LABELS],
        "artifacts": {name: sha256_file(folder / name) for name in artifacts},
        **settings,
    }
    (folder / CONFIG_FILE).write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")


def read_config(folder: Path) -> dict[str, Any]:
    """Read and verify a model folder's config: label set and artifact checksums."""
    path = folder / CONFIG_FILE
    if not path.is_file():
        raise ModelError(f"{folder}: no {CONFIG_FILE}; is this a st-nlp model folder?")
    try:
        config: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ModelError(f"{path}: invalid JSON ({error.msg})") from None
    if config.get("labels") != [str(label) for label in LABELS]:
        raise ModelError(
            f"{path}: label set {config.get('labels')} does not match the taxonomy"
            f" {[str(label) for label in LABELS]}"
        )
    for name, expected in config.get("artifacts", {}).items():
        artifact = folder / name
        if not artifact.is_file():
            raise ModelError(f"{folder}: artifact {name} is missing")
        actual = sha256_file(artifact)
        if actual != expected:
            raise ModelError(
                f"{artifact}: checksum mismatch (expected {expected[:12]}…, got {actual[:12]}…);"
                " the file was modified or corrupted — retrain with `st-nlp train`"
            )
    return config


def resolve_model_dir(path: str | Path | None) -> Path:
    """The folder for a model name or path; `None` is `$ST_NLP_MODEL` or the bundled default."""
    if path is None:
        path = os.environ.get("ST_NLP_MODEL") or None
    if path is None:
        return REPO_MODELS_DIR / DEFAULT_MODEL
    candidate = Path(path)
    if candidate.is_dir():
        return candidate
    named = REPO_MODELS_DIR / str(path)
    if named.is_dir():
        return named
    raise ModelError(f"no model folder at {path!s} (nor under {REPO_MODELS_DIR})")
