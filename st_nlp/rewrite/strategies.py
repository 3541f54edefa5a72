"""Rewrite strategies, one per kind of problem, all built from the sentence's own parse.

Every strategy returns text in which anything the note does not say is a `[bracketed prompt]`.
They follow the Safe & Together practice of pivoting to the perpetrator: name who did what to
whom, the impact on the children, and the survivor's protective efforts.

- `active_voice` (agentless): "Mother was assaulted on 3/9" -> "Mr. Reed assaulted Mother on 3/9".
- `pivot_to_perpetrator` (survivor blame, mutualizing, minimizing, pathologizing): the clause
  that carries the finding is replaced by the subtype's template, keeping its subject, its
  dated and named modifiers and every other clause of the sentence unchanged.
- `behavior_prompts` (vague characterizations): keeps the subject and asks for the specific
  behaviors that support the characterization.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

from st_nlp.rewrite.parties import PRONOUNS, Parties

IRREGULAR_PAST = {
    "hit": "hit",
    "struck": "struck",
    "beaten": "beat",
    "beat": "beat",
    "thrown": "threw",
    "bitten": "bit",
    "shot": "shot",
    "hurt": "hurt",
    "stabbed": "stabbed",
    "held": "held",
    "thrown down": "threw down",
    "knocked": "knocked",
    "pinned": "pinned",
    "dragged": "dragged",
    "caught": "caught",
    "forced": "forced",
}
SUBJECT_PRONOUN_OBJECT = {"he": "him", "she": "her", "they": "them", "i": "me", "we": "us"}


@dataclass(frozen=True)
class Draft:
    text: str
    strategy: str
    rationale: str
    principle: str


def _object_form(span_text: str) -> str:
    return PRONOUNS.get(span_text.lower(), span_text)


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def active_voice(clause: Span, verb: Token, parties: Parties) -> Draft | None:
    """The clause of an agentless passive of violence, in the active voice with the actor."""
    subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
    aux = [c for c in verb.children if c.dep_ == "auxpass"]
    if not subjects or not aux:
        return None
    doc = clause.doc
    subject = doc[subjects[0].left_edge.i : subjects[0].right_edge.i + 1]
    before = doc[clause.start : subject.start].text_with_ws if subject.start > clause.start else ""
    patient = _object_form(subject.text)
    if patient == subject.text and subject[0].lower_ in {"the", "a", "an", "her", "his", "their"}:
        patient = patient[:1].lower() + patient[1:]  # "The child" becomes "the child"
    middle = doc[subject.end : min(a.i for a in aux)].text.strip(" ,")
    after = "".join(
        t.text_with_ws
        for t in doc[verb.i + 1 : clause.end]
        if not (t.dep_ in {"auxpass", "aux", "neg"} and t.head == verb)
    ).rstrip()
    past = IRREGULAR_PAST.get(verb.lower_, verb.text)
    text = f"{before}{parties.actor()} {past} {patient}"
    if middle:
        text += f" ({middle})"
    if after:
        text += after if after[0] in ".,;:!?" else " " + after
    return Draft(
        text=text,
        strategy="active_voice",
        rationale=(
            "Names who used the violence: the passive voice with no actor hides the perpetrator."
        ),
        principle="Perpetrator pattern-based practice: make the perpetrator's behavior visible",
    )


TEMPLATES: dict[str, tuple[str, str, str]] = {
    # `{perp}`/`{surv}` are the parties as written (a name or a bracketed prompt); inside a
    # bracket the template uses `{perp_in}`/`{surv_in}`, plain words, so prompts never nest.
    "survivor_blame": (
        "{perp} [specific behavior: what {perp_in} did, to whom, when]{mods}; [impact on the"
        " children: what they saw, heard or said]; {surv} [protective efforts: what {surv_in}"
        " did to keep the children safe]",
        "Holds the perpetrator responsible for the violence and documents the survivor's"
        " protective efforts instead of blaming the survivor.",
        "Critical components 1 and 3: the perpetrator's pattern and the survivor's protective"
        " efforts",
    ),
    "mutualizing": (
        "{perp} [specific behavior toward {surv_in}: what {perp_in} did or said, when,"
        " where]{mods}; {surv} [what {surv_in} did to stay safe or keep the children safe]",
        "Names one actor and the specific behaviors; 'relationship' and 'conflict' language"
        " presents one person's violence as mutual.",
        "Perpetrator pattern-based practice: behavior, not the relationship",
    ),
    "minimizing_excusing": (
        "{perp} [the specific act, e.g. pushed, hit or choked {surv_in}]{mods}; [what the"
        " children saw, heard or said, and any changes in sleep, school or behavior]",
        "States the concrete behavior and the children's actual experience instead of softening"
        " or excusing it.",
        "Critical components 1 and 4: the perpetrator's behavior and its impact on the child",
    ),
    "pathologizing": (
        "{subj} said [{surv_in}'s own words about what happened]{mods}; {perp} [behaviors that"
        " shape {surv_in}'s response, e.g. threats, monitoring, control of money]",
        "Records what the survivor said and did, in their words, and what the perpetrator did"
        " that shapes it, instead of a label about the survivor.",
        "Pivot to the perpetrator; survivor strengths-based practice",
    ),
    "agentless": (
        "{perp} [what {perp_in} did to {surv_in}, when]{mods}",
        "Names who used the violence: the passive voice with no actor hides the perpetrator.",
        "Perpetrator pattern-based practice: make the perpetrator's behavior visible",
    ),
}


RULE_TEMPLATES: dict[str, tuple[str, str, str]] = {
    "MI-CHILD-UNHARMED": (
        "{subj} [what each child saw, heard or said about it, and any changes in sleep, school"
        " or behavior]{mods}",
        "Records the children's actual experience: children are harmed when they see, hear or"
        " live with violence at home.",
        "Critical component 4: adverse impact of the perpetrator's behavior on the child",
    ),
}


def fact_modifiers(clause: Span, skip: tuple[str, ...] = ()) -> str:
    """Prepositional and temporal modifiers of the clause that carry facts ("on 3/9").

    A modifier that names one of `skip` (the parties the template already names) or whose
    brackets do not balance is left out; its facts are then listed by the rewriter's check.
    """
    root = clause.root
    kept = []
    for child in root.children:
        if child.dep_ in {"prep", "npadvmod", "tmod"}:
            sub = clause.doc[child.left_edge.i : child.right_edge.i + 1]
            if not any(
                t.like_num or t.pos_ == "PROPN" or any(c.isdigit() for c in t.text) for t in sub
            ):
                continue
            text = sub.text
            if text.count("(") != text.count(")") or any(s and s in text for s in skip):
                continue
            if sub[0].pos_ in {"ADP", "ADV"}:
                text = text[:1].lower() + text[1:]  # "On 2/8" moves mid-sentence
            kept.append(text)
    return "".join(f" {text}" for text in kept)


def pivot_to_perpetrator(
    clause: Span, subtype: str, parties: Parties, rule_id: str | None = None
) -> Draft:
    """Replace the clause carrying the finding with the subtype's fact-prompting template."""
    template, rationale, principle = RULE_TEMPLATES.get(rule_id or "", TEMPLATES[subtype])
    subjects = [c for c in clause.root.children if c.dep_ in {"nsubj", "nsubjpass"}]
    subject = (
        clause.doc[subjects[0].left_edge.i : subjects[0].right_edge.i + 1].text
        if subjects and subjects[0].pos_ != "PRON"
        else parties.target()
    )
    text = template.format(
        perp=parties.actor(),
        surv=parties.target(),
        perp_in=parties.perpetrator or "the person causing harm",
        surv_in=parties.survivor or "the survivor",
        subj=subject,
        mods=fact_modifiers(clause, (parties.perpetrator or "", parties.survivor or "")),
    )
    return Draft(text, "pivot_to_perpetrator", rationale, principle)


