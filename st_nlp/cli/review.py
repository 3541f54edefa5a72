"""`st-nlp classify` and `st-nlp review`: the reviewer on files or stdin."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from st_nlp.cli.inputs import STDIN, fail, read_text_input
from st_nlp.model_store import ModelError

LABEL_STYLES = {
    "behavioral_fact": "cyan",
    "perpetrator_pattern": "magenta",
    "survivor_protective_action": "green",
    "blaming_language": "bold red",
    "child_impact": "yellow",
}

MODEL_OPTION = typer.Option(
    None, "--model", "-m", help="Model folder or name under models/ (default: models/default)."
)


def _load_reviewer(model: str | None):  # type: ignore[no-untyped-def]
    from st_nlp.reviewer import Reviewer

    try:
        return Reviewer.load(model)
    except ModelError as error:
        raise fail(str(error)) from None


def classify(
    source: str = typer.Argument(STDIN, help="File with one sentence per line, or - for stdin."),
    model: str | None = MODEL_OPTION,
    workers: int = typer.Option(
        1, "--workers", "-w", min=1, help="Worker processes (one model each; about one per core)."
    ),
) -> None:
    """Label sentences: one JSON object per input line, in order: {text, labels, scores}."""
    text = read_text_input(source)
    lines = text.splitlines()
    if not lines:
        return
    if workers == 1:
        results = _load_reviewer(model).classify(lines)
    else:
        from st_nlp.parallel import ParallelReviewer

        try:
            pool = ParallelReviewer(model, workers, suggestions=False)
            try:
                results = pool.classify(lines)
            finally:
                pool.close()
        except ModelError as error:
            raise fail(str(error)) from None
    for line, result in zip(lines, results, strict=True):
        typer.echo(json.dumps({"text": line, **result}, ensure_ascii=False))


def review(
    source: str = typer.Argument(STDIN, help="A case note as a text file, or - for stdin."),
    output_format: str = typer.Option(
        "text", "--format", "-f", help="json (machine-readable) or text (colored report)."
    ),
    model: str | None = MODEL_OPTION,
) -> None:
    """Review a whole note: sentence labels, blaming findings, suggestions and note quality."""
    if output_format not in {"json", "text"}:
        raise fail(f"--format must be json or text, not {output_format!r}")
    text = read_text_input(source)
    reviewer = _load_reviewer(model)
    result = reviewer.review(text).to_dict()
    if output_format == "json":
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    print_report(result)


def print_report(result: dict[str, Any]) -> None:
    """A readable, colored report of a review."""
    console = Console(highlight=False)
    for number, sentence in enumerate(result["sentences"], start=1):
        line = Text(f"{number:>3}. ")
        body = Text(sentence["text"])
        for finding in sentence["findings"]:
            start = finding["start"] - sentence["start"]
            end = finding["end"] - sentence["start"]
            body.stylize("bold red underline", start, end)
        line.append(body)
        console.print(line)
        tags = Text("     ")
        for label in sentence["labels"]:
            tags.append(f"[{label}] ", style=LABEL_STYLES.get(label, ""))
        if not sentence["labels"]:
            tags.append("(no label)", style="dim")
        console.print(tags)
        for finding in sentence["findings"]:
            console.print(
                f"     [red]! {finding['subtype']}[/] ({finding['rule_id']}):"
                f" {escape(finding['message'])}"
            )
        for suggestion in sentence.get("suggestions", []):
            console.print(f"     [green]→ {escape(suggestion['text'])}[/]")
    quality = result["quality"]
    console.print()
    console.print(f"[bold]Documentation quality: {quality['score']:.0f}/100[/]")
    console.print(
        f"  behavioral facts among DV sentences: {quality['fact_share']:.0%};"
        f" blaming findings per 100 sentences: {quality['blaming_per_100']};"
        f" vague characterizations: {quality['vague_characterizations']};"
        f" quotes: {quality['quotes']}"
    )
    for component, documented in quality["components"].items():
        mark = "[green]✓[/]" if documented else "[red]✗[/]"
        console.print(f"  {mark} {component}")
