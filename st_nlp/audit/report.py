"""Audit outputs built from the journals: CSV tables, aggregates and an offline HTML report.

Everything streams over `notes.jsonl` and `findings.jsonl`; what is kept in memory is bounded
by the number of workers, units, months, distinct phrases and the few best and worst notes.
The report is one self-contained HTML file (inline CSS and SVG charts, no scripts, no network)
that a supervisor can open offline and print.
"""

from __future__ import annotations

import csv
import heapq
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from st_nlp.taxonomy import COMPONENT_INFO, Component

NOTE_COLUMNS = [
    "note_id",
    "row",
    "case_id",
    "worker_id",
    "unit",
    "date",
    "month",
    "score",
    "sentences",
    "dv_relevant_sentences",
    "fact_share",
    "blaming_findings",
    "blaming_per_100",
    "vague_characterizations",
    "quotes",
    *(f"component_{c.value}" for c in Component),
]
GROUP_COLUMNS = [
    "group",
    "notes",
    "mean_score",
    "mean_fact_share",
    "blaming_per_100_sentences",
    "vague_per_100_sentences",
    *(f"share_{c.value}" for c in Component),
]
EXTREMES = 5


@dataclass
class Group:
    notes: int = 0
    score: float = 0.0
    fact_share: float = 0.0
    sentences: int = 0
    blaming: int = 0
    vague: int = 0
    components: Counter[str] = field(default_factory=Counter)

    def add(self, row: dict[str, Any]) -> None:
        self.notes += 1
        self.score += row["score"]
        self.fact_share += row["fact_share"]
        self.sentences += row["sentences"]
        self.blaming += row["blaming_findings"]
        self.vague += row["vague_characterizations"]
        for name, documented in row["components"].items():
            self.components[name] += int(bool(documented))

    def as_row(self, name: str) -> dict[str, Any]:
        n = max(self.notes, 1)
        s = max(self.sentences, 1)
        return {
            "group": name,
            "notes": self.notes,
            "mean_score": round(self.score / n, 1),
            "mean_fact_share": round(self.fact_share / n, 3),
            "blaming_per_100_sentences": round(100 * self.blaming / s, 2),
            "vague_per_100_sentences": round(100 * self.vague / s, 2),
            **{f"share_{c.value}": round(self.components[c.value] / n, 3) for c in Component},
        }


def _iter_jsonl(path: Path) -> Any:
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def finalize(out_dir: Path) -> int:
    """Write notes.csv, by_*.csv, summary.json and report.html; return the number of notes."""
    overall = Group()
    groups: dict[str, dict[str, Group]] = {
        "worker": defaultdict(Group),
        "unit": defaultdict(Group),
        "month": defaultdict(Group),
    }
    histogram = [0] * 10
    worst: list[tuple[float, str]] = []
    best: list[tuple[float, str]] = []
    with (out_dir / "notes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=NOTE_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in _iter_jsonl(out_dir / "notes.jsonl"):
            flat = {**row, **{f"component_{k}": int(v) for k, v in row["components"].items()}}
            writer.writerow(flat)
            overall.add(row)
            groups["worker"][row.get("worker_id") or "(none)"].add(row)
            groups["unit"][row.get("unit") or "(none)"].add(row)
            groups["month"][row.get("month") or "(no date)"].add(row)
            histogram[min(int(row["score"] // 10), 9)] += 1
            heapq.heappush(worst, (-row["score"], row["note_id"]))
            heapq.heappush(best, (row["score"], row["note_id"]))
            if len(worst) > EXTREMES:
                heapq.heappop(worst)
            if len(best) > EXTREMES:
                heapq.heappop(best)
    for key, by_name in groups.items():
        with (out_dir / f"by_{key}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=GROUP_COLUMNS)
            writer.writeheader()
            for name in sorted(by_name):
                writer.writerow(by_name[name].as_row(name))

    phrases: Counter[str] = Counter()
    subtypes: Counter[str] = Counter()
    extreme_ids = {note_id for _, note_id in worst + best}
    extreme_findings: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _iter_jsonl(out_dir / "findings.jsonl"):
        for finding in row["findings"]:
            phrases[" ".join(finding["phrase"].lower().split())] += 1
            subtypes[finding["subtype"]] += 1
        if row["note_id"] in extreme_ids:
            extreme_findings[row["note_id"]].append(row)
    errors = (
        sum(1 for _ in csv.reader((out_dir / "errors.csv").open())) - 1
        if (out_dir / "errors.csv").exists()
        else 0
    )

    worst_ids = [n for _, n in sorted(worst, reverse=True)]
    best_ids = [n for _, n in sorted(best, reverse=True)]
    summary: dict[str, Any] = {
        "notes": overall.notes,
        "errors": errors,
        "overall": overall.as_row("all"),
        "score_histogram": histogram,
        "blaming_by_subtype": dict(subtypes),
        "top_phrases": phrases.most_common(20),
        "worst_notes": worst_ids,
        "best_notes": best_ids,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    months = sorted((m, g.as_row(m)) for m, g in groups["month"].items() if m != "(no date)")
    scores_by_id = {}
    for row in _iter_jsonl(out_dir / "notes.jsonl"):
        if row["note_id"] in extreme_ids:
            scores_by_id[row["note_id"]] = row
    environment = Environment(
        loader=PackageLoader("st_nlp", "resources/templates"),
        autoescape=select_autoescape(["html"]),
    )
    html = environment.get_template("audit_report.html").render(
        summary=summary,
        overall=overall.as_row("all"),
        histogram=histogram,
        hist_max=max(histogram) or 1,
        months=months,
        components=[
            (COMPONENT_INFO[c].title, overall.as_row("all")[f"share_{c.value}"]) for c in Component
        ],
        phrases=phrases.most_common(15),
        phrase_max=max((c for _, c in phrases.most_common(1)), default=1),
        workers=[g.as_row(n) for n, g in sorted(groups["worker"].items())],
        units=[g.as_row(n) for n, g in sorted(groups["unit"].items())],
        worst=[(scores_by_id[n], extreme_findings.get(n, [])) for n in worst_ids],
        best=[(scores_by_id[n], extreme_findings.get(n, [])) for n in best_ids],
    )
    (out_dir / "report.html").write_text(html, encoding="utf-8")
    return overall.notes
