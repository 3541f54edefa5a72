"""Inter-annotator agreement between two independent annotation passes.

Per label: Cohen's kappa (scikit-learn) and Krippendorff's alpha (nominal, `krippendorff`
package) over the sentences both passes labeled, plus the raw counts that make a low kappa
interpretable (kappa is unstable when a label is rare). Blaming spans are compared as exact
character spans and by overlap, with subtype agreement on overlapping spans.
"""

from __future__ import annotations

from dataclasses import dataclass

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

from st_nlp.corpus.records import SentenceRecord
from st_nlp.taxonomy import LABELS, Label


@dataclass(frozen=True)
class LabelAgreement:
    label: Label
    kappa: float
    alpha: float
    positives_a: int
    positives_b: int
    both: int
    observed_agreement: float


@dataclass(frozen=True)
class SpanAgreement:
    exact_f1: float
    overlap_f1: float
    subtype_agreement: float
    spans_a: int
    spans_b: int


@dataclass(frozen=True)
class AgreementReport:
    sentences: int
    labels: tuple[LabelAgreement, ...]
    spans: SpanAgreement
    exact_set_agreement: float

    def kappa(self, label: Label) -> float:
        return next(item.kappa for item in self.labels if item.label == label)


def _safe_kappa(a: np.ndarray, b: np.ndarray) -> float:
    if np.array_equal(a, b):
        return 1.0
    return float(cohen_kappa_score(a, b))


def _alpha(a: np.ndarray, b: np.ndarray) -> float:
    if np.array_equal(a, b):
        return 1.0
    return float(
        krippendorff.alpha(reliability_data=np.vstack([a, b]), level_of_measurement="nominal")
    )


def _overlaps(x: tuple[int, int], y: tuple[int, int]) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def _f1(matched_a: int, total_a: int, matched_b: int, total_b: int) -> float:
    if total_a == 0 and total_b == 0:
        return 1.0
    precision = matched_b / total_b if total_b else 0.0
    recall = matched_a / total_a if total_a else 0.0
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def span_agreement(pairs: list[tuple[SentenceRecord, SentenceRecord]]) -> SpanAgreement:
    """Compare blaming spans of pass A (reference) and pass B, sentence by sentence."""
    exact_a = exact_b = overlap_a = overlap_b = total_a = total_b = 0
    subtype_same = subtype_pairs = 0
    for a, b in pairs:
        spans_a = [(s.start, s.end, s.subtype) for s in a.spans]
        spans_b = [(s.start, s.end, s.subtype) for s in b.spans]
        total_a += len(spans_a)
        total_b += len(spans_b)
        keys_a = {(s, e) for s, e, _ in spans_a}
        keys_b = {(s, e) for s, e, _ in spans_b}
        exact_a += len(keys_a & keys_b)
        exact_b += len(keys_a & keys_b)
        overlap_a += sum(any(_overlaps(x[:2], y[:2]) for y in spans_b) for x in spans_a)
        overlap_b += sum(any(_overlaps(y[:2], x[:2]) for x in spans_a) for y in spans_b)
        for x in spans_a:
            match = next((y for y in spans_b if _overlaps(x[:2], y[:2])), None)
            if match is not None:
                subtype_pairs += 1
                subtype_same += int(match[2] == x[2])
    return SpanAgreement(
        exact_f1=_f1(exact_a, total_a, exact_b, total_b),
        overlap_f1=_f1(overlap_a, total_a, overlap_b, total_b),
        subtype_agreement=subtype_same / subtype_pairs if subtype_pairs else 1.0,
        spans_a=total_a,
        spans_b=total_b,
    )


def compare_passes(pass_a: list[SentenceRecord], pass_b: list[SentenceRecord]) -> AgreementReport:
    """Agreement over the sentences present in both passes (matched by id)."""
    by_id = {record.id: record for record in pass_b}
    pairs = [(a, by_id[a.id]) for a in pass_a if a.id in by_id]
    if not pairs:
        raise ValueError("the two passes have no sentence id in common")
    rows = []
    for label in LABELS:
        a = np.array([int(label in x.labels) for x, _ in pairs])
        b = np.array([int(label in y.labels) for _, y in pairs])
        rows.append(
            LabelAgreement(
                label=label,
                kappa=_safe_kappa(a, b),
                alpha=_alpha(a, b),
                positives_a=int(a.sum()),
                positives_b=int(b.sum()),
                both=int((a & b).sum()),
                observed_agreement=float((a == b).mean()),
            )
        )
    exact = float(np.mean([set(x.labels) == set(y.labels) for x, y in pairs]))
    return AgreementReport(
        sentences=len(pairs),
        labels=tuple(rows),
        spans=span_agreement(pairs),
        exact_set_agreement=exact,
    )
