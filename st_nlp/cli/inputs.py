"""Reading CLI input files (or stdin) with errors that name the problem and exit non-zero.

Messages name the file and the byte offset of a decoding problem but never quote the text:
the input is a case note.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from st_nlp.corpus.jsonl import DataError, decode_utf8

STDIN = "-"


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print `message` to stderr and return the exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def read_text_input(source: str) -> str:
    """The UTF-8 text of `source` (a path, or '-' for stdin); exits with code 2 on problems."""
    if source == STDIN:
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        path = Path(source)
        if not path.exists():
            raise fail(f"{source}: no such file")
        if path.is_dir():
            raise fail(f"{source}: is a directory, expected a text file")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise fail(f"{source}: cannot read file ({error.strerror})") from None
        name = source
    try:
        return decode_utf8(data, name)
    except DataError as error:
        raise fail(str(error)) from None
