"""The rule layer: blaming-language findings from data-driven spaCy patterns.

Rules live in `st_nlp/resources/rules/blaming.yaml` (validated with pydantic, unknown keys are
errors). Token rules run through spaCy's `Matcher`, one per rule, sentence by sentence, and
only on sentences holding one of the rule's anchor words (`pattern_anchors`): the same matches
as every pattern over the whole note, in a sixth of the time (12,236 corpus and benchmark texts:
10.7 s -> 1.6 s, identical findings). Agentless passives of violence are found from the
dependency parse (a passive auxiliary on a violence verb with no `agent` child), and threats
tied to a condition from the clause a matched consequence depends on (`st_nlp.rules.conditions`).

A pattern hit becomes a finding only if its context allows it. Following the guidelines:
- blaming words inside quotation marks are someone else's words, not the writer's;
- blaming words in speech reported from someone other than the writer ("FOB stated she
  provoked him", "RP states…", "…, per LE report") are facts about the speaker (codebook 6.14;
  the agency's own notes and staff are the writer's voice);
- `exclude_near` lemmas mark non-blaming senses ("exposed to lead paint", "allowed CW to
  enter"), `require_near` lemmas anchor a cue to its blaming sense.

Text written in capitals ("MOTHER WAS HIT IN THE FACE", police CAD lines) is read by spaCy's
small English model as a row of proper nouns, and the rules that need the parse or a lemma miss
it: of 57 invented sentences with the codebook's cue words, 8 of 43 rule hits were lost in
capitals. Such a doc's rules run on a lowercased copy of its tokens (`lowercased_view`), parsed
by the same pipeline; each character is lowercased on its own, so every offset stays the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from st_nlp.rewrite.parties import CHILD_WORDS, PERSON_ROLES
from st_nlp.rules.conditions import condition_clauses
from st_nlp.rules.spec import RULES_RESOURCE, RuleFile, RuleSpec, load_rule_file, word_counts
from st_nlp.spans.boundaries import rule_span_phrase
from st_nlp.taxonomy import Label

__all__ = ["RULES_RESOURCE", "BlamingRules", "Finding", "RuleFile", "RuleSpec", "load_rule_file"]

REPORTING_LEMMAS = frozenset(
    "say state report tell claim allege describe explain admit accuse blame insist shout yell"
    " scream text write call disclose indicate assert maintain complain testify recount"
    " believe think suspect feel fear worry".split()
)
# Reporting verbs whose passive subject is the one told, not the speaker ("BM was told that").
TOLD_LEMMAS = frozenset({"tell"})
WRITER_SUBJECTS = frozenset("cw i we worker caseworker writer undersigned investigator".split())
ATTRIBUTION_CUES = ("in his words", "in her words", "in their words")
# "Per X" / "according to X" anywhere in the sentence attributes it to X (codebook 6.14), unless
# X is the agency itself (its notes and staff are the writer's voice) or "per" means "for each".
_NOT_A_SOURCE = (
    r"cw|caseworker|worker|writer|undersigned|supervisor|agency|department|dept|me|us|our"
    r"|prior\s+(?:cw|worker|notes?|case)|previous|this\s+writer|case\s+notes?"
    r"|week|month|day|hour|night|year|session|visit|person|child|household|policy|protocol"
    r"|(?:safety\s+|case\s+)?plan|agreement|schedule|request|instructions?"
)
ATTRIBUTION = re.compile(
    rf"\b(?:as\s+per|per|according\s+to)\s+(?:the\s+|his\s+|her\s+|their\s+)?+(?!(?:{_NOT_A_SOURCE})\b)\w",
    re.IGNORECASE,
)
# "RP states ...", "PGM stated ...": a source and a reporting verb opening the sentence. The small
# parser often reads "RP states" as a noun compound, so this looks at the words, not the parse.
_REPORTING_WORDS = (
    r"states|stated|reports|reported|says|said|believes|believed|thinks|thought|alleges|alleged"
    r"|claims|claimed|feels|felt|describes|described|indicates|indicated|disclosed|discloses"
    r"|suspects|suspected|worries|fears"
)
NOT_A_SPEAKER = WRITER_SUBJECTS | {"it", "this", "that", "there", "what", "which"}
OPENING_REPORT = re.compile(
    rf"^\W*((?:[\w.'’/-]+\s+){{1,4}}?)(?:{_REPORTING_WORDS})\b", re.IGNORECASE
)
# Lowercase forms and lemmas: a text holding none of them cannot match the patterns.
Anchors = tuple[frozenset[str], frozenset[str]]
QUOTE_CHARS = frozenset({'"', "“", "”", "'", "‘", "’"})


@dataclass(frozen=True)
class Finding:
    """A blaming-language finding: which rule, which words (character offsets into the doc)."""

    rule_id: str
    label: str
    subtype: str
    start: int
    end: int
    message: str
    severity: str
    rationale: str
    principle: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "label": self.label,
            "subtype": self.subtype,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "severity": self.severity,
        }


# A text counts as written in capitals when at least this share of its cased letters are
# capitals, and it has at least `SHOUTED_MIN_LETTERS` of them ("HV 4/9." is a header, not prose).
SHOUTED_SHARE = 0.8
SHOUTED_MIN_LETTERS = 8


def shouted(text: str) -> bool:
    """True for text written (almost) all in capitals."""
    upper = sum(c.isupper() for c in text)
    cased = upper + sum(c.islower() for c in text)
    return cased >= SHOUTED_MIN_LETTERS and upper >= SHOUTED_SHARE * cased


def lowercased_view(nlp: Language, doc: Doc) -> Doc:
    """`doc`'s tokens lowercased and processed by `nlp`: the same tokens, the same offsets (a
    character whose lowercase is longer, like "İ", stays as it is)."""
    words = ["".join(c.lower() if len(c.lower()) == 1 else c for c in t.text) for t in doc]
    return nlp(Doc(nlp.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc]))


class BlamingRules:
    """Applies the blaming-language rules to processed docs."""

    def __init__(self, nlp: Language, rule_file: RuleFile | None = None) -> None:
        self.nlp = nlp
        self.rule_file = rule_file or load_rule_file()
        self.rules = {rule.id: rule for rule in self.rule_file.rules}
        # One Matcher per rule, run only on sentences that hold one of the rule's anchor words
        # (`pattern_anchors`): the Matcher tries every pattern at every token, and most
        # sentences can match no rule at all.
        self.matchers: list[tuple[RuleSpec, Matcher, Anchors | None]] = []
        for rule in self.rule_file.rules:
            if rule.kind in ("token", "conditioned") and rule.patterns:
                matcher = Matcher(nlp.vocab, validate=True)
                matcher.add(rule.id, rule.patterns)
                self.matchers.append((rule, matcher, pattern_anchors(rule.patterns)))
        self.plain_facts: list[tuple[frozenset[str], Matcher]] = []
        for fact in self.rule_file.plain_facts:
            matcher = Matcher(nlp.vocab, validate=True)
            matcher.add(fact.id, fact.patterns)
            self.plain_facts.append((frozenset(w.lower() for w in fact.exclude_near), matcher))

    def plain_fact(self, sentence: Doc | Span) -> bool:
        """True when the sentence states a plain fact (`RuleFile.plain_facts`) with none of
        that fact's cue words: tokenized text is enough."""
        words = {t.lower_ for t in sentence}
        return any(
            words.isdisjoint(cues) and bool(matcher(sentence)) for cues, matcher in self.plain_facts
        )

    @cached_property
    def _passive_rules(self) -> list[tuple[RuleSpec, PassiveSense]]:
        return [
            (
                rule,
                PassiveSense(
                    frozenset(v.lower() for v in rule.verbs),
                    OTHER_SENSE_PARTICLES | {p.lower() for p in rule.other_sense_particles},
                    rule.person_subject,
                ),
            )
            for rule in self.rule_file.rules
            if rule.kind == "agentless_passive"
        ]

    def find(self, doc: Doc) -> list[Finding]:
        """All findings in `doc`, non-overlapping (the longest match wins), in text order."""
        if shouted(doc.text):
            doc = lowercased_view(self.nlp, doc)
        candidates: list[tuple[Span, RuleSpec]] = []
        units = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        for unit in units:
            lower = {t.lower_ for t in unit}
            lemma = {t.lemma_ for t in unit}
            for rule, matcher, anchors in self.matchers:
                if (
                    anchors is not None
                    and lower.isdisjoint(anchors[0])
                    and lemma.isdisjoint(anchors[1])
                ):
                    continue
                for _, start, end in matcher(unit):
                    matched = doc[unit.start + start : unit.start + end]
                    if rule.kind == "conditioned":
                        if not _negated(matched.root):  # "no removal", "will not be removed"
                            candidates.extend((c, rule) for c in condition_clauses(unit, matched))
                    else:
                        candidates.append((matched, rule))
        for rule, sense in self._passive_rules:
            candidates.extend((span, rule) for span in _agentless_passives(doc, sense))
        kept = [(span, rule) for span, rule in candidates if self._context_allows(span, rule)]
        by_span = {(span.start, span.end): rule for span, rule in kept}
        # A condition (`conditioned` rules) is flagged only where no other rule's words are:
        # "continued failure to protect could lead to removal" keeps SB-FAIL-PROTECT's words.
        spans = filter_spans([span for span, rule in kept if rule.kind != "conditioned"])
        spans += [
            span
            for span in filter_spans([s for s, rule in kept if rule.kind == "conditioned"])
            if not any(span.start < other.end and other.start < span.end for other in spans)
        ]
        spans.sort(key=lambda s: s.start)
        findings = []
        for k, matched in enumerate(spans):
            rule = by_span[(matched.start, matched.end)]
            span = rule_span_phrase(matched, spans[k + 1] if k + 1 < len(spans) else None)
            findings.append(
                Finding(
                    rule_id=rule.id,
                    label=Label.BLAMING_LANGUAGE.value,
                    subtype=rule.subtype.value,
                    start=span.start_char,
                    end=span.end_char,
                    message=rule.message,
                    severity=rule.severity,
                    rationale=rule.rationale,
                    principle=rule.principle,
                )
            )
        return findings

    def _context_allows(self, span: Span, rule: RuleSpec) -> bool:
        sentence = span.sent
        lemmas = near_words(sentence)
        if rule.exclude_near and lemmas.intersection(rule.exclude_near):
            window = rule.exclude_window
            if window is None:
                return False
            first = span.start  # the cue word: "allowed [CW] to enter", "a release allowing"
            start, end = max(sentence.start, first - window), min(sentence.end, first + window + 1)
            around = span.doc[start:end]
            if near_words(around).intersection(rule.exclude_near):
                return False
        if rule.require_near and not lemmas.intersection(rule.require_near):
            return False
        if _inside_quotes(span):
            return False
        if rule.exclude_negated and _negated(span[0]):
            return False
        return rule.allow_reported or not _reported_by_someone_else(span)


