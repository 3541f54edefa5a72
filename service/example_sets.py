"""Example sets: rows, files and who may see them.

A set's folder (`<data_dir>/example_sets/<id>/`) holds `set.json` (the whole set, already
de-identified) and one file per download format. Like audits, a set is visible only to its
creator and their unit's supervisors.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from service.db import ExampleSetRow
from service.keys import Principal
from st_nlp.example_sets.build import ExampleSet
from st_nlp.example_sets.export import write

DOWNLOADS: dict[str, tuple[str, str]] = {  # format -> (file, media type)
    "md": ("examples.md", "text/markdown; charset=utf-8"),
    "html": ("examples.html", "text/html; charset=utf-8"),
    "csv": ("examples.csv", "text/csv; charset=utf-8"),
    "jsonl": ("examples.jsonl", "application/x-ndjson"),
    "labelstudio": ("labelstudio/tasks.json", "application/json"),
}


def set_dir(data_dir: Path, set_id: str) -> Path:
    return data_dir / "example_sets" / set_id


def save(
    session: Session, data_dir: Path, principal: Principal, built: dict[str, Any], source: str
) -> ExampleSetRow:
    """Store a built set: its files first, then the row that makes it visible."""
    example_set = ExampleSet.from_dict(built)
    row = ExampleSetRow(
        id=str(uuid.uuid4()),
        key_id=principal.key_id,
        unit=principal.unit,
        label=example_set.label,
        subtype=example_set.subtype,
        source=source,
        items=len(example_set.items),
        reviewed_by=example_set.reviewed_by,
        reviewed_at=(
            datetime.fromisoformat(example_set.reviewed_at) if example_set.reviewed_at else None
        ),
        created_at=datetime.fromisoformat(example_set.created_at),
    )
    folder = set_dir(data_dir, row.id)
    folder.mkdir(parents=True)
    (folder / "set.json").write_text(json.dumps(built, ensure_ascii=False), "utf-8")
    for fmt, (name, _) in DOWNLOADS.items():
        target = folder / name
        write(example_set, fmt, target.parent if fmt == "labelstudio" else target)
    session.add(row)
    session.commit()
    return row


def visible_to(row: ExampleSetRow, principal: Principal) -> bool:
    return principal.may_see(row.key_id, row.unit)


def to_public(row: ExampleSetRow, built: dict[str, Any]) -> dict[str, Any]:
    keys = ("text", "labels", "subtype", "register", "findings", "suggestions", "confidence")
    return {
        "id": row.id,
        "draft": row.reviewed_by is None,
        "reviewed_by": row.reviewed_by,
        "created_at": row.created_at.isoformat(),
        "items": [{k: item[k] for k in keys} for item in built["items"]],
    }
