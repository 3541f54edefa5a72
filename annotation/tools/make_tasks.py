"""Segment the writers' raw notes and cut annotation tasks for two independent passes.

Reads `annotation/raw/notes_*.jsonl` and `annotation/raw/targeted_*.jsonl`, segments every note
with st-nlp's case-note segmenter, and writes:

- `annotation/work/sentences.jsonl`: every sentence with its id and offsets into its note;
- `annotation/work/tasks/chunk_NN.md`: what an annotator reads (whole notes, numbered sentences),
  with no labels, no writer metadata (quality tier, roles) and no other annotator's output.

Usage: python annotation/tools/make_tasks.py --chunks 4
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from st_nlp.nlp import load_pipeline
from st_nlp.segment import segment

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
WORK = ROOT / "work"


def load_raw() -> tuple[list[dict], list[dict]]:
    notes = [json.loads(l) for p in sorted(RAW.glob("notes_*.jsonl")) for l in p.open() if l.strip()]
    targeted = [
        json.loads(l) for p in sorted(RAW.glob("targeted_*.jsonl")) for l in p.open() if l.strip()
    ]
    return notes, targeted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=4)
    args = parser.parse_args()
    notes, targeted = load_raw()
    nlp = load_pipeline(disable=("ner", "lemmatizer"))
    units: list[tuple[str, list[dict], str]] = []  # (header, sentences, body)
    index: list[dict] = []
    for note in notes:
        sentences = []
        for number, sent in enumerate(segment(note["text"], nlp), start=1):
            row = {
                "id": f"{note['note_id']}-s{number:02d}",
                "note_id": note["note_id"],
                "text": sent.text,
                "start": sent.start,
                "end": sent.end,
            }
            sentences.append(row)
            index.append(row)
        units.append((f"NOTE {note['note_id']} (register: {note['register']})", sentences, note["text"]))
    block: list[dict] = []
    for item in targeted:
        text = item["text"].strip()
        row = {"id": f"{item['id']}-s01", "note_id": item["id"], "text": text, "start": 0, "end": len(text)}
        index.append(row)
        block.append(row)
        if len(block) == 40:
            units.append(("SINGLE SENTENCES (no surrounding note)", block, ""))
            block = []
    if block:
        units.append(("SINGLE SENTENCES (no surrounding note)", block, ""))

    WORK.mkdir(exist_ok=True)
    with (WORK / "sentences.jsonl").open("w") as handle:
        for row in index:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")

    total = sum(len(s) for _, s, _ in units)
    target = total / args.chunks
    tasks = WORK / "tasks"
    tasks.mkdir(exist_ok=True)
    chunk, count, size = 1, 0, 0
    out = (tasks / f"chunk_{chunk:02d}.md").open("w")
    for header, sentences, body in units:
        if size >= target and chunk < args.chunks:
            out.close()
            chunk += 1
            size = 0
            out = (tasks / f"chunk_{chunk:02d}.md").open("w")
        out.write(f"\n=== {header} ===\n")
        if body:
            out.write("--- full note ---\n" + body + "\n--- sentences ---\n")
        for row in sentences:
            out.write(f"[{row['id']}] {row['text']}\n")
        size += len(sentences)
        count += len(sentences)
    out.close()
    print(f"{len(notes)} notes, {len(targeted)} targeted, {count} sentences in {chunk} chunks")


if __name__ == "__main__":
    main()
