"""`st-nlp audit`: batch documentation audit for supervisors."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from st_nlp.cli.inputs import fail


def audit(
    input_path: Path = typer.Argument(
        ..., help="Notes as JSONL or CSV: note_id, text, [case_id, worker_id, unit, date]."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder (re-run to resume)."),
    model: str | None = typer.Option(None, "--model", "-m", help="Model folder or name."),
    suggestions: bool = typer.Option(
        True, "--suggestions/--no-suggestions", help="Include rewrite suggestions."
    ),
    workers: int = typer.Option(
        1, "--workers", "-w", min=1, help="Worker processes (one model each; about one per core)."
    ),
) -> None:
    """Audit many notes: per-note results, findings, aggregates and an offline HTML report."""
    from st_nlp.audit.reader import detect_format
    from st_nlp.audit.runner import AuditError, run_audit
    from st_nlp.model_store import ModelError
    from st_nlp.parallel import ParallelReviewer
    from st_nlp.reviewer import Reviewer

    if not input_path.is_file():
        raise fail(f"{input_path}: no such file")
    try:
        detect_format(input_path)
        reviewer: Reviewer | ParallelReviewer = (
            ParallelReviewer(model, workers, suggestions=suggestions)
            if workers > 1
            else Reviewer.load(model, suggestions=suggestions)
        )
    except (ValueError, ModelError) as error:
        raise fail(str(error)) from None
    columns = (
        TextColumn("auditing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} notes/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns, transient=False) as progress:
            task = progress.add_task("audit", total=None, rate=0.0)

            def update(done: int, total: int) -> None:
                elapsed = progress.tasks[0].elapsed or 1e-9
                progress.update(task, completed=done, total=total, rate=done / elapsed)

            summary = run_audit(input_path, out, reviewer, on_progress=update)
    except AuditError as error:
        raise fail(str(error)) from None
    except KeyboardInterrupt:
        raise fail("interrupted; run the same command again to resume", code=130) from None
    finally:
        if isinstance(reviewer, ParallelReviewer):
            reviewer.close()
    typer.echo(
        f"audited {summary.notes} notes ({summary.resumed} from an earlier run),"
        f" {summary.errors} rows with errors; report: {out / 'report.html'}"
    )
