"""The built-in rewriter: drafts suggestions with the strategies, then checks each one.

Checks, applied at run time before a suggestion is returned:
- every name, date, time, number and quoted span of the original sentence is kept;
- the suggestion is not itself flagged as blaming language (rules and classifier);
- control characters (bidirectional overrides, zero-width) never appear in a suggestion.
Suggestions are deterministic: same note, context and model, same suggestions.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span, Token

from st_nlp.rewrite.facts import extract_facts, missing_facts, placeholders
from st_nlp.rewrite.parties import Parties, find_parties
from st_nlp.rewrite.strategies import (
    Draft,
    active_voice,
    behavior_prompts,
    pivot_to_perpetrator,
)
from st_nlp.taxonomy import LABELS, Label

if TYPE_CHECKING:
    from st_nlp.reviewer import Reviewer, SentenceResult

MAX_SUGGESTIONS = 3
_PLACEHOLDER = re.compile(r"\[[^\[\]]*\]")
_CONTROL = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
SUBTYPE_ORDER = ("survivor_blame", "pathologizing", "mutualizing", "minimizing_excusing")


def needs_suggestion(labels: list[str]) -> bool:
    """Blaming language, or a characterization of a party that is not a behavioral fact."""
    if Label.BLAMING_LANGUAGE in labels:
        return True
    vague = Label.PERPETRATOR_PATTERN in labels or Label.SURVIVOR_PROTECTIVE_ACTION in labels
    return vague and Label.BEHAVIORAL_FACT not in labels


def _clause_of(token: Token, sentence: Span) -> Span:
    """The coordinated clause of `sentence` that holds `token`.

    Clauses are cut at the conjunction ("and", "but", ";") before each coordinated verb. Token
    positions are used rather than subtrees because the small parser often attaches the second
    clause's subject to the first clause ("... relationship and mother failed to ...").
    """
    cuts = []
    for verb in sentence:
        if verb.dep_ != "conj" or verb.pos_ not in {"VERB", "AUX"}:
            continue
        if verb.head.pos_ not in {"VERB", "AUX"}:
            continue
        for i in range(verb.i - 1, verb.head.i, -1):
            candidate = sentence.doc[i]
            if candidate.dep_ == "cc" or candidate.text in {";", "but"}:
                cuts.append(i)
                break
    start, end = sentence.start, sentence.end
    for cut in sorted(cuts):
        if cut < token.i:
            start = cut + 1
        elif cut > token.i:
            end = cut
            break
    while end > start + 1 and sentence.doc[end - 1].is_punct:
        end -= 1  # the closing period or comma stays outside the clause
    return sentence.doc[start:end]


class FactBasedRewriter:
    """Rewrites blaming language and vague characterizations without inventing facts."""

    def __init__(self, reviewer: Reviewer) -> None:
        self.reviewer = reviewer

    def suggest_note(
        self, sentences: list[SentenceResult], doc: Doc, context: dict[str, Any] | None
    ) -> None:
        """Fill `suggestions` of each sentence that needs them (in place)."""
        parties = find_parties(doc, context)
        for sentence in sentences:
            if not needs_suggestion(sentence.labels):
                continue
            span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
            if span is None:
                continue
            drafts = self._drafts(sentence, span, parties)
            sentence.suggestions = self._checked(drafts, span, sentence)

    def _drafts(self, sentence: SentenceResult, span: Span, parties: Parties) -> list[Draft]:
        """One draft that rewrites each finding's clause in place, or behavior prompts."""
        doc = span.doc
        replacements: list[tuple[int, int, Draft]] = []
        findings = sorted(
            sentence.findings,
            key=lambda f: SUBTYPE_ORDER.index(f.subtype) if f.subtype in SUBTYPE_ORDER else 9,
        )
        for finding in findings:
            found = doc.char_span(finding.start, finding.end, alignment_mode="expand")
            if found is None:
                continue
            draft: Draft | None = None
            if finding.subtype == "agentless":
                verbs = [t for t in found if t.tag_ == "VBN"]
                if verbs:
                    clause = _clause_of(verbs[0], span)
                    draft = active_voice(clause, verbs[0], parties)
            else:
                clause = _clause_of(found.root, span)
                draft = pivot_to_perpetrator(
                    clause,
                    finding.subtype,
                    self._parties_for(clause, finding.subtype, parties),
                    finding.rule_id,
                )
            if draft is None:
                continue
            start, end = clause.start_char, clause.end_char
            if any(start < e and s < end for s, e, _ in replacements):
                continue  # one rewrite per clause: the most blaming subtype decides
            replacements.append((start, end, draft))
        if replacements:
            text = doc.text[span.start_char : span.end_char]
            for start, end, draft in sorted(replacements, key=lambda r: r[0], reverse=True):
                text = text[: start - span.start_char] + draft.text + text[end - span.start_char :]
            first = min(replacements, key=lambda r: r[0])[2]
            strategies = "+".join(dict.fromkeys(d.strategy for _, _, d in replacements))
            text = text[:1].upper() + text[1:]
            if not text.rstrip().endswith((".", "!", "?")):
                text = text.rstrip() + "."
            return [Draft(text, strategies, first.rationale, first.principle)]
        if Label.BLAMING_LANGUAGE in sentence.labels:
            return [pivot_to_perpetrator(span, "survivor_blame", parties)]
        label = (
            Label.PERPETRATOR_PATTERN
            if Label.PERPETRATOR_PATTERN in sentence.labels
            else Label.SURVIVOR_PROTECTIVE_ACTION
        )
        return [behavior_prompts(span, str(label))]

    @staticmethod
    def _parties_for(clause: Span, subtype: str, parties: Parties) -> Parties:
        """For survivor blame and pathologizing, the clause's subject is the survivor."""
        if subtype not in {"survivor_blame", "pathologizing"}:
            return parties
        subjects = [c for c in clause.root.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
        if not subjects:
            return parties
        subject = clause.doc[subjects[0].left_edge.i : subjects[0].right_edge.i + 1].text
        return Parties(parties.perpetrator, subject)

    def _checked(
        self, drafts: list[Draft], span: Span, sentence: SentenceResult
    ) -> list[dict[str, Any]]:
        facts = extract_facts(span.as_doc())
        accepted: list[dict[str, Any]] = []
        seen: set[str] = set()
        for draft in drafts:
            text = _CONTROL.sub("", draft.text).strip()
            lost = missing_facts(facts, text)
            if lost:
                text = text.rstrip(".") + f" (kept from the original: {'; '.join(lost)})."
            if text in seen or text == sentence.text or self._still_blaming(text):
                continue
            seen.add(text)
            accepted.append(
                {
                    "text": text,
                    "rationale": draft.rationale,
                    "principle": draft.principle,
                    "placeholders": placeholders(text),
                    "start": sentence.start,
                    "end": sentence.end,
                    "strategy": draft.strategy,
                }
            )
            if len(accepted) == MAX_SUGGESTIONS:
                break
        return accepted

    def _still_blaming(self, text: str) -> bool:
        """Rules on the whole suggestion; the classifier on its own words, with the bracketed
        prompts (our questions to the writer, not the writer's language) left blank."""
        reviewer = self.reviewer
        doc = reviewer.nlp(text)
        if reviewer.rules.find(doc):
            return True
        blaming = LABELS.index(Label.BLAMING_LANGUAGE)
        own_words = _PLACEHOLDER.sub("[...]", text)
        score = reviewer.classifier.predict_proba([own_words])[0, blaming]
        return bool(score >= reviewer.thresholds[blaming])
