"""Note-level documentation quality: a 0-100 score built from transparent parts.

Parts (each reported, so a supervisor can see why a note scored as it did):
- `fact_share`: share of DV-relevant sentences that are behavioral facts (specific behavior,
  not labels or conclusions);
- `components`: which Safe & Together critical components the note documents with facts;
- `blaming_per_100`: blaming-language findings per 100 sentences, by subtype;
- `vague_characterizations`: perpetrator/survivor characterizations without behavioral facts;
- `quotes`: sentences with direct quotes (exact words are the strongest documentation).

The parts predict the annotation rubric's 1-5 rating linearly, and the score puts that on 0-100:

rating_hat = intercept + fact * fact_share + coverage * coverage + quotes * min(quotes, 2) / 2
             - blame_rate * blaming_per_100 - blame_count * ln(1 + blaming_findings)
             - vague * vague_per_100
score = 25 * (rating_hat - 1), clipped to 0..100.

The rubric counts blaming phrases per note ("one or two", "repeated"), so the count enters with
diminishing steps (the logarithm) beside the rate. The weights live in `QualityWeights`;
`fit_weights` fits them (non-negative, so every part keeps its documented direction) on the
train notes' ratings, and `st-nlp train` records them in the model's config.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from st_nlp.taxonomy import Component, Label

DV_LABELS = frozenset(
    {
        Label.PERPETRATOR_PATTERN,
        Label.SURVIVOR_PROTECTIVE_ACTION,
        Label.BLAMING_LANGUAGE,
        Label.CHILD_IMPACT,
    }
)
_QUOTE = re.compile(r"[\"“”]\s*\S[^\"“”]{2,}[\"“”]")
_INTERSECTION = re.compile(
    r"\b(substance|alcohol|drinking|drunk|intoxicated|sober|sobriety|meth|heroin|opioid|fentanyl"
    r"|cocaine|marijuana|thc|drug|drugs|ua|uas|relapse|aa|na meeting|rehab|mental health"
    r"|depress\w*|anxiety|ptsd|bipolar|psychiatric|suicid\w*|medication|therapy|therapist"
    r"|counsel\w*|disabilit\w*|immigra\w*|visa|deport\w*|undocumented|interpreter|language"
    r"|culture|cultural|religio\w*|church|mosque|temple|tribal|tribe|income|job|employ\w*|rent"
    r"|evict\w*|housing|homeless\w*|shelter|poverty|finances|financial|money|benefits|snap|wic"
    r"|food stamps|unemploy\w*)\b",
    re.IGNORECASE,
)


RATING_SCALE = 25.0  # score points per rating step: ratings 1..5 span 0..100


@dataclass(frozen=True)
class QualityWeights:
    """Rating points per unit of each part (defaults: fitted for the bundled model)."""

    intercept: float = 3.11
    fact: float = 0.02
    coverage: float = 1.56
    quotes: float = 0.27
    blame_penalty: float = 0.011
    blame_count_penalty: float = 0.95
    vague_penalty: float = 0.0


@dataclass
class QualityReport:
    score: float
    sentences: int
    dv_relevant_sentences: int
    fact_share: float
    blaming_findings: int
    blaming_per_100: float
    blaming_by_subtype: dict[str, int]
    vague_characterizations: int
    quotes: int
    components: dict[str, bool]
    weights: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def assess(
    sentences: Sequence[tuple[str, Sequence[str], Sequence[str]]],
    weights: QualityWeights | None = None,
) -> QualityReport:
    """Assess a note from `(text, labels, blaming_subtypes_found)` per sentence."""
    weights = weights or QualityWeights()
    n = len(sentences)
    dv = [s for s in sentences if DV_LABELS.intersection(Label(x) for x in s[1])]
    facts_in_dv = [s for s in dv if Label.BEHAVIORAL_FACT in s[1]]
    subtypes: Counter[str] = Counter(sub for s in sentences for sub in s[2])
    blaming = sum(subtypes.values()) + sum(
        1 for s in sentences if Label.BLAMING_LANGUAGE in s[1] and not s[2]
    )
    vague = sum(
        1
        for s in sentences
        if Label.BEHAVIORAL_FACT not in s[1]
        and (Label.PERPETRATOR_PATTERN in s[1] or Label.SURVIVOR_PROTECTIVE_ACTION in s[1])
    )
    quotes = sum(1 for s in sentences if _QUOTE.search(s[0]))

    def has(*labels: Label, fact: bool = True) -> bool:
        return any(
            all(label in s[1] for label in labels) and (not fact or Label.BEHAVIORAL_FACT in s[1])
            for s in sentences
        )

    components = {
        Component.PERPETRATOR_PATTERN.value: has(Label.PERPETRATOR_PATTERN),
        Component.PERPETRATOR_HARM_TO_CHILD.value: has(
            Label.PERPETRATOR_PATTERN, Label.CHILD_IMPACT, fact=False
        ),
        Component.SURVIVOR_PROTECTIVE_EFFORTS.value: has(Label.SURVIVOR_PROTECTIVE_ACTION),
        Component.CHILD_IMPACT.value: has(Label.CHILD_IMPACT),
        Component.INTERSECTIONS.value: any(
            _INTERSECTION.search(s[0]) and DV_LABELS.intersection(Label(x) for x in s[1])
            for s in sentences
        ),
    }
    fact_share = len(facts_in_dv) / len(dv) if dv else 0.0
    coverage = sum(components.values()) / len(components)
    per_100 = 100.0 * blaming / n if n else 0.0
    vague_per_100 = 100.0 * vague / n if n else 0.0
    rating = weights.intercept + float(
        np.dot(
            _signed_parts(weights),
            _parts(fact_share, coverage, quotes, per_100, blaming, vague_per_100),
        )
    )
    score = RATING_SCALE * (rating - 1.0)
    return QualityReport(
        score=round(max(0.0, min(100.0, score)), 1) if n else 0.0,
        sentences=n,
        dv_relevant_sentences=len(dv),
        fact_share=round(fact_share, 3),
        blaming_findings=blaming,
        blaming_per_100=round(per_100, 1),
        blaming_by_subtype=dict(subtypes),
        vague_characterizations=vague,
        quotes=quotes,
        components=components,
        weights=asdict(weights),
    )


def _parts(
    fact_share: float,
    coverage: float,
    quotes: int,
    blaming_per_100: float,
    blaming: int,
    vague_per_100: float,
) -> np.ndarray:
    """The score's parts as a vector, in the order of `_signed_parts`."""
    return np.array(
        [
            fact_share,
            coverage,
            min(quotes, 2) / 2,
            blaming_per_100,
            math.log1p(blaming),
            vague_per_100,
        ]
    )


