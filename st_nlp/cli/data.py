"""`st-nlp data ...`: validate, describe, compare, export and import the annotated corpus."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from st_nlp.cli.inputs import fail
from st_nlp.corpus.formats import EXPORT_FORMATS
from st_nlp.corpus.jsonl import DataError, read_records, write_records
from st_nlp.corpus.paths import DATA_DIR, SENTENCES_FILE
from st_nlp.corpus.records import SentenceRecord
from st_nlp.taxonomy import LABELS

app = typer.Typer(help="Validate, describe, compare, export and import the annotated corpus.")

DATA_DIR_OPTION = typer.Option(DATA_DIR, "--data-dir", help="Corpus folder.")


def _records(path: Path) -> list[SentenceRecord]:
    try:
        return [record for _, record in read_records(path, SentenceRecord)]
    except DataError as error:
        raise fail(str(error)) from None


@app.command()
def validate(data_dir: Path = DATA_DIR_OPTION) -> None:
    """Check the corpus: schema, labels, offsets, spans, duplicate ids, split leakage."""
    from st_nlp.corpus.validate import validate_corpus

    problems = validate_corpus(data_dir)
    for problem in problems[:200]:
        typer.echo(str(problem), err=True)
    if problems:
        raise fail(f"{len(problems)} problem(s) found in {data_dir}", code=1)
    typer.echo(f"ok: {data_dir} is valid")


@app.command()
def stats(data_dir: Path = DATA_DIR_OPTION) -> None:
    """Print the corpus counts: notes, sentences, labels, splits, fairness, names, rewrites."""
    from st_nlp.corpus.stats import corpus_stats

    try:
        s = corpus_stats(data_dir)
    except DataError as error:
        raise fail(str(error)) from None
    console = Console()
    table = Table(title=f"Corpus {data_dir}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("full notes", s.notes_by_source.get("note", 0)),
        ("targeted single sentences", s.notes_by_source.get("targeted", 0)),
        ("labeled sentences", s.sentences),
        (
            "sentences per full note (min/mean/max)",
            f"{s.sentences_per_note_min}/{s.sentences_per_note_mean:.1f}/{s.sentences_per_note_max}",
        ),
        ("registers of full notes", len(s.full_notes_by_register)),
        ("sentences with no label", f"{s.no_label} ({s.no_label_share:.1%})"),
        (
            "perpetrator_pattern: perpetrator not a man in a hetero couple",
            f"{s.perpetrator_not_male_hetero}/{s.perpetrator_sentences}"
            f" ({s.perpetrator_not_male_hetero_share:.1%})",
        ),
        ("distinct invented person names", s.distinct_names),
        ("notes with a quality rating", s.rated_notes),
        ("rewrite pairs", s.rewrites),
    ]
    rows += [(f"positives: {label}", s.positives[label]) for label in LABELS]
    rows += [(f"blaming spans: {k}", v) for k, v in sorted(s.subtype_spans.items())]
    rows += [(f"split: {k}", v) for k, v in sorted(s.sentences_by_split.items())]
    rows += [(f"source: {k}", v) for k, v in sorted(s.sentences_by_source.items())]
    rows += [(f"register: {k}", v) for k, v in sorted(s.full_notes_by_register.items())]
    rows += [(f"quality tier: {k}", v) for k, v in sorted(s.full_notes_by_quality.items())]
    rows += [(f"rewrites: {k}", v) for k, v in sorted(s.rewrite_subtypes.items())]
    for name, value in rows:
        table.add_row(name, str(value))
    console.print(table)


@app.command()
def agreement(
    pass_a: Path = typer.Argument(..., help="First annotation pass (canonical JSONL)."),
    pass_b: Path = typer.Argument(..., help="Second annotation pass (canonical JSONL)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Inter-annotator agreement per label (Cohen's kappa, Krippendorff's alpha) and spans."""
    from st_nlp.corpus.agreement import compare_passes

    try:
        report = compare_passes(_records(pass_a), _records(pass_b))
    except ValueError as error:
        raise fail(str(error)) from None
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "sentences": report.sentences,
                    "exact_set_agreement": report.exact_set_agreement,
                    "labels": {
                        str(r.label): {
                            "kappa": round(r.kappa, 4),
                            "alpha": round(r.alpha, 4),
                            "positives_a": r.positives_a,
                            "positives_b": r.positives_b,
                            "both": r.both,
                            "observed_agreement": round(r.observed_agreement, 4),
                        }
                        for r in report.labels
                    },
                    "spans": report.spans.__dict__,
                },
                indent=2,
            )
        )
        return
    table = Table(title=f"Agreement over {report.sentences} sentences")
    for column in ("label", "Cohen's κ", "Krippendorff's α", "pos A", "pos B", "both", "obs. agr."):
        table.add_column(column, justify="right" if column != "label" else "left")
    for r in report.labels:
        table.add_row(
            str(r.label),
            f"{r.kappa:.3f}",
            f"{r.alpha:.3f}",
            str(r.positives_a),
            str(r.positives_b),
            str(r.both),
            f"{r.observed_agreement:.3f}",
        )
    console = Console()
    console.print(table)
    sp = report.spans
    console.print(
        f"blaming spans: exact F1 {sp.exact_f1:.3f}, overlap F1 {sp.overlap_f1:.3f},"
        f" subtype agreement on overlapping spans {sp.subtype_agreement:.3f}"
        f" ({sp.spans_a} vs {sp.spans_b} spans);"
        f" identical label sets {report.exact_set_agreement:.1%}"
    )


@app.command("export")
def export(
    output_format: str = typer.Option(..., "--format", "-f", help="hf, spacy, labelstudio or csv."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file or folder."),
    data_dir: Path = DATA_DIR_OPTION,
    split: str | None = typer.Option(None, help="Only this split (train, dev, test)."),
) -> None:
    """Export the corpus to Hugging Face datasets, spaCy DocBin, Label Studio or CSV."""
    from st_nlp.corpus.formats import csv_format, docbin, hf, labelstudio

    if output_format not in EXPORT_FORMATS:
        raise fail(f"--format must be one of {', '.join(EXPORT_FORMATS)}, not {output_format!r}")
    records = _records(data_dir / SENTENCES_FILE)
    if split is not None:
        records = [r for r in records if r.split == split]
    exporters = {
        "hf": hf.export_hf,
        "spacy": docbin.export_docbin,
        "labelstudio": labelstudio.export_labelstudio,
        "csv": csv_format.export_csv,
    }
    count = exporters[output_format](records, out)
    typer.echo(f"wrote {count} sentences as {output_format} to {out}")


@app.command("import")
def import_(
    source: Path = typer.Argument(..., help="File or folder to import."),
    from_format: str = typer.Option(..., "--from", help="labelstudio, hf, spacy or csv."),
    out: Path = typer.Option(..., "--out", "-o", help="Canonical JSONL to write."),
) -> None:
    """Import annotations (e.g. a Label Studio JSON export) into the canonical JSONL format."""
    from st_nlp.corpus.formats import csv_format, docbin, hf, labelstudio

    importers = {
        "labelstudio": labelstudio.import_labelstudio,
        "hf": hf.import_hf,
        "spacy": docbin.import_docbin,
        "csv": csv_format.import_csv,
    }
    if from_format not in importers:
        raise fail(f"--from must be one of {', '.join(importers)}, not {from_format!r}")
    if not source.exists():
        raise fail(f"{source}: no such file or folder")
    try:
        records = importers[from_format](source)
    except DataError as error:
        raise fail(str(error)) from None
    count = write_records(out, records)
    typer.echo(f"wrote {count} sentences to {out}")
