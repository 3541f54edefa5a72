"""Writing an example set: printable handouts (md, html), tables (csv, jsonl), Hugging Face
`datasets` (save_to_disk) and Label Studio tasks (with the corpus's labeling config).

Every format says whether the set is a DRAFT (not yet reviewed by a person) and, once
reviewed, who reviewed it and when: a banner in md/html, a `status` column or field in csv,
jsonl, hf and Label Studio task data.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from st_nlp.corpus.formats.labelstudio import CHOICES_NAME, SPANS_NAME, TEXT_NAME, labeling_config
from st_nlp.example_sets.build import ExampleSet
from st_nlp.taxonomy import LABEL_INFO, Label

FORMATS = ("md", "html", "csv", "jsonl", "hf", "labelstudio")
CSV_COLUMNS = (
    "number",
    "status",
    "reviewed_by",
    "reviewed_at",
    "label",
    "subtype",
    "register",
    "confidence",
    "text",
    "findings",
    "suggestions",
)


def _status(example_set: ExampleSet) -> dict[str, str | None]:
    return {
        "status": "DRAFT" if example_set.draft else "reviewed",
        "reviewed_by": example_set.reviewed_by,
        "reviewed_at": example_set.reviewed_at,
    }


def _rows(example_set: ExampleSet) -> list[dict[str, Any]]:
    return [
        {
            "number": number,
            **_status(example_set),
            "label": example_set.label,
            "subtype": item.subtype,
            "register": item.register,
            "confidence": item.confidence,
            "text": item.text,
            "findings": item.findings,
            "suggestions": item.suggestions,
        }
        for number, item in enumerate(example_set.items, start=1)
    ]


def render_template(name: str, example_set: ExampleSet) -> str:
    source = resources.files("st_nlp").joinpath(f"resources/templates/{name}").read_text("utf-8")
    environment = jinja2.Environment(autoescape=name.endswith(".html"), keep_trailing_newline=True)
    return environment.from_string(source).render(
        set=example_set,
        status=_status(example_set),
        definition=LABEL_INFO[Label(example_set.label)].definition,
        marked=_marked,
    )


def _marked(text: str, findings: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    """The text cut into (piece, is_finding) parts, for highlighting."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f["start"]):
        if finding["start"] < position:
            continue
        parts.append((text[position : finding["start"]], False))
        parts.append((text[finding["start"] : finding["end"]], True))
        position = finding["end"]
    parts.append((text[position:], False))
    return [p for p in parts if p[0]]


def write_md(example_set: ExampleSet, out: Path) -> None:
    out.write_text(render_template("example_set.md", example_set), encoding="utf-8")


def write_html(example_set: ExampleSet, out: Path) -> None:
    out.write_text(render_template("example_set.html", example_set), encoding="utf-8")


def write_jsonl(example_set: ExampleSet, out: Path) -> None:
    with out.open("w", encoding="utf-8") as handle:
        for row in _rows(example_set):
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(example_set: ExampleSet, out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for row in _rows(example_set):
            writer.writerow(
                {
                    **row,
                    "findings": json.dumps(row["findings"], ensure_ascii=False),
                    "suggestions": json.dumps(row["suggestions"], ensure_ascii=False),
                }
            )


def labelstudio_tasks(example_set: ExampleSet) -> list[dict[str, Any]]:
    """Tasks in the corpus's Label Studio shape; the example's labels as predictions."""
    tasks = []
    for number, item in enumerate(example_set.items, start=1):
        result: list[dict[str, Any]] = [
            {
                "from_name": CHOICES_NAME,
                "to_name": TEXT_NAME,
                "type": "choices",
                "value": {"choices": item.labels},
            }
        ]
        for index, finding in enumerate(item.findings):
            result.append(
                {
                    "id": f"ex{number}-span{index}",
                    "from_name": SPANS_NAME,
                    "to_name": TEXT_NAME,
                    "type": "labels",
                    "value": {
                        "start": finding["start"],
                        "end": finding["end"],
                        "text": item.text[finding["start"] : finding["end"]],
                        "labels": [finding["subtype"]],
                    },
                }
            )
        data: dict[str, Any] = dict(_status(example_set))
        tasks.append(
            {
                "data": data
                | {
                    TEXT_NAME: item.text,
                    "id": f"example-{number:03d}",
                    "note_id": f"example-{number:03d}",
                    "start": 0,
                    "end": len(item.text),
                    "split": "test",
                    "register": item.register,
                    "source": "note",
                    "suggestions": item.suggestions,
                    "confidence": item.confidence,
                },
                "predictions": [{"model_version": "st-nlp:example-set", "result": result}],
            }
        )
    return tasks


def write_labelstudio(example_set: ExampleSet, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tasks = labelstudio_tasks(example_set)
    (out / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False, indent=1), "utf-8")
    (out / "labeling_config.xml").write_text(labeling_config(), encoding="utf-8")


def write_hf(example_set: ExampleSet, out: Path) -> None:
    from datasets import Dataset

    rows = [
        {
            **row,
            "findings": json.dumps(row["findings"], ensure_ascii=False),
            "reviewed_by": row["reviewed_by"] or "",
            "reviewed_at": row["reviewed_at"] or "",
            "subtype": row["subtype"] or "",
        }
        for row in _rows(example_set)
    ]
    dataset = Dataset.from_list(rows)
    status = _status(example_set)
    dataset.info.description = (
        f"st-nlp de-identified example set ({example_set.label}); status {status['status']}"
        + (f", reviewed by {example_set.reviewed_by}" if example_set.reviewed_by else "")
    )
    dataset.save_to_disk(str(out))


WRITERS: dict[str, Callable[[ExampleSet, Path], None]] = {
    "md": write_md,
    "html": write_html,
    "csv": write_csv,
    "jsonl": write_jsonl,
    "hf": write_hf,
    "labelstudio": write_labelstudio,
}


def write(example_set: ExampleSet, fmt: str, out: Path) -> None:
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}; valid formats are: {', '.join(FORMATS)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[fmt](example_set, out)