# Direction of each part, in `_parts` order: documentation raises the rating, blaming and
# vague characterizations lower it.
_DIRECTIONS = np.array([1.0, 1.0, 1.0, -1.0, -1.0, -1.0])


def _signed_parts(weights: QualityWeights) -> np.ndarray:
    """The weights of `_parts` (all but the intercept), with their direction."""
    signed: np.ndarray = _DIRECTIONS * np.array(list(asdict(weights).values())[1:])
    return signed


def report_parts(report: QualityReport) -> np.ndarray:
    """A report's parts as `assess` weighs them."""
    n = report.sentences
    return _parts(
        report.fact_share,
        sum(report.components.values()) / len(report.components),
        report.quotes,
        report.blaming_per_100,
        report.blaming_findings,
        100.0 * report.vague_characterizations / n if n else 0.0,
    )


def fit_weights(reports: Sequence[QualityReport], ratings: Sequence[int]) -> QualityWeights:
    """Least-squares weights from notes' reports to their 1-5 ratings, each weight kept
    non-negative in its documented direction (a fit may not reward blaming language)."""
    from sklearn.linear_model import LinearRegression

    if len(reports) != len(ratings) or len(reports) < 3:
        raise ValueError("fitting quality weights needs at least 3 rated notes")
    features = np.array([report_parts(r) for r in reports]) * _DIRECTIONS
    model = LinearRegression(positive=True).fit(features, np.asarray(ratings, dtype=float))
    coefficients = [round(float(c), 4) for c in model.coef_]
    return QualityWeights(round(float(model.intercept_), 4), *coefficients)