def behavior_prompts(sentence: Span, label: str, quote_claim: bool = True) -> Draft:
    """Ask for the specific behaviors behind a vague characterization, keeping its subject.

    The characterization itself (the words after the subject) moves inside the prompt, so the
    writer sees what to support and the label no longer stands as a finding.
    """
    root = sentence.root
    subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if subjects:
        first = subjects[0]
        subject = sentence.doc[first.left_edge.i : first.right_edge.i + 1].text
        rest = sentence.doc[first.right_edge.i + 1 : sentence.end].text
    else:
        subject, rest = "[name]", sentence.text
    plain = re.sub(r"\s*\([^)]*\)", "", subject).strip() or "this person"
    plain = "this person" if plain.startswith("[") else plain
    claim = re.sub(r"[\[\]]", "", rest).strip().rstrip(".;:!? ")
    shows = f"that show {plain} {claim}" if claim and quote_claim else "behind this description"
    if label == "perpetrator_pattern":
        prompt = (
            f"{subject} [specific behaviors {shows}: what {plain} did, when and to whom, e.g."
            " took the phone, tracked location, threatened to take the children]"
        )
        rationale = (
            "A characterization is not a fact: record the specific behaviors that show the pattern."
        )
        principle = "Critical component 1: the perpetrator's pattern of coercive control"
    else:
        prompt = (
            f"{subject} [specific protective actions {shows}: what {plain} did, when, e.g."
            " called 911, took the children to a relative, kept school routines]"
        )
        rationale = "Document the survivor's protective efforts as specific actions."
        principle = "Critical component 3: the full spectrum of protective efforts"
    return Draft(_sentence_case(prompt) + ".", "behavior_prompts", rationale, principle)


def prompt_only(parties: Parties, facts: list[str], strategy: str = "prompt_only") -> Draft:
    """The safe fallback: questions only, with the sentence's facts listed for the writer."""
    perp_in = parties.perpetrator or "the person causing harm"
    text = (
        f"{parties.actor()} [what {perp_in} did, to whom and when]; [what the children saw,"
        " heard or said]"
    )
    if facts:
        text += f" [also from the original: {'; '.join(facts)}]"
    return Draft(
        _sentence_case(text) + ".",
        strategy,
        "Rewrite as specific behaviors: who did what to whom, when, and the impact on the"
        " children.",
        "Critical components 1 and 4: the perpetrator's behavior and its impact on the child",
    )
