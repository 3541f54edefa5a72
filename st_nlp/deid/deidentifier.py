"""`Deidentifier`: text in, text with identifiers replaced by tokens out, offsets mapped.

Steps (each result keeps Presidio's explanation of who found it):
1. Presidio's analyzer with our recognizers (`engine.py`);
2. names the caller already knows (a note's parties) are added wherever they occur;
3. every word of every name found is searched again through the whole text, case-blind, so a
   first name alone, a surname after a title or a lowercase repeat is not missed;
4. overlapping results merge into one replacement (the union of their characters, so nothing
   half-covered leaks) typed by the most specific entity;
5. people get role tokens (`roles.py`), the rest one token per type; Presidio's anonymizer
   writes the new text.

Several texts that belong together (a sentence and its suggested rewrites) are de-identified
as one document, so the same person gets the same token in all of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from presidio_analyzer import RecognizerResult
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig
from presidio_anonymizer.entities import RecognizerResult as AnonymizerResult

from st_nlp.deid.engine import build_analyzer
from st_nlp.deid.people import NOT_NAMES, ROLE_CUES, TITLES
from st_nlp.deid.roles import assign_tokens, name_parts

TOKENS: dict[str, str] = {
    "DATE": "[DATE]",
    "TIME": "[TIME]",
    "PHONE": "[PHONE]",
    "EMAIL": "[EMAIL]",
    "CASE_NUMBER": "[CASE NUMBER]",
    "ADDRESS": "[ADDRESS]",
    "SCHOOL": "[SCHOOL]",
    "WORKPLACE": "[WORKPLACE]",
    "SURVIVOR_LOCATION": "[SURVIVOR LOCATION]",
    "LOCATION": "[LOCATION]",
}
# Which type names a merged span: the most specific (and most sensitive) wins.
PRIORITY: dict[str, int] = {
    "SURVIVOR_LOCATION": 10,
    "CASE_NUMBER": 9,
    "EMAIL": 9,
    "PHONE": 8,
    "ADDRESS": 8,
    "SCHOOL": 7,
    "WORKPLACE": 7,
    "TIME": 6,
    "DATE": 5,
    "PERSON": 4,
    "LOCATION": 3,
}
LOW_PERSON = 0.5  # below this, a PERSON guess (a lone proper noun) never names a merged span
SCORE_THRESHOLD = 0.35
SEPARATOR = "\n\n"
TRIM = " \t\n.,;:"
CALENDAR = re.compile(
    r"\d{1,2}[/-]\d{1,2}|\b(?:19|20)\d{2}\b|\d:\d\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.IGNORECASE,
)
# "p.m.", "Ave.": the final period belongs to the abbreviation.
KEEP_PERIOD = re.compile(r"(?:\b[a-zA-Z]\.[a-zA-Z]\.|\b(?:St|Ave|Rd|Blvd|Dr|Ln|Ct|Apt|Jr|Sr)\.)$")


@dataclass(frozen=True)
class Redaction:
    """One replacement: original `start:end`, its type and token, and where the token landed."""

    start: int
    end: int
    entity: str
    token: str
    new_start: int
    new_end: int


@dataclass(frozen=True)
class DeidResult:
    text: str
    redactions: tuple[Redaction, ...]

    def map_offset(self, offset: int, *, end: bool = False) -> int:
        """Where an original offset lands; inside a replacement it snaps to the token's edge."""
        shift = 0
        for r in self.redactions:
            if offset < r.start or (offset == r.start and not end):
                break
            if offset < r.end or (end and offset == r.end):
                return r.new_end if end else r.new_start
            shift = r.new_end - r.end
        return offset + shift

    def map_span(self, start: int, end: int) -> tuple[int, int]:
        new_start = self.map_offset(start)
        new_end = max(new_start, self.map_offset(end, end=True))
        return new_start, new_end


@dataclass
class _Span:
    start: int
    end: int
    entity: str
    score: float

    @property
    def rank(self) -> int:
        if self.entity == "PERSON" and self.score < LOW_PERSON:
            return 1
        return PRIORITY.get(self.entity, 0)


def _trim(text: str, span: _Span) -> _Span | None:
    if span.entity == "PERSON":  # a name ends at the end of its line
        span.end = span.start + len(text[span.start : span.end].split("\n")[0])
    if span.entity == "PERSON":  # "FOB Luis" -> "Luis": the cue stays readable
        while (lead := re.match(r"[A-Za-z-]+\.?\s+", text[span.start : span.end])) and (
            lead.group().strip().rstrip(".").lower() in ROLE_CUES.keys() | TITLES
        ):
            span.start += lead.end()
    while span.end > span.start and text[span.end - 1] in TRIM:
        if text[span.end - 1] == "." and KEEP_PERIOD.search(text[span.start : span.end]):
            break
        span.end -= 1
    while span.start < span.end and text[span.start] in TRIM:
        span.start += 1
    return span if span.end > span.start else None


