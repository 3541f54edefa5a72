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
_CONTROL = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_CLAUSE_DEPS = frozenset({"ROOT", "conj", "ccomp", "advcl", "relcl", "xcomp", "parataxis"})
SUBTYPE_ORDER = ("survivor_blame", "pathologizing", "mutualizing", "minimizing_excusing")


def needs_suggestion(labels: list[str]) -> bool:
    """Blaming language, or a characterization of a party that is not a behavioral fact."""
    if Label.BLAMING_LANGUAGE in labels:
        return True
    vague = Label.PERPETRATOR_PATTERN in labels or Label.SURVIVOR_PROTECTIVE_ACTION in labels
    return vague and Label.BEHAVIORAL_FACT not in labels


def _clause_of(token: Token, sentence: Span) -> Span:
    """The clause around `token`: its clause head's subtree without coordinated clauses."""
    head = token
    while head.dep_ not in _CLAUSE_DEPS and head.head != head and head.head.i >= sentence.start:
        head = head.head
    if head.dep_ not in _CLAUSE_DEPS or head.pos_ not in {"VERB", "AUX"}:
        head = sentence.root
    end = head.right_edge.i + 1
    for child in head.children:
        if child.dep_ in {"conj", "cc"} and child.i > head.i:
            end = min(end, child.left_edge.i)
    start = max(head.left_edge.i, sentence.start)
    end = min(max(end, head.i + 1), sentence.end)
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
        drafts: list[Draft] = []
        doc = span.doc
        agentless = [f for f in sentence.findings if f.subtype == "agentless"]
        others = sorted(
            (f for f in sentence.findings if f.subtype != "agentless"),
            key=lambda f: SUBTYPE_ORDER.index(f.subtype) if f.subtype in SUBTYPE_ORDER else 9,
        )
        for finding in agentless[:1]:
            found = doc.char_span(finding.start, finding.end, alignment_mode="expand")
            verbs = [t for t in found or [] if t.tag_ == "VBN"]
            if verbs:
                draft = active_voice(span, verbs[0], parties)
                if draft is not None:
                    drafts.append(draft)
        if others:
            finding = others[0]
            found = doc.char_span(finding.start, finding.end, alignment_mode="expand")
            if found is not None:
                clause = _clause_of(found.root, span)
                draft = pivot_to_perpetrator(
                    clause, finding.subtype, self._parties_for(clause, finding.subtype, parties)
                )
                prefix = doc.text[span.start_char : clause.start_char]
                suffix = doc.text[clause.end_char : span.end_char]
                text = (
                    prefix + draft.text[:1].lower() + draft.text[1:]
                    if prefix.strip()
                    else draft.text
                )
                text = (text + suffix).strip()
                drafts.append(Draft(text, draft.strategy, draft.rationale, draft.principle))
        if not drafts and Label.BLAMING_LANGUAGE in sentence.labels:
            subtype = "survivor_blame"
            drafts.append(pivot_to_perpetrator(span, subtype, parties))
        if not drafts:
            label = (
                Label.PERPETRATOR_PATTERN
                if Label.PERPETRATOR_PATTERN in sentence.labels
                else Label.SURVIVOR_PROTECTIVE_ACTION
            )
            drafts.append(behavior_prompts(span, str(label)))
        return drafts

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
        reviewer = self.reviewer
        doc = reviewer.nlp(text)
        if reviewer.rules.find(doc):
            return True
        blaming = LABELS.index(Label.BLAMING_LANGUAGE)
        score = reviewer.classifier.predict_proba([text])[0, blaming]
        return bool(score >= reviewer.thresholds[blaming])
