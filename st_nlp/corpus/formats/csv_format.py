"""CSV for spreadsheet users: one row per sentence, one 0/1 column per label, spans as JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from st_nlp.corpus.jsonl import DataError, describe_validation_error
from st_nlp.corpus.records import SentenceRecord
from st_nlp.taxonomy import LABELS

BASE_COLUMNS = ["id", "note_id", "split", "register", "source", "annotator", "start", "end", "text"]
COLUMNS = [*BASE_COLUMNS, *(str(label) for label in LABELS), "blaming_spans"]


def export_csv(records: Iterable[SentenceRecord], out_file: Path) -> int:
    out_file.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out_file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for record in records:
            row: dict[str, object] = {name: getattr(record, name) for name in BASE_COLUMNS}
            row.update({str(label): int(label in record.labels) for label in LABELS})
            row["blaming_spans"] = json.dumps([s.model_dump(mode="json") for s in record.spans])
            writer.writerow(row)
            count += 1
    return count


def import_csv(in_file: Path) -> list[SentenceRecord]:
    records = []
    with in_file.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(in_file, 1, f"missing columns {missing}")
        for number, row in enumerate(reader, start=2):
            try:
                records.append(
                    SentenceRecord.build(
                        **{name: row[name] for name in BASE_COLUMNS},
                        labels=[label for label in LABELS if row[str(label)].strip() == "1"],
                        spans=json.loads(row["blaming_spans"] or "[]"),
                    )
                )
            except ValidationError as error:
                raise DataError(in_file, number, describe_validation_error(error)) from None
            except json.JSONDecodeError as error:
                raise DataError(in_file, number, f"column 'blaming_spans': {error.msg}") from None
    return records
