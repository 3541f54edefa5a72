"""Label Studio: a labeling config, task JSON for import, and import of Label Studio exports.

Trainers and supervisors annotate in Label Studio with the same taxonomy: a multi-choice
field for the sentence labels and span labels (one per blaming subtype) on the text. Existing
labels travel as pre-annotations (`predictions`), so a reviewer corrects rather than starts over.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from st_nlp.corpus.jsonl import DataError
from st_nlp.corpus.records import SentenceRecord
from st_nlp.taxonomy import LABEL_INFO, LABELS, SUBTYPE_INFO, SUBTYPES

CHOICES_NAME = "labels"
SPANS_NAME = "blaming"
TEXT_NAME = "text"
META_FIELDS = ("id", "note_id", "start", "end", "split", "register", "source")


def labeling_config() -> str:
    """The Label Studio labeling config (XML) for the st-nlp taxonomy."""
    choices = "\n".join(
        f'    <Choice value="{label}" hint="{escape(LABEL_INFO[label].definition)}"/>'
        for label in LABELS
    )
    spans = "\n".join(
        f'    <Label value="{subtype}" hint="{escape(SUBTYPE_INFO[subtype].definition)}"/>'
        for subtype in SUBTYPES
    )
    return (
        "<View>\n"
        f'  <Labels name="{SPANS_NAME}" toName="{TEXT_NAME}">\n{spans}\n  </Labels>\n'
        f'  <Text name="{TEXT_NAME}" value="$text"/>\n'
        f'  <Choices name="{CHOICES_NAME}" toName="{TEXT_NAME}" choice="multiple"'
        ' showInline="false">\n'
        f"{choices}\n  </Choices>\n"
        "</View>\n"
    )


def _result(record: SentenceRecord) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = [
        {
            "from_name": CHOICES_NAME,
            "to_name": TEXT_NAME,
            "type": "choices",
            "value": {"choices": [str(label) for label in record.labels]},
        }
    ]
    for number, span in enumerate(record.spans):
        result.append(
            {
                "id": f"{record.id}-span{number}",
                "from_name": SPANS_NAME,
                "to_name": TEXT_NAME,
                "type": "labels",
                "value": {
                    "start": span.start,
                    "end": span.end,
                    "text": record.text[span.start : span.end],
                    "labels": [str(span.subtype)],
                },
            }
        )
    return result


def to_tasks(records: Iterable[SentenceRecord]) -> list[dict[str, Any]]:
    """Label Studio import tasks with the current labels as predictions."""
    return [
        {
            "data": {TEXT_NAME: r.text, **{name: getattr(r, name) for name in META_FIELDS}},
            "predictions": [{"model_version": f"st-nlp:{r.annotator}", "result": _result(r)}],
        }
        for r in records
    ]


def export_labelstudio(records: Iterable[SentenceRecord], out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    tasks = to_tasks(records)
    (out_dir / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False, indent=1))
    (out_dir / "labeling_config.xml").write_text(labeling_config())
    return len(tasks)


def from_export(
    export: list[dict[str, Any]], source: str | Path = "<export>"
) -> list[SentenceRecord]:
    """Canonical records from a Label Studio JSON export (the latest annotation of each task)."""
    records = []
    for number, task in enumerate(export, start=1):
        data = task.get("data", {})
        annotations = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
        if not annotations:
            continue
        annotation = annotations[-1]
        labels: list[str] = []
        spans: list[dict[str, Any]] = []
        for item in annotation.get("result", []):
            value = item.get("value", {})
            if item.get("from_name") == CHOICES_NAME:
                labels.extend(value.get("choices", []))
            elif item.get("from_name") == SPANS_NAME:
                for subtype in value.get("labels", []):
                    spans.append({"start": value["start"], "end": value["end"], "subtype": subtype})
        if spans and "blaming_language" not in labels:
            labels.append("blaming_language")
        annotator = annotation.get("completed_by", "labelstudio")
        if isinstance(annotator, dict):
            annotator = annotator.get("email") or annotator.get("id", "labelstudio")
        try:
            records.append(
                SentenceRecord.build(
                    text=data[TEXT_NAME],
                    labels=labels,
                    spans=spans,
                    annotator=f"labelstudio:{annotator}",
                    **{name: data[name] for name in META_FIELDS},
                )
            )
        except (KeyError, ValueError) as error:
            reason = (
                f"missing field {error}"
                if isinstance(error, KeyError)
                else "invalid labels or spans"
            )
            raise DataError(source, None, f"task {number}: {reason}") from None
    return records


def import_labelstudio(in_file: Path) -> list[SentenceRecord]:
    try:
        export = json.loads(in_file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(in_file, error.lineno, f"invalid JSON: {error.msg}") from None
    if not isinstance(export, list):
        raise DataError(in_file, None, "expected a JSON list of tasks (Label Studio JSON export)")
    return from_export(export, in_file)
