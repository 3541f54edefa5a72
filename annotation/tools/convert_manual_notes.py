"""Convert hand-written notes in the compact block format to the writers' JSONL format.

Block format (one note per block):
    === <note_id> | <register> | <quality> | <date> | <case_id> | <worker_id> | <unit>
    family: perpetrator=<role>:<gender> survivor=<role>:<gender> couple=<type> dv=<yes|no>
    people: <Name>=<role>; <Name>=<role>
    <note text lines...>
Usage: python annotation/tools/convert_manual_notes.py annotation/raw/manual/*.txt
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def parse(path: Path) -> list[dict[str, object]]:
    notes = []
    blocks = path.read_text(encoding="utf-8").split("\n=== ")
    for block in blocks:
        block = block.strip().removeprefix("=== ")
        if not block:
            continue
        lines = block.split("\n")
        head = [x.strip() for x in lines[0].split("|")]
        note_id, register, quality, date, case_id, worker_id, unit = head
        family_fields = dict(
            item.split("=", 1) for item in lines[1].removeprefix("family:").split() if "=" in item
        )
        perp_role, perp_gender = (family_fields.get("perpetrator", "none:none").split(":") + [""])[:2]
        surv_role, surv_gender = (family_fields.get("survivor", "none:none").split(":") + [""])[:2]
        family = {
            "perpetrator": perp_role if perp_role != "none" else None,
            "perpetrator_gender": perp_gender if perp_gender != "none" else None,
            "survivor": surv_role if surv_role != "none" else None,
            "survivor_gender": surv_gender if surv_gender != "none" else None,
            "couple": None if family_fields.get("couple") == "none" else family_fields.get("couple"),
            "dv_present": family_fields.get("dv", "yes") == "yes",
        }
        people = []
        for item in lines[2].removeprefix("people:").split(";"):
            if "=" in item:
                name, role = item.split("=", 1)
                people.append({"name": name.strip(), "role": role.strip()})
        text = "\n".join(lines[3:]).strip()
        notes.append(
            {
                "note_id": note_id,
                "register": register,
                "quality": quality,
                "date": date,
                "case_id": case_id,
                "worker_id": worker_id,
                "unit": unit,
                "family": family,
                "people": people,
                "text": text,
            }
        )
    return notes


def main() -> None:
    out = Path(__file__).resolve().parents[1] / "raw" / "notes_m.jsonl"
    notes = [n for arg in sys.argv[1:] for n in parse(Path(arg))]
    with out.open("w", encoding="utf-8") as handle:
        for note in notes:
            handle.write(json.dumps(note, ensure_ascii=False) + "\n")
    print(f"{len(notes)} notes -> {out}")


if __name__ == "__main__":
    main()