def near_words(sentence: Span) -> set[str]:
    """What `exclude_near`/`require_near` compare with: each token's lemma and lowercase form,
    and that form without a final period, so that "Ms." counts as "ms"."""
    words = {t.lemma_.lower() for t in sentence} | {t.lower_ for t in sentence}
    return words | {without_final_period(word) for word in words}


def without_final_period(word: str) -> str:
    """`word` without its final period ("ms." -> "ms"), as rules name titles; a lone "." stays."""
    return word.rstrip(".") if len(word) > 1 else word


REFUSING_LEMMAS = frozenset({"refuse", "decline"})


def _negated(token: Token) -> bool:
    """True when `token`'s verb is negated ("will not allow", "agrees not to let") or refused
    ("refused to let"), or its noun is denied ("no DV between them", "no history of DV
    between the caregivers", "no domestic dispute")."""
    if any(child.dep_ == "neg" for child in token.children):
        return True
    if token.dep_ == "xcomp" and token.head.lemma_.lower() in REFUSING_LEMMAS:
        return True
    noun = token.head if token.dep_ in {"amod", "compound"} else token
    if noun.pos_ not in {"NOUN", "PROPN"}:
        return False
    nouns = [noun]
    if noun.dep_ == "pobj" and noun.head.lower_ == "of":  # "no history / report / sign of DV"
        nouns.append(noun.head.head)
    return any(c.lower_ == "no" or c.dep_ == "neg" for n in nouns for c in n.children)


