"""Reading and writing JSON Lines with errors that name the file, line, byte offset and field.

Error messages never include the content of a line: corpus and audit files may hold case-note
text, and messages end up in terminals, logs and CI output.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


class DataError(ValueError):
    """A problem in an input file, located by path, line (1-based) and, where known, field."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


def describe_validation_error(error: ValidationError) -> str:
    """Summarize a pydantic error by field path and message, without echoing the input value."""
    parts = []
    for item in error.errors(include_input=False, include_url=False):
        field = ".".join(str(p) for p in item["loc"]) or "(record)"
        parts.append(f"field '{field}': {item['msg']}")
    return "; ".join(parts)


def decode_utf8(data: bytes, path: Path | str, line: int | None = None) -> str:
    """Decode UTF-8, or raise a `DataError` naming the byte offset of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError(
            path, line, f"not valid UTF-8: byte offset {error.start} (0x{data[error.start]:02x})"
        ) from None


def iter_json_lines(path: Path | str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield `(line_number, object)` for each non-blank line; raise `DataError` on bad lines."""
    path = Path(path)
    try:
        handle = path.open("rb")
    except OSError as error:
        raise DataError(path, None, f"cannot read file: {error.strerror}") from None
    offset = 0
    with handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise DataError(
                    path,
                    number,
                    f"not valid UTF-8: byte offset {offset + error.start} in the file",
                ) from None
            offset += len(raw)
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                raise DataError(
                    path, number, f"invalid JSON at column {error.colno}: {error.msg}"
                ) from None
            if not isinstance(value, dict):
                raise DataError(path, number, "expected a JSON object")
            yield number, value


def read_records(path: Path | str, model: type[Model]) -> Iterator[tuple[int, Model]]:
    """Yield `(line_number, record)` parsed and validated as `model`."""
    for number, value in iter_json_lines(path):
        try:
            yield number, model.model_validate(value)
        except ValidationError as error:
            raise DataError(path, number, describe_validation_error(error)) from None


def write_records(path: Path | str, records: Iterable[BaseModel | dict[str, Any]]) -> int:
    """Write records as JSON Lines (UTF-8, one per line, keys in model order); return the count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            data = (
                record.model_dump(mode="json", exclude_none=True)
                if isinstance(record, BaseModel)
                else record
            )
            handle.write(json.dumps(data, ensure_ascii=False) + "\n")
            count += 1
    return count
