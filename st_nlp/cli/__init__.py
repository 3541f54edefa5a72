"""The `st-nlp` command line: one Typer app, one module per command group."""