def literal_values(token: dict[str, Any], attribute: str) -> frozenset[str] | None:
    """The values a pattern token's `attribute` must take, if it is a plain string or IN list."""
    value = token.get(attribute)
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
        return frozenset(str(v) for v in value["IN"])
    return None


def required_tokens(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tokens every match of `pattern` has: those without `OP`, or with `OP: "+"`."""
    return [token for token in pattern if token.get("OP", "1") in {"1", "+"}]


def pattern_anchors(
    patterns: list[list[dict[str, Any]]],
    counts: dict[str, dict[str, int]] | None = None,
) -> Anchors | None:
    """Words (lowercase forms, lemmas) of which every match of some pattern contains one.

    Each pattern contributes the values of one required token (no `OP`, or `OP: "+"`) that
    compares `LOWER` or `LEMMA` with literals: the token whose values the fewest corpus
    sentences hold (`counts`, from `word_counts()`), then the one with fewer values, so the
    anchors are as rare as the patterns allow. A text without any anchor cannot match. None
    when some pattern has no such token (then every text may match).
    """
    counts = word_counts() if counts is None else counts
    lower: set[str] = set()
    lemma: set[str] = set()
    for pattern in patterns:
        choices: list[tuple[int, int, str, list[str]]] = []
        for token in required_tokens(pattern):
            for attribute in ("LOWER", "LEMMA"):
                values = literal_values(token, attribute)
                if values:
                    table = counts.get(attribute, {})
                    seen = sum(
                        table.get(v if attribute == "LEMMA" else v.lower(), 0) for v in values
                    )
                    choices.append((seen, len(values), attribute, sorted(values)))
        if not choices:
            return None
        *_, attribute, chosen = min(choices)
        (lower if attribute == "LOWER" else lemma).update(chosen)
    return frozenset(lower), frozenset(lemma)


# Passive subjects (and objects of "off"/"from") that give a violence verb a non-violent sense:
# "the appointment got pushed to Thursday", "kicked off the waitlist". Other things and animals
# stay: "the door was kicked in" hides who kicked it (codebook 6.13).
NON_VIOLENT_SUBJECTS = frozenset(
    "appointment meeting hearing visit session date deadline call application referral case"
    " paperwork schedule payment bill rent check ball button list waitlist program team caseload"
    " benefits lease insurance roster".split()
)
PERSONAL_PRONOUNS = frozenset("i you he she we they him her them".split())
# Who a passive of coercive control is done to (`RuleSpec.person_subject`): the parties' and
# the children's words, and the agencies' words for a parent.
PERSON_WORDS = PERSON_ROLES | CHILD_WORDS | frozenset("client parent caregiver mgm pgm".split())
# "It was pushed back", "something got thrown": pronouns that stand for a thing or an event.
NON_PERSON_PRONOUNS = frozenset("it this that which what something anything everything".split())
# Particles that turn a violence verb into another sense: "pushed back" (rescheduled), "kicked
# off" (removed), "pulled over", "thrown out".
OTHER_SENSE_PARTICLES = frozenset("off back out forward through over around".split())
CLAUSE_DEPS = frozenset("conj cc ccomp advcl relcl parataxis acl xcomp".split())
TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today tomorrow tonight noon"
    " midnight morning evening afternoon night week weekend month year date deadline time end"
    " am pm a.m. p.m.".split()
)


@dataclass(frozen=True)
class PassiveSense:
    """What an agentless-passive rule matches: its verbs, the particles that give them another
    sense, and whether the subject must be a person (`is_person`)."""

    verbs: frozenset[str]
    other_particles: frozenset[str]
    person_subject: bool


def _agentless_passives(doc: Doc, sense: PassiveSense) -> list[Span]:
    """Passives of the rule's verbs, in the rule's sense, with no agent."""
    spans = []
    verbs = sense.verbs
    for token in doc:
        if token.lemma_.lower() not in verbs and token.lower_ not in verbs:
            continue
        if token.tag_ != "VBN":
            continue
        deps = {child.dep_ for child in token.children}
        if "agent" in deps or "neg" in deps:
            continue
        aux = [c for c in token.children if c.dep_ == "auxpass"]
        if not aux:
            continue
        if any(_other_sense(c, sense.other_particles) for c in token.children):
            continue
        subjects = [c for c in token.children if c.dep_ == "nsubjpass"]
        if subjects and _not_about_violence(subjects[0]):
            continue
        if sense.person_subject and not (subjects and is_person(subjects[0])):
            continue
        if _has_agent_phrase(token):
            continue
        start = min(aux[0].i, token.i)
        spans.append(doc[start : token.i + 1])
    return spans


def _other_sense(child: Token, particles: frozenset[str]) -> bool:
    """ "pushed back", "kicked off the waitlist": a particle, or a preposition whose object is
    not a person or place but a list or program."""
    if child.dep_ == "prt":
        return child.lower_ in particles
    if child.dep_ == "prep" and child.lower_ in {"off", "from", "out"}:
        return any(_not_about_violence(o) for o in child.children if o.dep_ == "pobj")
    return False


def _not_about_violence(subject: Token) -> bool:
    if subject.pos_ == "PRON":
        return subject.lower_ in NON_PERSON_PRONOUNS
    return subject.lemma_.lower() in NON_VIOLENT_SUBJECTS or subject.lower_ in NON_VIOLENT_SUBJECTS


def is_person(token: Token) -> bool:
    """A name, a personal pronoun, or a word for a family member, party or child."""
    if token.pos_ == "PROPN" or token.ent_type_ == "PERSON":
        return True
    if token.pos_ == "PRON":
        return token.lower_ in PERSONAL_PRONOUNS
    return bool({token.lemma_.lower(), token.lower_} & PERSON_WORDS)


def _has_agent_phrase(verb: Token) -> bool:
    """A "by" phrase naming who did it, attached to the verb or further down its own clause
    ("struck with a frying pan by his partner"), not in a clause of its own ("…and police were
    called by a neighbor") and not a time ("by Friday", "by 5 p.m.")."""
    stack = [c for c in verb.children if c.i > verb.i and c.dep_ not in CLAUSE_DEPS]
    while stack:
        word = stack.pop()
        if word.lower_ == "by" and word.dep_ in {"prep", "agent"}:
            objects = [c for c in word.children if c.dep_ == "pobj"]
            if objects and not (objects[0].like_num or objects[0].lower_ in TIME_WORDS):
                return True
        stack.extend(c for c in word.children if c.dep_ not in CLAUSE_DEPS)
    return False


def _inside_quotes(span: Span) -> bool:
    """True when the span sits between an opening and a closing quotation mark on its line."""
    sentence = span.sent
    before = [t for t in sentence if t.i < span.start and t.text in QUOTE_CHARS]
    after = [t for t in sentence if t.i >= span.end and t.text in QUOTE_CHARS]
    double_before = sum(t.text in {'"', "“"} for t in before)
    if double_before % 2 == 1 and any(t.text in {'"', "”"} for t in after):
        return True
    singles_before = [t for t in before if t.text in {"'", "‘"} and not t.whitespace_]
    return bool(singles_before) and any(t.text in {"'", "’"} for t in after)


def _reported_by_someone_else(span: Span) -> bool:
    """True when the span is inside speech attributed to someone other than the writer."""
    sentence = span.sent
    # The words before the span (not `doc.text[...]`: spaCy rebuilds the whole doc's text on
    # every access, and this runs once per candidate span).
    prefix = span.doc[sentence.start : span.start].text_with_ws.lower()
    if any(cue in prefix for cue in ATTRIBUTION_CUES) or ATTRIBUTION.search(sentence.text):
        return True
    opening = OPENING_REPORT.match(prefix)
    if opening and NOT_A_SPEAKER.isdisjoint(opening.group(1).split()):
        return True
    token: Token = span.root
    for _ in range(8):
        head = token.head
        if head is token:
            return False
        if head.lemma_.lower() in REPORTING_LEMMAS and token.dep_ in {
            "ccomp",
            "xcomp",
            "parataxis",
            "dobj",
            "advcl",
            "conj",
        }:
            subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if subjects and subjects[0].dep_ == "nsubjpass" and head.lemma_.lower() in TOLD_LEMMAS:
                # "BM was told that ...": she heard it; the speaker is the "by" agent, if named,
                # else the agency (whose words are the writer's, codebook 6.22).
                subjects = [
                    grandchild
                    for child in head.children
                    if child.dep_ == "agent"
                    for grandchild in child.children
                    if grandchild.dep_ == "pobj"
                ]
            if subjects and subjects[0].lower_ not in WRITER_SUBJECTS:
                return True
        token = head
    return False
