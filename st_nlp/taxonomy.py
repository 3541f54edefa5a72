"""The label taxonomy: the single source of truth for every label name in st-nlp.

Every other module, data file and test imports label and subtype names from here,
so a typo anywhere becomes an import error or a validation error, not a silent new label.

The labels are multi-label and per sentence. They follow the Safe & Together(TM) Model:
documentation should make the perpetrator's pattern visible, show the impact on the
children and the survivor's protective efforts, be stated as specific behavioral facts,
and avoid language that moves responsibility away from the person causing harm
(Coates & Wade 2007's discursive operations).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Label(StrEnum):
    """Sentence-level labels. A sentence may carry any number of them, or none."""

    BEHAVIORAL_FACT = "behavioral_fact"
    PERPETRATOR_PATTERN = "perpetrator_pattern"
    SURVIVOR_PROTECTIVE_ACTION = "survivor_protective_action"
    BLAMING_LANGUAGE = "blaming_language"
    CHILD_IMPACT = "child_impact"


class BlameSubtype(StrEnum):
    """Kinds of blaming language; each blaming span carries exactly one."""

    SURVIVOR_BLAME = "survivor_blame"
    PATHOLOGIZING = "pathologizing"
    MUTUALIZING = "mutualizing"
    MINIMIZING_EXCUSING = "minimizing_excusing"
    AGENTLESS = "agentless"


class Component(StrEnum):
    """The Safe & Together critical components a note can document."""

    PERPETRATOR_PATTERN = "perpetrator_pattern"
    PERPETRATOR_HARM_TO_CHILD = "perpetrator_harm_to_child"
    SURVIVOR_PROTECTIVE_EFFORTS = "survivor_protective_efforts"
    CHILD_IMPACT = "child_impact"
    INTERSECTIONS = "intersections"


@dataclass(frozen=True)
class LabelInfo:
    """What a label means, where its boundaries are, and which components it serves."""

    label: Label
    title: str
    definition: str
    includes: str
    excludes: str
    components: tuple[Component, ...]


@dataclass(frozen=True)
class SubtypeInfo:
    """What a blaming-language subtype is and the cue phrases that typically carry it."""

    subtype: BlameSubtype
    title: str
    definition: str
    cues: tuple[str, ...]
    discursive_operation: str


@dataclass(frozen=True)
class ComponentInfo:
    """A Safe & Together critical component, numbered as the model numbers them."""

    component: Component
    number: int
    title: str


LABELS: tuple[Label, ...] = tuple(Label)
SUBTYPES: tuple[BlameSubtype, ...] = tuple(BlameSubtype)
COMPONENTS: tuple[Component, ...] = tuple(Component)

LABEL_INFO: dict[Label, LabelInfo] = {
    Label.BEHAVIORAL_FACT: LabelInfo(
        label=Label.BEHAVIORAL_FACT,
        title="Behavioral fact",
        definition=(
            "Reports specific, observable behavior or a concrete event or statement: who did what,"
            " to whom, ideally when and where."
        ),
        includes=(
            "attributed quotes; observed conditions; administrative events"
            ' ("CW met with mother at the home on 10/2")'
        ),
        excludes=(
            "labels, conclusions, diagnoses, predictions or opinions"
            ' ("there is DV in the home", "father is controlling", "mother appears overwhelmed",'
            ' "the children are at risk")'
        ),
        components=(),
    ),
    Label.PERPETRATOR_PATTERN: LabelInfo(
        label=Label.PERPETRATOR_PATTERN,
        title="Perpetrator pattern",
        definition=(
            "Describes the behavior of the person causing harm as part of a pattern of coercive"
            " control or harm, with that person as the actor (including a passive with an agent)."
        ),
        includes=(
            "physical or sexual violence, threats, intimidation, monitoring, isolation, economic"
            " control, property destruction, harming pets, undermining the other parent's"
            " parenting, using or harming the children, violating orders, attitudes justifying"
            " abuse; vague"
            ' characterizations ("father is controlling") count but are not facts'
        ),
        excludes=(
            "behavior of the survivor; violence with no actor (agentless); behavior unrelated to"
            " harm or control. Gender-neutral: mothers, stepparents and same-sex partners can be"
            " the perpetrator"
        ),
        components=(Component.PERPETRATOR_PATTERN, Component.PERPETRATOR_HARM_TO_CHILD),
    ),
    Label.SURVIVOR_PROTECTIVE_ACTION: LabelInfo(
        label=Label.SURVIVOR_PROTECTIVE_ACTION,
        title="Survivor protective action",
        definition=(
            "Efforts of the adult survivor or non-offending parent to keep the children (and"
            " themselves) safe and well: the full spectrum of protective efforts."
        ),
        includes=(
            "leaving, calling police, protective orders, safety plans, sending children to"
            " relatives, keeping routines, medical and school care, seeking advocacy or services,"
            " strategic compliance with the perpetrator to reduce danger; vague characterizations"
            ' ("mother is protective") count but are not facts'
        ),
        excludes=(
            "the perpetrator's behavior; services the agency imposes without any survivor action;"
            " the worker's own actions"
        ),
        components=(Component.SURVIVOR_PROTECTIVE_EFFORTS,),
    ),
    Label.BLAMING_LANGUAGE: LabelInfo(
        label=Label.BLAMING_LANGUAGE,
        title="Blaming language",
        definition=(
            "The writer's language moves responsibility for the violence away from the person"
            " causing it: onto the survivor, onto the relationship, onto circumstances, or out of"
            " the sentence altogether."
        ),
        includes=(
            "survivor blame, pathologizing, mutualizing, minimizing or excusing, and agentless"
            " passives of violence; each blaming span carries one subtype"
        ),
        excludes=(
            "blaming words quoted or reported from someone else"
            " (\"father said she 'provoked' him\"), and the same words in a non-blaming"
            ' sense ("mother allowed CW to enter",'
            ' "the children were exposed to lead paint")'
        ),
        components=(),
    ),
    Label.CHILD_IMPACT: LabelInfo(
        label=Label.CHILD_IMPACT,
        title="Child impact",
        definition=(
            "A child's experience of, exposure to, or harm from the violence or a caregiver's"
            " behavior."
        ),
        includes=(
            "presence during incidents, injuries, fear, the child's own words, emotional,"
            " behavioral, developmental, school and health effects, disruption (moves, missed care)"
        ),
        excludes=(
            "child information unrelated to harm or experience (enrollment, date of birth, routine"
            " scheduling)"
        ),
        components=(Component.CHILD_IMPACT, Component.PERPETRATOR_HARM_TO_CHILD),
    ),
}

SUBTYPE_INFO: dict[BlameSubtype, SubtypeInfo] = {
    BlameSubtype.SURVIVOR_BLAME: SubtypeInfo(
        subtype=BlameSubtype.SURVIVOR_BLAME,
        title="Survivor blame",
        definition=(
            "Holds the survivor responsible for the perpetrator's violence or its effects."
        ),
        cues=(
            "failure to protect",
            "allowed",
            "let him",
            "exposed the children",
            "chose to stay",
            "keeps taking him back",
            "should have known",
            "provoked",
        ),
        discursive_operation="blames victims; conceals victim resistance",
    ),
    BlameSubtype.PATHOLOGIZING: SubtypeInfo(
        subtype=BlameSubtype.PATHOLOGIZING,
        title="Pathologizing",
        definition=(
            "Recasts the survivor's responses to violence as a personal deficit or disorder."
        ),
        cues=("in denial", "minimizes", "lacks insight", "codependent", "trauma history"),
        discursive_operation="pathologizes victims",
    ),
    BlameSubtype.MUTUALIZING: SubtypeInfo(
        subtype=BlameSubtype.MUTUALIZING,
        title="Mutualizing",
        definition=(
            "Presents one person's violence as a shared problem of the couple or the relationship."
        ),
        cues=(
            "volatile relationship",
            "toxic relationship",
            "the couple fights",
            "mutual combat",
            "domestic dispute",
            "both parents",
            "couples counseling",
            "high-conflict",
        ),
        discursive_operation="obscures perpetrator responsibility (violence as mutual)",
    ),
    BlameSubtype.MINIMIZING_EXCUSING: SubtypeInfo(
        subtype=BlameSubtype.MINIMIZING_EXCUSING,
        title="Minimizing or excusing",
        definition=(
            "Makes the violence smaller, accidental or explained by circumstances, or denies its"
            " effect on the children."
        ),
        cues=(
            "argument got physical",
            "pushing match",
            "anger issues",
            "stress",
            "snapped",
            "unharmed",
            "not affected",
        ),
        discursive_operation="conceals violence; mitigates perpetrator responsibility",
    ),
    BlameSubtype.AGENTLESS: SubtypeInfo(
        subtype=BlameSubtype.AGENTLESS,
        title="Agentless",
        definition="Describes violence in the passive voice with no actor.",
        cues=("was assaulted", "was hit", "was choked", "was pushed"),
        discursive_operation="conceals the perpetrator",
    ),
}

COMPONENT_INFO: dict[Component, ComponentInfo] = {
    Component.PERPETRATOR_PATTERN: ComponentInfo(
        Component.PERPETRATOR_PATTERN, 1, "The perpetrator's pattern of coercive control"
    ),
    Component.PERPETRATOR_HARM_TO_CHILD: ComponentInfo(
        Component.PERPETRATOR_HARM_TO_CHILD, 2, "Actions taken by the perpetrator to harm the child"
    ),
    Component.SURVIVOR_PROTECTIVE_EFFORTS: ComponentInfo(
        Component.SURVIVOR_PROTECTIVE_EFFORTS,
        3,
        "The full spectrum of the non-offending parent's efforts to promote the child's safety"
        " and well-being",
    ),
    Component.CHILD_IMPACT: ComponentInfo(
        Component.CHILD_IMPACT, 4, "Adverse impact of the perpetrator's behavior on the child"
    ),
    Component.INTERSECTIONS: ComponentInfo(
        Component.INTERSECTIONS,
        5,
        "The role of substance abuse, mental health, culture and other socio-economic factors",
    ),
}


def parse_label(name: str) -> Label:
    """Return the `Label` called `name`, or raise a `ValueError` that lists the valid names."""
    try:
        return Label(name)
    except ValueError:
        valid = ", ".join(LABELS)
        raise ValueError(f"unknown label {name!r}; valid labels are: {valid}") from None


def parse_subtype(name: str) -> BlameSubtype:
    """Return the `BlameSubtype` called `name`, or raise a `ValueError` listing the valid ones."""
    try:
        return BlameSubtype(name)
    except ValueError:
        valid = ", ".join(SUBTYPES)
        raise ValueError(f"unknown blaming subtype {name!r}; valid subtypes are: {valid}") from None
