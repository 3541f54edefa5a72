"""`st-nlp evaluate`: quality numbers for a model folder on a held-out split.

Reports per-label precision/recall/F1, macro-F1, blaming-span F1 (exact and overlap), expected
calibration error, label confusion, a counterfactual (gender and name swap) check, a
per-register breakdown, the two ensemble members on their own, and the note-level quality
score's Spearman correlation with the annotated ratings.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import precision_recall_fscore_support

from st_nlp.corpus.jsonl import read_records
from st_nlp.corpus.paths import DATA_DIR, NOTES_FILE
from st_nlp.corpus.records import NoteRecord
from st_nlp.counterfactual import swap_gender, swap_names
from st_nlp.reviewer import Reviewer, default_runtime
from st_nlp.taxonomy import LABELS, Label
from st_nlp.training import load_split

CORE_LABELS = (
    Label.BEHAVIORAL_FACT,
    Label.PERPETRATOR_PATTERN,
    Label.SURVIVOR_PROTECTIVE_ACTION,
    Label.BLAMING_LANGUAGE,
)


def label_metrics(y: np.ndarray, pred: np.ndarray) -> dict[str, dict[str, float]]:
    precision, recall, f1, support = precision_recall_fscore_support(
        y, pred, average=None, zero_division=0, labels=list(range(len(LABELS)))
    )
    return {
        str(label): {
            "precision": round(float(precision[i]), 4),
            "recall": round(float(recall[i]), 4),
            "f1": round(float(f1[i]), 4),
            "support": int(support[i]),
        }
        for i, label in enumerate(LABELS)
    }


def macro(per_label: dict[str, dict[str, float]], labels: Sequence[Label]) -> float:
    return round(float(np.mean([per_label[str(label)]["f1"] for label in labels])), 4)


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """ECE of one label: bin-weighted gap between mean confidence and observed frequency."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    total, error = len(y), 0.0
    for low, high in itertools.pairwise(edges):
        in_bin = (p >= low) & ((p < high) if high < 1.0 else (p <= high))
        if in_bin.any():
            error += in_bin.sum() / total * abs(p[in_bin].mean() - y[in_bin].mean())
    return float(error)


def span_f1(
    gold: list[list[tuple[int, int, str]]], predicted: list[list[tuple[int, int, str]]]
) -> dict[str, float]:
    """Exact (same offsets) and overlap (any shared character) span F1, plus subtype accuracy."""
    n_gold = sum(map(len, gold))
    n_pred = sum(map(len, predicted))
    exact = sum(
        len({s[:2] for s in g} & {s[:2] for s in p}) for g, p in zip(gold, predicted, strict=True)
    )
    overlap_gold = sum(
        any(a[0] < b[1] and b[0] < a[1] for b in p)
        for g, p in zip(gold, predicted, strict=True)
        for a in g
    )
    overlap_pred = sum(
        any(a[0] < b[1] and b[0] < a[1] for a in g)
        for g, p in zip(gold, predicted, strict=True)
        for b in p
    )
    subtype_hits = subtype_pairs = 0
    for g, p in zip(gold, predicted, strict=True):
        for a in g:
            match = next((b for b in p if a[0] < b[1] and b[0] < a[1]), None)
            if match is not None:
                subtype_pairs += 1
                subtype_hits += int(match[2] == a[2])

    def f1(tp_pred: float, tp_gold: float) -> float:
        precision = tp_pred / n_pred if n_pred else 0.0
        recall = tp_gold / n_gold if n_gold else 0.0
        return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)

    return {
        "exact_f1": round(f1(exact, exact), 4),
        "overlap_f1": round(f1(overlap_pred, overlap_gold), 4),
        "overlap_precision": round(overlap_pred / n_pred, 4) if n_pred else 0.0,
        "overlap_recall": round(overlap_gold / n_gold, 4) if n_gold else 0.0,
        "subtype_accuracy_on_overlaps": round(subtype_hits / subtype_pairs, 4)
        if subtype_pairs
        else 0.0,
        "gold_spans": n_gold,
        "predicted_spans": n_pred,
    }


