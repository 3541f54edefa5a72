"""Note-level documentation quality: a 0-100 score built from transparent parts.

Parts (each reported, so a supervisor can see why a note scored as it did):
- `fact_share`: share of DV-relevant sentences that are behavioral facts (specific behavior,
  not labels or conclusions);
- `components`: which Safe & Together critical components the note documents with facts;
- `blaming_per_100`: blaming-language findings per 100 sentences, by subtype;
- `vague_characterizations`: perpetrator/survivor characterizations without behavioral facts;
- `quotes`: sentences with direct quotes (exact words are the strongest documentation).

score = 100 * (W_FACT * fact_share + W_COVERAGE * coverage + W_QUOTES * min(quotes, 2) / 2)
        - P_BLAME * blaming_per_100 - P_VAGUE * vague_per_100, clipped to 0..100.
The weights live in `QualityWeights` and are fitted against the corpus's note ratings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

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


@dataclass(frozen=True)
class QualityWeights:
    fact: float = 0.45
    coverage: float = 0.45
    quotes: float = 0.10
    blame_penalty: float = 1.2
    vague_penalty: float = 0.4


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
    raw = 100.0 * (
        weights.fact * fact_share
        + weights.coverage * coverage
        + weights.quotes * min(quotes, 2) / 2
    )
    score = raw - weights.blame_penalty * per_100 - weights.vague_penalty * vague_per_100
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
