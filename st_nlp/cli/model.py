"""`st-nlp train` and `st-nlp evaluate`: reproducible training and held-out evaluation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import typer
from rich.console import Console

from st_nlp.cli.inputs import fail
from st_nlp.corpus.jsonl import DataError
from st_nlp.corpus.paths import DATA_DIR
from st_nlp.model_store import REPO_MODELS_DIR, ModelError, read_config, resolve_model_dir


def train(
    out: Path = typer.Option(REPO_MODELS_DIR / "default", "--out", "-o", help="Model folder."),
    data_dir: Path = typer.Option(DATA_DIR, "--data-dir", help="Corpus folder."),
    seed: int = typer.Option(13, help="Random seed (training is deterministic for a seed)."),
    epochs: int = typer.Option(8, help="MiniLM fine-tuning epochs."),
) -> None:
    """Train the default model (TF-IDF baseline + MiniLM head, combined on dev)."""
    from st_nlp.classifiers.minilm import MiniLMSettings
    from st_nlp.training import train_default

    console = Console(stderr=True)
    try:
        with console.status("training…"):
            train_default(
                out,
                data_dir,
                seed=seed,
                minilm_settings=MiniLMSettings(seed=seed, epochs=epochs),
                progress=lambda message: console.log(message),
            )
    except (DataError, ValueError) as error:
        raise fail(str(error)) from None
    typer.echo(f"trained model written to {out}; now run: st-nlp evaluate --model {out}")


def fit_quality(
    model: str | None = typer.Option(None, "--model", "-m", help="Model folder or name."),
    data_dir: Path = typer.Option(DATA_DIR, "--data-dir", help="Corpus folder."),
) -> None:
    """Refit the note quality score's weights on the train notes' ratings (a step of `train`)."""
    from st_nlp.training import fit_quality_weights

    console = Console(stderr=True)
    try:
        folder = resolve_model_dir(model)
        with console.status("reviewing the rated train and dev notes…"):
            summary = fit_quality_weights(folder, data_dir)
    except (ModelError, DataError, ValueError) as error:
        raise fail(str(error)) from None
    typer.echo(json.dumps(summary))


def annotation_counts(data_dir: Path) -> dict[str, int]:
    """Corpus sentences by annotator field (agreed, adjudicated, pass_a_only, ...)."""
    from collections import Counter

    from st_nlp.corpus.jsonl import read_records
    from st_nlp.corpus.paths import SENTENCES_FILE
    from st_nlp.corpus.records import SentenceRecord

    counts: Counter[str] = Counter(
        record.annotator for _, record in read_records(data_dir / SENTENCES_FILE, SentenceRecord)
    )
    return dict(counts)


def evaluate(
    model: str | None = typer.Option(None, "--model", "-m", help="Model folder or name."),
    data_dir: Path = typer.Option(DATA_DIR, "--data-dir", help="Corpus folder."),
    split: str = typer.Option(
        "test", help="Held-out split to score (dev or test; all with --notes)."
    ),
    notes: str | None = typer.Option(
        None,
        "--notes",
        help="Only notes whose id fully matches this regular expression, e.g. a round added"
        " after the model was trained: 'n[fg]-.*|t3-.*' (prints the metrics, writes nothing).",
    ),
    write: bool = typer.Option(
        True, "--write/--no-write", help="Write metrics.json and MODEL_CARD.md into the model."
    ),
    runtime: str | None = typer.Option(
        None,
        "--runtime",
        help="MiniLM runtime: torch (reference), onnx-fp32 or onnx-int8 (default: $ST_NLP_RUNTIME"
        " or onnx-int8).",
    ),
) -> None:
    """Score a model on held-out data; writes metrics.json and MODEL_CARD.md."""
    from st_nlp.evaluation import evaluate_model
    from st_nlp.model_card import render_model_card, targets_table

    if split not in {"train", "dev", "test", "all"}:
        raise fail(f"--split must be train, dev, test or all, not {split!r}")
    if split == "all" and notes is None:
        raise fail("--split all scores training data too: name the unseen notes with --notes")
    if notes is not None:
        try:
            re.compile(notes)
        except re.error as error:
            raise fail(f"--notes is not a regular expression: {error}") from None
    console = Console(stderr=True)
    try:
        folder = resolve_model_dir(model)
        metrics = evaluate_model(
            folder, data_dir, split, progress=lambda m: console.log(m), runtime=runtime, notes=notes
        )
    except (ModelError, DataError, ValueError) as error:
        raise fail(str(error)) from None
    if write and notes is None:
        (folder / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
        card = render_model_card(
            folder.name, read_config(folder), metrics, annotation_counts(data_dir)
        )
        (folder / "MODEL_CARD.md").write_text(card)
    Console().print(targets_table(metrics))
    summary = {k: metrics[k] for k in ("sentences", "macro_f1_core", "macro_f1_all", "ece_mean")}
    summary["f1"] = {label: values["f1"] for label, values in metrics["per_label"].items()}
    typer.echo(json.dumps(summary))
