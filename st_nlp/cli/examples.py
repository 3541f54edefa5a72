"""`st-nlp examples` (de-identified example sets for trainers) and `st-nlp deid-eval`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from st_nlp.cli.inputs import fail

DEID_DIR = Path("annotation") / "deid"


def examples(
    label: str = typer.Option(..., "--label", "-l", help="Sentence label, e.g. blaming_language."),
    subtype: str | None = typer.Option(None, "--subtype", "-s", help="Blaming subtype."),
    n: int = typer.Option(25, "--n", help="Number of examples (1-200)."),
    source: str = typer.Option(
        "corpus", "--from", help="'corpus' or an audit output folder (st-nlp audit --out)."
    ),
    fmt: str = typer.Option("md", "--format", "-f", help="md, html, csv, jsonl, hf, labelstudio."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file (folder for hf, labelstudio)."),
    reviewed_by: str | None = typer.Option(
        None, "--reviewed-by", help="Who reviewed the set; without it the export is a DRAFT."
    ),
    model: str | None = typer.Option(None, "--model", "-m", help="Model folder or name."),
) -> None:
    """Export diverse, confident, de-identified examples with findings and rewrites."""
    from st_nlp.corpus.jsonl import DataError
    from st_nlp.deid.deidentifier import Deidentifier
    from st_nlp.example_sets.build import build_example_set, check_request
    from st_nlp.example_sets.export import FORMATS, write
    from st_nlp.model_store import ModelError
    from st_nlp.reviewer import Reviewer

    if fmt not in FORMATS:
        raise fail(f"--format: unknown format {fmt!r}; valid formats are: {', '.join(FORMATS)}")
    if source != "corpus" and not Path(source).is_dir():
        raise fail(f"--from: {source} is neither 'corpus' nor an audit folder")
    try:
        check_request(label, subtype, n)
        reviewer = Reviewer.load(model)
        example_set = build_example_set(
            reviewer, Deidentifier(), label, subtype, n, source, reviewed_by
        )
        write(example_set, fmt, out)
    except (ValueError, DataError, ModelError) as error:
        raise fail(str(error)) from None
    status = "DRAFT (not reviewed)" if example_set.draft else f"reviewed by {reviewed_by}"
    typer.echo(f"wrote {len(example_set.items)} examples to {out} [{status}]", err=True)


def deid_eval(
    fixture: list[Path] = typer.Option(
        [DEID_DIR / "heldout.jsonl"], "--fixture", help="Planted-identifier notes (JSONL)."
    ),
    corpus: Path | None = typer.Option(
        Path("annotation") / "data" / "notes.jsonl",
        "--corpus",
        help="Corpus notes with `people` for person-name recall ('' to skip).",
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="Also write the JSON here."),
) -> None:
    """Measure de-identification: recall per identifier type, precision, corpus name recall."""
    from st_nlp.deid.deidentifier import Deidentifier
    from st_nlp.deid.evaluation import score_corpus_people, score_planted
    from st_nlp.deid.synthetic import read_fixture

    deid = Deidentifier()
    report: dict[str, object] = {
        "recall": "entity-level: an identifier counts only if all its characters are replaced",
        "precision": "character-level: replaced characters inside planted identifiers",
    }
    for path in fixture:
        if not path.is_file():
            raise fail(f"--fixture: {path}: no such file")
        report[path.name] = score_planted(read_fixture(path), deid).to_dict()
    if corpus is not None and str(corpus):
        if not corpus.is_file():
            raise fail(f"--corpus: {corpus}: no such file")
        with corpus.open(encoding="utf-8") as handle:
            notes = [json.loads(line) for line in handle if line.strip()]
        report["corpus_people"] = score_corpus_people(notes, deid)
    text = json.dumps(report, indent=2)
    typer.echo(text)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
