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
    "survivor_blame": (
        "{perp} [specific behavior: what {perp} did, to whom, when]{mods}; [impact on the"
        " children: what they saw, heard or said]; {surv} [protective efforts: what {surv} did"
        " to keep the children safe]",
        "Holds the perpetrator responsible for the violence and documents the survivor's"
        " protective efforts instead of blaming the survivor.",
        "Critical components 1 and 3: the perpetrator's pattern and the survivor's protective"
        " efforts",
    ),
    "mutualizing": (
        "{perp} [specific behavior toward {surv}: what, when, where]{mods}; {surv} [what {surv}"
        " did to stay safe]",
        "Names one actor and the specific behaviors; 'relationship' and 'conflict' language"
        " presents one person's violence as mutual.",
        "Perpetrator pattern-based practice: behavior, not the relationship",
    ),
    "minimizing_excusing": (
        "{perp} [the specific act, e.g. pushed, hit or choked {surv}]{mods}; [what the children"
        " saw, heard or said, and any changes in sleep, school or behavior]",
        "States the concrete behavior and the children's actual experience instead of softening"
        " or excusing it.",
        "Critical components 1 and 4: the perpetrator's behavior and its impact on the child",
    ),
    "pathologizing": (
        "{subj} said [{surv}'s own words about what happened]{mods}; {perp} [behaviors that"
        " shape {surv}'s response, e.g. threats, monitoring, control of money]",
        "Records what the survivor said and did, in their words, and what the perpetrator did"
        " that shapes it, instead of a label about the survivor.",
        "Pivot to the perpetrator; survivor strengths-based practice",
    ),
    "agentless": (
        "{perp} [what {perp} did to {surv}]{mods}",
        "Names who used the violence.",
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


def fact_modifiers(clause: Span) -> str:
    """Prepositional and temporal modifiers of the clause that carry facts ("on 3/9")."""
    root = clause.root
    kept = []
    for child in root.children:
        if child.dep_ in {"prep", "npadvmod", "tmod"}:
            sub = clause.doc[child.left_edge.i : child.right_edge.i + 1]
            if any(
                t.like_num or t.pos_ == "PROPN" or any(c.isdigit() for c in t.text) for t in sub
            ):
                kept.append(sub.text)
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
        perp=parties.actor(), surv=parties.target(), subj=subject, mods=fact_modifiers(clause)
    )
    return Draft(text, "pivot_to_perpetrator", rationale, principle)


def behavior_prompts(sentence: Span, label: str) -> Draft:
    """Ask for the specific behaviors behind a vague characterization, keeping its subject."""
    root = sentence.root
    subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}]
    subject = (
        sentence.doc[subjects[0].left_edge.i : subjects[0].right_edge.i + 1].text
        if subjects
        else "[name]"
    )
    if label == "perpetrator_pattern":
        prompt = (
            f"{subject} [specific behaviors: what {subject} did, when and to whom, e.g. took the"
            " phone, tracked location, threatened to take the children]"
        )
        rationale = (
            "A characterization is not a fact: record the specific behaviors that show the pattern."
        )
        principle = "Critical component 1: the perpetrator's pattern of coercive control"
    else:
        prompt = (
            f"{subject} [specific protective actions: what {subject} did, when, e.g. called 911,"
            " took the children to a relative, kept school routines]"
        )
        rationale = "Document the survivor's protective efforts as specific actions."
        principle = "Critical component 3: the full spectrum of protective efforts"
    return Draft(_sentence_case(prompt) + ".", "behavior_prompts", rationale, principle)
