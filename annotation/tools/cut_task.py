"""Cut one annotation task file for a chosen set of notes from the existing segmentation index.

`make_tasks.py` segments everything and cuts the whole corpus into equal chunks; once passes are
under way the index must not change, and a new pass often covers only some notes. This reads
`annotation/work/sentences.jsonl` (the frozen index) and the raw notes, and writes
`annotation/work/tasks/<name>.md` in the same format annotators already know.

Usage: python annotation/tools/cut_task.py --name nb_A --notes 'nb-0(0[1-9]|1\\d|2[0-5])'
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", required=True)
    parser.add_argument("--notes", required=True, help="regular expression matched against note ids")
    args = parser.parse_args()
    pattern = re.compile(args.notes)
    raw = {}
    for path in sorted((ROOT / "raw").glob("*.jsonl")):
        for line in path.open():
            if line.strip():
                row = json.loads(line)
                raw[row.get("note_id") or row.get("id")] = row
    by_note: dict[str, list[dict]] = defaultdict(list)
    for line in (ROOT / "work" / "sentences.jsonl").open():
        row = json.loads(line)
        if pattern.fullmatch(row["note_id"]):
            by_note[row["note_id"]].append(row)
    out_path = ROOT / "work" / "tasks" / f"{args.name}.md"
    count = 0
    block: list[dict] = []
    with out_path.open("w") as out:
        for note_id, sentences in by_note.items():
            note = raw[note_id]
            if "note_id" in note:
                out.write(f"\n=== NOTE {note_id} (register: {note['register']}) ===\n")
                out.write("--- full note ---\n" + note["text"] + "\n--- sentences ---\n")
                for row in sentences:
                    out.write(f"[{row['id']}] {row['text']}\n")
            else:
                block.extend(sentences)
            count += len(sentences)
        for start in range(0, len(block), 40):
            out.write("\n=== SINGLE SENTENCES (no surrounding note) ===\n")
            for row in block[start : start + 40]:
                out.write(f"[{row['id']}] {row['text']}\n")
    print(f"{len(by_note)} notes/items, {count} sentences -> {out_path}")


if __name__ == "__main__":
    main()
