"""Turn two independent annotation passes into the adjudicated canonical corpus.

Steps (run in order; each is reproducible from the files it reads):

  python annotation/tools/assemble.py disagreements --chunks 2 [--notes 'nm-.*' --name nm_]
      Normalizes both passes (span texts -> offsets), writes `work/passes/pass_{a,b}.jsonl`,
      and cuts adjudication tasks for every sentence where the passes differ
      (`work/adjudication/tasks_NN.md`, annotators shown only as "Annotator 1/2").
  python annotation/tools/assemble.py build
      Applies the adjudicator's decisions (`work/adjudication/decisions_NN.jsonl`), assigns
      splits by note, and writes `annotation/data/`: notes.jsonl, sentences.jsonl,
      passes/pass_a.jsonl, passes/pass_b.jsonl, adjudication_log.jsonl.

Span rule when both passes flag the same words with the same subtype but different extents:
the shorter span wins (the guidelines ask for the minimal span carrying the blame).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from st_nlp.corpus.jsonl import write_records
from st_nlp.corpus.records import NoteRecord, SentenceRecord
from st_nlp.corpus.splits import assign_splits
from st_nlp.taxonomy import LABELS, Component, Label

ROOT = Path(__file__).resolve().parents[1]
RAW, WORK, DATA = ROOT / "raw", ROOT / "work", ROOT / "data"
PASSES = {"a": "pass_A", "b": "pass_B"}


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def load_index() -> list[dict[str, Any]]:
    return _jsonl(WORK / "sentences.jsonl")


def load_notes() -> dict[str, dict[str, Any]]:
    notes: dict[str, dict[str, Any]] = {}
    for path in sorted(RAW.glob("notes_*.jsonl")):
        for row in _jsonl(path):
            notes[row["note_id"]] = {**row, "source": "note"}
    for path in sorted(RAW.glob("targeted_*.jsonl")):
        for row in _jsonl(path):
            notes[row["id"]] = {
                "note_id": row["id"],
                "text": row["text"].strip(),
                "register": row.get("register") or "home_visit",
                "family": row.get("family"),
                "people": row.get("people") or [],
                "source": "targeted",
            }
    return notes


def resolve_span(sentence: str, span_text: str) -> tuple[int, int] | None:
    """Offsets of an annotator's span text in the sentence (exact, then case-insensitive)."""
    text = span_text.strip().strip("\"'“”‘’")
    if not text:
        return None
    at = sentence.find(text)
    if at < 0:
        at = sentence.lower().find(text.lower())
    if at < 0:
        pattern = r"\s+".join(re.escape(w) for w in text.split())
        match = re.search(pattern, sentence, re.IGNORECASE)
        return (match.start(), match.end()) if match else None
    return at, at + len(text)


def load_pass(letter: str) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], list[str]]:
    """Sentence labels and note ratings of one pass, plus problems met while reading it."""
    folder = WORK / PASSES[letter]
    index = {row["id"]: row for row in load_index()}
    sentences: dict[str, dict[str, Any]] = {}
    notes: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("chunk_*.jsonl")):
        target = notes if path.name.endswith(".notes.jsonl") else sentences
        for row in _jsonl(path):
            if target is notes:
                notes[row["note_id"]] = row
                continue
            if row["id"] not in index:
                problems.append(f"{path.name}: unknown id {row['id']}")
                continue
            text = index[row["id"]]["text"]
            labels = [x for x in row.get("labels", []) if x in set(map(str, LABELS))]
            spans = []
            for span in row.get("blame_spans", []) or []:
                found = resolve_span(text, span.get("text", ""))
                if found is None or span.get("subtype") not in {
                    "survivor_blame",
                    "pathologizing",
                    "mutualizing",
                    "minimizing_excusing",
                    "agentless",
                }:
                    problems.append(f"{path.name}: {row['id']}: span not found or bad subtype")
                    continue
                spans.append({"start": found[0], "end": found[1], "subtype": span["subtype"]})
            if spans and Label.BLAMING_LANGUAGE not in labels:
                labels.append(str(Label.BLAMING_LANGUAGE))
            if Label.BLAMING_LANGUAGE not in labels:
                spans = []
            sentences[row["id"]] = {"labels": sorted(set(labels)), "spans": _dedupe(spans)}
    return sentences, notes, problems


