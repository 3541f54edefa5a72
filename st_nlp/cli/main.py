"""The `st-nlp` entry point: assembles the command groups and the top-level commands."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from st_nlp import __version__
from st_nlp.cli import audit as audit_commands
from st_nlp.cli import bench as bench_commands
from st_nlp.cli import data as data_commands
from st_nlp.cli import examples as examples_commands
from st_nlp.cli import model as model_commands
from st_nlp.cli import review as review_commands
from st_nlp.cli import rewrites as rewrite_commands
from st_nlp.cli import serve as serve_commands
from st_nlp.taxonomy import COMPONENT_INFO, LABEL_INFO, SUBTYPE_INFO, Label

app = typer.Typer(
    name="st-nlp",
    help=(
        "Review child-welfare case notes against the Safe & Together(TM) Model: sentence labels,"
        " blaming-language findings and fact-based rewrite suggestions. Runs fully offline."
    ),
    no_args_is_help=True,
    add_completion=False,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"st-nlp {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    """Offline Safe & Together-informed reviewer of case notes."""


@app.command()
def labels() -> None:
    """Print the label taxonomy: labels, definitions, blaming subtypes, critical components."""
    console = Console()
    table = Table(title="Sentence labels (multi-label)", show_lines=True)
    table.add_column("label", style="bold")
    table.add_column("definition")
    table.add_column("critical components")
    for info in LABEL_INFO.values():
        components = ", ".join(f"({COMPONENT_INFO[c].number}) {c}" for c in info.components)
        body = f"{info.definition}\n[green]in:[/] {info.includes}\n[red]out:[/] {info.excludes}"
        table.add_row(info.label.value, body, components or "-")
    console.print(table)

    subtypes = Table(title=f"Subtypes of {Label.BLAMING_LANGUAGE.value}", show_lines=True)
    subtypes.add_column("subtype", style="bold")
    subtypes.add_column("definition")
    subtypes.add_column("typical cues")
    for sub in SUBTYPE_INFO.values():
        subtypes.add_row(sub.subtype.value, sub.definition, "; ".join(sub.cues))
    console.print(subtypes)

    components_table = Table(title="Safe & Together critical components")
    components_table.add_column("#")
    components_table.add_column("component", style="bold")
    components_table.add_column("description")
    for comp in COMPONENT_INFO.values():
        components_table.add_row(str(comp.number), comp.component.value, comp.title)
    console.print(components_table)


app.add_typer(data_commands.app, name="data")
app.command()(review_commands.classify)
app.command()(review_commands.review)
app.command()(model_commands.train)
app.command()(model_commands.evaluate)
app.command(name="fit-quality")(model_commands.fit_quality)
app.command("evaluate-rewrites")(rewrite_commands.evaluate_rewrites)
app.command()(audit_commands.audit)
app.command()(serve_commands.serve)
app.command()(examples_commands.examples)
app.command(name="deid-eval")(examples_commands.deid_eval)
app.command()(bench_commands.bench)
app.add_typer(serve_commands.keys_app, name="keys")


def main() -> None:
    """Run the CLI (used by `python -m st_nlp`)."""
    app()
