"""Streaming audit input (JSONL or CSV) with row-level errors instead of aborting.

Each row needs `note_id` and `text`; `case_id`, `worker_id`, `unit` and `date` are optional.
A bad row (missing text, bad date, duplicate note id, non-UTF-8 bytes, broken JSON) becomes an
`InputError` with its row number and reason; the audit reports it and goes on with the rest.
Rows are read one at a time, so memory does not grow with the file (only the set of seen note
ids does, a few bytes per note).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d", "%d-%b-%Y", "%B %d, %Y")
MAX_TEXT_CHARS = 1_000_000


@dataclass(frozen=True)
class AuditNote:
    row: int
    note_id: str
    text: str
    case_id: str | None = None
    worker_id: str | None = None
    unit: str | None = None
    date: date | None = None

    @property
    def month(self) -> str | None:
        return self.date.strftime("%Y-%m") if self.date else None


@dataclass(frozen=True)
class InputError:
    row: int
    note_id: str | None
    reason: str


def parse_date(value: str) -> date:
    value = value.strip()
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unrecognized date (expected e.g. 2024-03-14 or 3/14/2024): {value[:20]!r}")


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    if suffix in {".csv", ".tsv"}:
        return "csv"
    raise ValueError(f"{path}: unknown input format {suffix!r}; use .jsonl or .csv")


def count_rows(path: Path) -> int:
    """Rows in the file (for the progress bar's total), counted without parsing."""
    with path.open("rb") as handle:
        lines = sum(1 for line in handle if line.strip())
    return lines - 1 if detect_format(path) == "csv" else lines


def _raw_rows(path: Path) -> Iterator[tuple[int, dict[str, object] | None, str | None]]:
    """Yield (row number, fields or None, error) per row; rows are 1-based data rows."""
    kind = detect_format(path)
    with path.open("rb") as handle:
        if kind == "jsonl":
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as error:
                    yield number, None, f"not valid UTF-8 (byte {error.start} of the row)"
                    continue
                try:
                    value = json.loads(text)
                except json.JSONDecodeError as error:
                    yield number, None, f"invalid JSON at column {error.colno}: {error.msg}"
                    continue
                if not isinstance(value, dict):
                    yield number, None, "expected a JSON object"
                    continue
                yield number, value, None
            return
        header = handle.readline()
        try:
            columns = next(csv.reader([header.decode("utf-8-sig")]))
        except (UnicodeDecodeError, StopIteration):
            yield 1, None, "header row is not valid UTF-8 CSV"
            return
        number = 1
        buffer = b""
        for raw in handle:
            buffer += raw
            try:
                text = buffer.decode("utf-8")
            except UnicodeDecodeError as error:
                number += 1
                yield number, None, f"not valid UTF-8 (byte {error.start} of the row)"
                buffer = b""
                continue
            rows = list(csv.reader(io.StringIO(text)))
            if text.count('"') % 2 == 1:  # a quoted field continues on the next line
                continue
            buffer = b""
            for fields in rows:
                number += 1
                if not any(f.strip() for f in fields):
                    continue
                if len(fields) != len(columns):
                    yield number, None, f"expected {len(columns)} columns, found {len(fields)}"
                    continue
                yield number, dict(zip(columns, fields, strict=True)), None


def read_notes(path: Path) -> Iterator[AuditNote | InputError]:
    """Audit notes and row errors, in file order."""
    seen: set[str] = set()
    for number, fields, error in _raw_rows(path):
        if fields is None:
            yield InputError(number, None, error or "unreadable row")
            continue
        note_id = str(fields.get("note_id") or "").strip()
        text = fields.get("text")
        if not note_id:
            yield InputError(number, None, "missing note_id")
            continue
        if note_id in seen:
            yield InputError(number, note_id, "duplicate note_id (first occurrence kept)")
            continue
        if not isinstance(text, str) or not text.strip():
            yield InputError(number, note_id, "missing or empty text")
            continue
        if len(text) > MAX_TEXT_CHARS:
            yield InputError(number, note_id, f"text longer than {MAX_TEXT_CHARS} characters")
            continue
        raw_date = fields.get("date")
        parsed: date | None = None
        if raw_date not in (None, ""):
            try:
                parsed = parse_date(str(raw_date))
            except ValueError as problem:
                yield InputError(number, note_id, f"bad date: {problem}")
                continue
        seen.add(note_id)

        def optional(name: str, fields: dict[str, object] = fields) -> str | None:
            value = fields.get(name)
            return str(value).strip() or None if value not in (None, "") else None

        yield AuditNote(
            row=number,
            note_id=note_id,
            text=text,
            case_id=optional("case_id"),
            worker_id=optional("worker_id"),
            unit=optional("unit"),
            date=parsed,
        )