def _vague_spacy_date(text: str, result: RecognizerResult) -> bool:
    """spaCy calls durations dates ("last year", "12-week"): keep only real calendar dates."""
    if result.entity_type not in {"DATE", "TIME"}:
        return False
    if (result.recognition_metadata or {}).get("recognizer_name") != "SpacyRecognizer":
        return False
    return not CALENDAR.search(text[result.start : result.end])


def _merge(spans: list[_Span], text: str) -> list[_Span]:
    """Union overlapping spans; also join parts of one name ("Darnell" + "Castillo")."""
    merged: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        adjacent_names = (
            merged
            and span.entity == merged[-1].entity == "PERSON"
            and merged[-1].end <= span.start
            and text[merged[-1].end : span.start] in {" ", "-"}
        )
        if merged and (span.start < merged[-1].end or adjacent_names):
            last = merged[-1]
            winner = last if last.rank >= span.rank else span
            merged[-1] = _Span(
                last.start, max(last.end, span.end), winner.entity, max(last.score, span.score)
            )
        else:
            merged.append(_Span(span.start, span.end, span.entity, span.score))
    return merged


def _occurrences(text: str, word: str) -> list[tuple[int, int]]:
    pattern = re.compile(rf"(?<![\w'’-]){re.escape(word)}(?:['’]s)?(?![\w-])", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]


class Deidentifier:
    """Replaces identifiers in case-note text with tokens; see the module docstring."""

    def __init__(self) -> None:
        self.analyzer = build_analyzer()
        self.anonymizer = AnonymizerEngine()  # type: ignore[no-untyped-call]

    def deidentify(self, text: str, known_people: dict[str, str] | None = None) -> DeidResult:
        """`known_people`: name -> role (e.g. the note's parties), found wherever they occur."""
        return self.deidentify_together([text], known_people)[0]

    def deidentify_together(
        self, texts: Sequence[str], known_people: dict[str, str] | None = None
    ) -> list[DeidResult]:
        """De-identify texts that belong together with one set of person tokens."""
        joined = SEPARATOR.join(texts)
        spans = self._find(joined, known_people or {})
        tokens = self._tokens(joined, spans, known_people or {})
        results: list[DeidResult] = []
        offset = 0
        for text in texts:
            inside = [
                (s, t)
                for s, t in zip(spans, tokens, strict=True)
                if offset <= s.start and s.end <= offset + len(text)
            ]
            results.append(self._anonymize(text, inside, offset))
            offset += len(text) + len(SEPARATOR)
        return results

    def analyze(self, text: str, known_people: dict[str, str] | None = None) -> list[_Span]:
        """The merged, typed spans that would be replaced (for evaluation)."""
        return self._find(text, known_people or {})

    def _find(self, text: str, known: dict[str, str]) -> list[_Span]:
        found: list[RecognizerResult] = self.analyzer.analyze(
            text, language="en", score_threshold=SCORE_THRESHOLD
        )
        spans = [
            _Span(r.start, r.end, r.entity_type, r.score)
            for r in found
            if not _vague_spacy_date(text, r)
        ]
        for name in known:
            for part in name_parts(name):
                spans.extend(_Span(s, e, "PERSON", 1.0) for s, e in _occurrences(text, part))
        spans = [t for s in spans if (t := _trim(text, s)) is not None]
        merged = _merge(spans, text)
        words: set[str] = set()
        for span in merged:
            if span.entity == "PERSON":
                words.update(
                    p for p in name_parts(text[span.start : span.end]) if p not in NOT_NAMES
                )
        extra = [_Span(s, e, "PERSON", 0.6) for w in words for s, e in _occurrences(text, w)]
        return _merge(merged + extra, text)

    def _tokens(self, text: str, spans: list[_Span], known: dict[str, str]) -> list[str]:
        people = [i for i, s in enumerate(spans) if s.entity == "PERSON"]
        person_tokens = assign_tokens(text, [(spans[i].start, spans[i].end) for i in people], known)
        tokens = [TOKENS.get(s.entity, f"[{s.entity}]") for s in spans]
        for index, token in zip(people, person_tokens, strict=True):
            tokens[index] = token
        return tokens

    def _anonymize(self, text: str, spans: list[tuple[_Span, str]], offset: int) -> DeidResult:
        if not spans:
            return DeidResult(text, ())
        results = [
            AnonymizerResult(f"T{i}", s.start - offset, s.end - offset, s.score)
            for i, (s, _) in enumerate(spans)
        ]
        operators = {
            f"T{i}": OperatorConfig("replace", {"new_value": token})
            for i, (_, token) in enumerate(spans)
        }
        engine_result = self.anonymizer.anonymize(text, results, operators)
        placed = {item.entity_type: (item.start, item.end) for item in engine_result.items}
        redactions = tuple(
            Redaction(
                s.start - offset,
                s.end - offset,
                s.entity,
                token,
                placed[f"T{i}"][0],
                placed[f"T{i}"][1],
            )
            for i, (s, token) in enumerate(spans)
        )
        return DeidResult(engine_result.text, tuple(sorted(redactions, key=lambda r: r.start)))


__all__ = ["DeidResult", "Deidentifier", "Redaction"]
