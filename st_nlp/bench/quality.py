"""Macro-F1 on the test split, optimized runtime vs. the unoptimized (torch) one."""

from __future__ import annotations

from typing import Any


def compare(runtime: str, split: str = "test") -> dict[str, Any]:
    """Same reviewer, two runtimes; the metrics `st-nlp evaluate` reports as macro-F1."""
    import numpy as np

    from st_nlp.evaluation import CORE_LABELS, label_metrics, macro
    from st_nlp.reviewer import Reviewer
    from st_nlp.taxonomy import LABELS
    from st_nlp.training import load_split

    data = load_split(split)
    out: dict[str, Any] = {"split": split, "sentences": len(data.texts)}
    probabilities = {}
    for name in ("torch", runtime):
        reviewer = Reviewer.load(runtime=name, suggestions=False, cache_size=0)
        p, decisions, _ = reviewer.assess_sentences(data.texts, all_findings=False)
        probabilities[name] = p
        per_label = label_metrics(data.targets, decisions)
        out[name] = {
            "macro_f1_core": macro(per_label, CORE_LABELS),
            "macro_f1_all": macro(per_label, LABELS),
        }
    out["max_score_difference"] = round(
        float(np.abs(probabilities[runtime] - probabilities["torch"]).max()), 4
    )
    out["delta_macro_f1_core"] = round(
        out[runtime]["macro_f1_core"] - out["torch"]["macro_f1_core"], 4
    )
    out["delta_macro_f1_all"] = round(
        out[runtime]["macro_f1_all"] - out["torch"]["macro_f1_all"], 4
    )
    return out
