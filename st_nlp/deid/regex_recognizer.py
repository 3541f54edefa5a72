"""A Presidio recognizer whose patterns may mark the identifier inside a wider match.

Presidio's `PatternRecognizer` reports the whole match. Case notes announce identifiers with
words that are not themselves identifying ("Case #", "works at", "moved to"): a pattern here
may name a group `id`, and only that group is reported, so the cue word stays readable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


@dataclass(frozen=True)
class Rule:
    """One pattern: a name for explanations, the regex, a score."""

    name: str
    regex: str
    score: float = 0.8
    flags: int = re.IGNORECASE


class RegexRecognizer(EntityRecognizer):
    """Reports `entity` for every match of its rules (the `id` group when there is one)."""

    def __init__(self, entity: str, rules: list[Rule], name: str) -> None:
        self.entity = entity
        self.label = name
        self.rules = rules
        self.compiled = [(rule, re.compile(rule.regex, rule.flags)) for rule in rules]
        super().__init__(supported_entities=[entity], name=name)

    def load(self) -> None:
        """Nothing to load: the patterns are compiled in `__init__`."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for rule, pattern in self.compiled:
            for match in pattern.finditer(text):
                group = "id" if "id" in pattern.groupindex and match.group("id") else 0
                start, end = match.span(group)
                if end <= start:
                    continue
                explanation = AnalysisExplanation(
                    recognizer=self.label,
                    original_score=rule.score,
                    pattern_name=rule.name,
                    pattern=rule.regex,
                )
                results.append(RecognizerResult(self.entity, start, end, rule.score, explanation))
        return results