def evaluate_model(
    model: str | Path | None = None,
    data_dir: Path = DATA_DIR,
    split: str = "test",
    progress: Callable[[str], None] | None = None,
    runtime: str | None = None,
    notes: str | None = None,
) -> dict[str, Any]:
    """Every quality number of the model on `split`, or on the notes of `split` (any split:
    "all") whose ids match the regular expression `notes`: a round of notes added to the
    corpus after the model was trained is text it never saw, written by other writers."""
    say = progress or (lambda message: None)
    started = time.time()
    reviewer = Reviewer.load(model, runtime=runtime)
    data = load_split(split, data_dir, notes)
    if not data.texts:
        chosen = f"split {split!r}" + (f" with notes matching {notes!r}" if notes else "")
        raise ValueError(f"{chosen} is empty in {data_dir}")
    say(f"{split}: {len(data.texts)} sentences")
    probabilities, pred, findings = reviewer.assess_sentences(data.texts)
    y = data.targets
    per_label = label_metrics(y, pred)

    blaming = LABELS.index(Label.BLAMING_LANGUAGE)
    gold_spans = [[(s.start, s.end, str(s.subtype)) for s in r.spans] for r in data.records]
    predicted_spans = [
        [(f.start, f.end, f.subtype) for f in found] if pred[i, blaming] else []
        for i, found in enumerate(findings)
    ]

    ece = {
        str(label): round(expected_calibration_error(y[:, i], probabilities[:, i]), 4)
        for i, label in enumerate(LABELS)
    }
    confusion = {
        str(gold): {
            str(other): int((y[:, i].astype(bool) & pred[:, j]).sum())
            for j, other in enumerate(LABELS)
        }
        | {"missed": int((y[:, i].astype(bool) & ~pred[:, i]).sum())}
        for i, gold in enumerate(LABELS)
    }

    say("counterfactual swaps")
    note_records = {n.note_id: n for _, n in read_records(data_dir / NOTES_FILE, NoteRecord)}
    swapped = [
        swap_names(
            swap_gender(r.text, reviewer.nlp), [p.name for p in note_records[r.note_id].people]
        )
        for r in data.records
    ]
    _, swapped_pred, _ = reviewer.assess_sentences(swapped, all_findings=False)
    changed_rows = (swapped_pred != pred).any(axis=1)
    counterfactual = {
        "sentences_changed_by_swap": int(
            sum(s != r.text for s, r in zip(swapped, data.records, strict=True))
        ),
        "label_set_changed_share": round(float(changed_rows.mean()), 4),
        "per_label_flips": {
            str(label): int((swapped_pred[:, i] != pred[:, i]).sum())
            for i, label in enumerate(LABELS)
        },
    }

    by_register: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(data.records):
        by_register[record.register].append(index)
    registers = {
        register: {
            "sentences": len(rows),
            "macro_f1_core": macro(label_metrics(y[rows], pred[rows]), CORE_LABELS),
            "blaming_f1": label_metrics(y[rows], pred[rows])[str(Label.BLAMING_LANGUAGE)]["f1"],
        }
        for register, rows in sorted(by_register.items())
    }

    members: dict[str, Any] = {}
    classifier = reviewer.classifier
    if hasattr(classifier, "member_proba"):
        tfidf_p, minilm_p = classifier.member_proba(data.texts)
        for name, p in (("tfidf_logreg.v1", tfidf_p), ("minilm_head.v1", minilm_p)):
            member_labels = label_metrics(y, p >= 0.5)
            members[name] = {
                "macro_f1_core": macro(member_labels, CORE_LABELS),
                "per_label_f1": {k: v["f1"] for k, v in member_labels.items()},
                "ece_mean": round(
                    float(
                        np.mean(
                            [
                                expected_calibration_error(y[:, i], p[:, i])
                                for i in range(len(LABELS))
                            ]
                        )
                    ),
                    4,
                ),
            }

    say("note-level quality vs. ratings")
    chosen_notes = {r.note_id for r in data.records}
    rated = [
        n
        for n in note_records.values()
        if n.note_id in chosen_notes and n.rubric is not None and n.source == "note"
    ]
    note_quality: dict[str, Any] = {"rated_notes": len(rated)}
    if len(rated) >= 3:
        scores = [reviewer.review(n.text).quality.score for n in rated]
        ratings = [n.rubric.quality_rating for n in rated if n.rubric is not None]
        rho = spearmanr(scores, ratings).statistic
        note_quality["spearman_rho"] = round(float(rho), 4)

    blaming_metrics = per_label[str(Label.BLAMING_LANGUAGE)]
    return {
        "split": split,
        **({"notes": notes} if notes else {}),
        "sentences": len(data.texts),
        "macro_f1_core": macro(per_label, CORE_LABELS),
        "macro_f1_all": macro(per_label, LABELS),
        "per_label": per_label,
        "blaming": {
            "precision": blaming_metrics["precision"],
            "recall": blaming_metrics["recall"],
            "spans": span_f1(gold_spans, predicted_spans),
        },
        "ece": ece,
        "ece_mean": round(float(np.mean(list(ece.values()))), 4),
        "thresholds": {
            str(lb): float(t) for lb, t in zip(LABELS, reviewer.thresholds, strict=True)
        },
        "confusion": confusion,
        "counterfactual": counterfactual,
        "by_register": registers,
        "members": members,
        "note_quality": note_quality,
        "runtime": runtime or default_runtime(),
        "seconds": round(time.time() - started, 1),
    }
