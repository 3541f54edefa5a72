"""`st-nlp evaluate-rewrites`: the rewriter's measures on held-out data."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from st_nlp.cli.inputs import fail
from st_nlp.corpus.jsonl import DataError
from st_nlp.corpus.paths import DATA_DIR
from st_nlp.model_store import ModelError, resolve_model_dir

METRICS_FILE = "rewrite_metrics.json"
ROWS = (
    ("flagged_sentences", "flagged sentences", None),
    ("suggestions", "suggestions", None),
    ("coverage", "flagged sentences with >= 1 suggestion", "coverage"),
    ("not_blaming", "suggestions not classified as blaming", "not_blaming"),
    ("not_blaming_placeholders_blanked", "  ... with placeholders blanked (run-time check)", None),
    ("facts_kept", "suggestions keeping every fact", "facts_kept"),
    ("facts_kept_via_note", "  ... of which list facts in [also from the original]", None),
    (
        "grounded_new_words",
        "new content words in placeholders or from the note",
        "grounded_new_words",
    ),
    ("chrf_corpus", "chrF vs writer's rewrite (corpus)", None),
    ("chrf_sentence_mean", "chrF vs writer's rewrite (mean sentence)", None),
)


def evaluate_rewrites(
    model: str | None = typer.Option(None, "--model", "-m", help="Model folder or name."),
    data_dir: Path = typer.Option(DATA_DIR, "--data-dir", help="Corpus folder."),
    split: str = typer.Option("test", help="Held-out split to score (dev or test)."),
    write: bool = typer.Option(
        True, "--write/--no-write", help=f"Write {METRICS_FILE} into the model folder."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help=f"Write the metrics here instead of the model's {METRICS_FILE}."
    ),
) -> None:
    """Score the rewrite suggestions on held-out rewrite pairs and flagged corpus sentences."""
    from st_nlp.reviewer import Reviewer
    from st_nlp.rewrite.evaluation import evaluate_rewrites as run

    if split not in {"train", "dev", "test"}:
        raise fail(f"--split must be train, dev or test, not {split!r}")
    console = Console(stderr=True)
    try:
        folder = resolve_model_dir(model)
        reviewer = Reviewer.load(folder)
        metrics = run(reviewer, data_dir, split, progress=lambda m: console.log(m))
    except (ModelError, DataError, ValueError) as error:
        raise fail(str(error)) from None
    if write:
        (out or folder / METRICS_FILE).write_text(json.dumps(metrics, indent=2) + "\n")
    table = Table(
        title=f"Rewrite suggestions on the {split} split ({metrics['similarity_metric']})"
    )
    table.add_column("measure")
    table.add_column("target", justify="right")
    table.add_column("rewrite pairs", justify="right")
    table.add_column("corpus sentences", justify="right")
    for key, title, target in ROWS:
        goal = f">= {metrics['targets'][target]:.0%}" if target else ""
        values = [metrics[part].get(key) for part in ("rewrite_pairs", "corpus_sentences")]
        cells = [
            "-" if v is None else (f"{v:.1%}" if isinstance(v, float) and v <= 1 else str(v))
            for v in values
        ]
        table.add_row(title, goal, *cells)
    Console().print(table)
