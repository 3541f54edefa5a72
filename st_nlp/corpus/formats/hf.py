"""Hugging Face `datasets`: a `DatasetDict` by split with multi-hot labels, saved to disk."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from datasets import Dataset, DatasetDict, Features, Sequence, Value, load_from_disk

from st_nlp.corpus.records import SentenceRecord
from st_nlp.taxonomy import LABELS

FEATURES = Features(
    {
        "id": Value("string"),
        "note_id": Value("string"),
        "text": Value("string"),
        "start": Value("int32"),
        "end": Value("int32"),
        "labels": Sequence(Value("int8"), length=len(LABELS)),
        "spans": Value("string"),  # JSON list of {start, end, label, subtype}
        "annotator": Value("string"),
        "register": Value("string"),
        "source": Value("string"),
    }
)
LABEL_NAMES = [str(label) for label in LABELS]


def to_dataset_dict(records: Iterable[SentenceRecord]) -> DatasetDict:
    rows: dict[str, list[dict[str, object]]] = {}
    for record in records:
        rows.setdefault(record.split, []).append(
            {
                "id": record.id,
                "note_id": record.note_id,
                "text": record.text,
                "start": record.start,
                "end": record.end,
                "labels": [int(label in record.labels) for label in LABELS],
                "spans": json.dumps([s.model_dump(mode="json") for s in record.spans]),
                "annotator": record.annotator,
                "register": record.register,
                "source": record.source,
            }
        )
    dataset = DatasetDict(
        {split: Dataset.from_list(items, features=FEATURES) for split, items in rows.items()}
    )
    for split in dataset:
        dataset[split].info.description = (
            "st-nlp synthetic case-note sentences; labels: " + ", ".join(LABEL_NAMES)
        )
    return dataset


def export_hf(records: Iterable[SentenceRecord], out_dir: Path) -> int:
    dataset = to_dataset_dict(records)
    dataset.save_to_disk(str(out_dir))
    return sum(len(dataset[s]) for s in dataset)


def import_hf(in_dir: Path) -> list[SentenceRecord]:
    dataset = load_from_disk(str(in_dir))
    records = []
    for split in dataset:
        for row in dataset[split]:
            records.append(
                SentenceRecord.build(
                    id=row["id"],
                    note_id=row["note_id"],
                    text=row["text"],
                    start=row["start"],
                    end=row["end"],
                    labels=[LABELS[i] for i, v in enumerate(row["labels"]) if v],
                    spans=json.loads(row["spans"]),
                    annotator=row["annotator"],
                    split=split,
                    register=row["register"],
                    source=row["source"],
                )
            )
    return records