def _dedupe(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    unique = {(s["start"], s["end"]): s for s in spans}
    ordered = sorted(unique.values(), key=lambda s: (s["start"], s["end"]))
    kept: list[dict[str, Any]] = []
    for span in ordered:
        if kept and span["start"] < kept[-1]["end"]:
            if span["end"] - span["start"] < kept[-1]["end"] - kept[-1]["start"]:
                kept[-1] = span
            continue
        kept.append(span)
    return kept


def spans_agree(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """Merged spans when both passes flag the same words with the same subtypes, else None."""
    if len(a) != len(b):
        return None
    merged = []
    for x, y in zip(a, b, strict=True):
        if x["subtype"] != y["subtype"] or not (x["start"] < y["end"] and y["start"] < x["end"]):
            return None
        merged.append(x if x["end"] - x["start"] <= y["end"] - y["start"] else y)
    return merged


def disagreements(chunks: int, notes_pattern: str, name: str) -> None:
    """Cut adjudication tasks for sentences labeled by both passes whose labels differ.

    Only notes whose every sentence has both passes are considered, so adjudication can run in
    rounds while other passes are still under way; `--notes` narrows the round further and
    `--name` keeps each round's task (and decision) files apart. Sentences that already have a
    decision in any `decisions_*.jsonl` are skipped.
    """
    index = load_index()
    notes = load_notes()
    a, _, problems_a = load_pass("a")
    b, _, problems_b = load_pass("b")
    for problem in problems_a + problems_b:
        print("warning:", problem)
    pattern = re.compile(notes_pattern)
    by_note: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in index:
        by_note[row["note_id"]].append(row)
    complete = {
        nid
        for nid, rows in by_note.items()
        if pattern.fullmatch(nid) and all(r["id"] in a and r["id"] in b for r in rows)
    }
    decided: set[str] = set()
    for path in sorted((WORK / "adjudication").glob("decisions_*.jsonl")):
        decided |= {row["id"] for row in _jsonl(path)}
    items = []
    considered = 0
    for row in index:
        if row["note_id"] not in complete:
            continue
        considered += 1
        x, y = a[row["id"]], b[row["id"]]
        if x["labels"] == y["labels"] and (
            not x["spans"] and not y["spans"] or spans_agree(x["spans"], y["spans"]) is not None
        ):
            continue
        if row["id"] not in decided:
            items.append((row, x, y))
    folder = WORK / "adjudication"
    folder.mkdir(exist_ok=True)
    per_chunk = max(1, -(-len(items) // chunks))
    for number in range(chunks):
        part = items[number * per_chunk : (number + 1) * per_chunk]
        if not part:
            continue
        with (folder / f"tasks_{name}{number + 1:02d}.md").open("w", encoding="utf-8") as out:
            for row, x, y in part:
                note = notes[row["note_id"]]
                out.write(f"\n=== [{row['id']}] ===\n")
                if note["source"] == "note":
                    out.write(f"note {row['note_id']} ({note['register']}):\n{note['text']}\n---\n")
                out.write(f"SENTENCE: {row['text']}\n")
                for label, labels in (("Annotator 1", x), ("Annotator 2", y)):
                    spans = [
                        f"{row['text'][s['start']:s['end']]!r}:{s['subtype']}" for s in labels["spans"]
                    ]
                    out.write(f"{label}: labels={labels['labels']} spans={spans}\n")
    print(
        f"{len(complete)} notes/items with both passes, {considered} sentences;"
        f" {len(items)} undecided disagreements in task files tasks_{name}NN.md"
    )


def _rubric(ra: dict[str, Any] | None, rb: dict[str, Any] | None, labels: list[list[str]]) -> dict[str, Any] | None:
    if ra is None:
        return None
    rb = rb or ra  # single-annotated note: pass A's rubric
    rating = (int(ra["quality_rating"]) + int(rb["quality_rating"])) / 2
    components = {}
    for component in Component:
        va = bool(ra.get("components", {}).get(component.value, False))
        vb = bool(rb.get("components", {}).get(component.value, False))
        if va == vb:
            components[component.value] = va
        else:  # adjudicate from the adjudicated sentence labels
            components[component.value] = _component_from_labels(component, labels)
    return {"quality_rating": int(rating + 0.5), "components": components}


def _component_from_labels(component: Component, labels: list[list[str]]) -> bool:
    needs = {
        Component.PERPETRATOR_PATTERN: {"perpetrator_pattern", "behavioral_fact"},
        Component.PERPETRATOR_HARM_TO_CHILD: {"perpetrator_pattern", "child_impact"},
        Component.SURVIVOR_PROTECTIVE_EFFORTS: {"survivor_protective_action"},
        Component.CHILD_IMPACT: {"child_impact"},
        Component.INTERSECTIONS: set(),
    }[component]
    return bool(needs) and any(needs <= set(x) for x in labels)


def build() -> None:
    notes = load_notes()
    a, notes_a, _ = load_pass("a")
    all_rows = load_index()
    by_note_all: dict[str, list[str]] = defaultdict(list)
    for row in all_rows:
        by_note_all[row["note_id"]].append(row["id"])
    # A note enters the corpus once pass A has labeled every one of its sentences.
    annotated_notes = {n for n, ids in by_note_all.items() if all(i in a for i in ids)}
    index = [row for row in all_rows if row["note_id"] in annotated_notes]
    pending = {row["note_id"] for row in all_rows} - annotated_notes
    if pending:
        print(f"{len(pending)} notes are not fully labeled in pass A yet and stay out of the corpus")
    b, notes_b, _ = load_pass("b")
    decisions: dict[str, dict[str, Any]] = {}
    for path in sorted((WORK / "adjudication").glob("decisions_*.jsonl")):
        for row in _jsonl(path):
            decisions[row["id"]] = row
    by_note: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in index:
        by_note[row["note_id"]].append(row)
    strata = {nid: f"{notes[nid]['source']}:{notes[nid]['register']}" for nid in by_note}
    splits = assign_splits({nid: [r["text"] for r in rows] for nid, rows in by_note.items()}, strata)

    final, log, pass_records = [], [], {"a": [], "b": []}
    unresolved = 0
    single = 0
    for row in index:
        if row["id"] not in a:
            raise SystemExit(f"{row['id']} has no pass-A label")
        x = a[row["id"]]
        y = b.get(row["id"])
        if y is None:
            # Second pass not done yet: the sentence is single-annotated and marked as such.
            y = x
            single += 1
        merged = spans_agree(x["spans"], y["spans"]) if x["spans"] or y["spans"] else []
        if row["id"] not in b:
            labels, spans, annotator = x["labels"], x["spans"], "pass_a_only"
        elif x["labels"] == y["labels"] and merged is not None:
            labels, spans, annotator = x["labels"], merged, "agreed"
        elif row["id"] in decisions:
            decision = decisions[row["id"]]
            labels = sorted({lb for lb in decision["labels"] if lb in set(map(str, LABELS))})
            spans = []
            for span in decision.get("blame_spans", []):
                found = resolve_span(row["text"], span.get("text", ""))
                if found is not None:
                    spans.append({"start": found[0], "end": found[1], "subtype": span["subtype"]})
            if spans and "blaming_language" not in labels:
                labels = sorted({*labels, "blaming_language"})
            if "blaming_language" in labels and not spans:
                spans = x["spans"] or y["spans"]
            if "blaming_language" not in labels:
                spans = []
            spans = _dedupe(spans)
            annotator = "adjudicated"
            log.append(
                {
                    "id": row["id"],
                    "pass_a": x,
                    "pass_b": y,
                    "decision": {"labels": labels, "spans": spans},
                    "reason": decision.get("reason", ""),
                }
            )
        else:
            unresolved += 1
            continue
        note = notes[row["note_id"]]
        common = {
            "id": row["id"],
            "note_id": row["note_id"],
            "text": row["text"],
            "start": row["start"],
            "end": row["end"],
            "split": splits[row["note_id"]],
            "register": note["register"],
            "source": note["source"],
        }
        final.append(SentenceRecord.build(**common, labels=labels, spans=spans, annotator=annotator))
        for letter, labels_of in (("a", x), ("b", y)):
            if letter == "b" and row["id"] not in b:
                continue
            pass_records[letter].append(
                SentenceRecord.build(
                    **common, labels=labels_of["labels"], spans=labels_of["spans"], annotator=f"pass_{letter}"
                )
            )
    if unresolved:
        raise SystemExit(f"{unresolved} disagreements have no adjudication decision yet")

    labels_by_note: dict[str, list[list[str]]] = defaultdict(list)
    for record in final:
        labels_by_note[record.note_id].append([str(x) for x in record.labels])
    note_records = []
    for note_id in by_note:
        note = notes[note_id]
        note_records.append(
            NoteRecord.model_validate(
                {
                    "note_id": note_id,
                    "text": note["text"],
                    "register": note["register"],
                    "source": note["source"],
                    "split": splits[note_id],
                    "quality_tier": note.get("quality"),
                    "date": note.get("date"),
                    "case_id": note.get("case_id"),
                    "worker_id": note.get("worker_id"),
                    "unit": note.get("unit"),
                    "family": note.get("family"),
                    "people": note.get("people") or [],
                    "rubric": _rubric(notes_a.get(note_id), notes_b.get(note_id), labels_by_note[note_id])
                    if note["source"] == "note"
                    else None,
                }
            )
        )
    DATA.mkdir(exist_ok=True)
    write_records(DATA / "notes.jsonl", note_records)
    write_records(DATA / "sentences.jsonl", final)
    write_records(DATA / "passes" / "pass_a.jsonl", pass_records["a"])
    write_records(DATA / "passes" / "pass_b.jsonl", pass_records["b"])
    write_records(DATA / "adjudication_log.jsonl", log)
    print(
        f"wrote {len(note_records)} notes, {len(final)} sentences, {len(log)} adjudications,"
        f" {single} sentences single-annotated (no pass B yet)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="step", required=True)
    dis = sub.add_parser("disagreements")
    dis.add_argument("--chunks", type=int, default=2)
    dis.add_argument("--notes", default=".*", help="regular expression on note ids")
    dis.add_argument("--name", default="", help="round name, e.g. nm_ (task files tasks_<name>NN.md)")
    sub.add_parser("build")
    args = parser.parse_args()
    if args.step == "disagreements":
        disagreements(args.chunks, args.notes, args.name)
    else:
        build()


if __name__ == "__main__":
    main()
