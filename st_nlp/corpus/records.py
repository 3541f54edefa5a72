"""Canonical corpus records: one note per line in `notes.jsonl`, one sentence per line in
`sentences.jsonl`.

The sentence record is a superset of Prodigy's `text` / `spans` / `cats` shape, so the data
loads into annotation tools that speak it. Offsets are Python string indices (code points):
`start`/`end` of a sentence index into its note's text; span offsets index into the sentence.
Models are strict (`extra="forbid"`) so that a misspelt field is an error, not a silent default.
"""

from __future__ import annotations

import warnings
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from st_nlp.taxonomy import LABELS, BlameSubtype, Component, Label

Split = Literal["train", "dev", "test"]
Source = Literal["note", "targeted", "augmented"]
Register = Literal[
    "hotline_intake",
    "investigation_contact",
    "home_visit",
    "court_report",
    "police_summary",
    "dv_advocate",
    "collateral_contact",
    "supervisor_review",
    "safety_plan",
]
# `register` is the corpus's name for a note's genre; pydantic warns that it shadows
# `ABCMeta.register`, which these models never use.
warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)

REGISTERS: tuple[str, ...] = Register.__args__  # type: ignore[attr-defined]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BlameSpan(_Strict):
    """Blaming words inside a sentence: `text[start:end]` of the sentence, with a subtype."""

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    label: Literal["blaming_language"] = "blaming_language"
    subtype: BlameSubtype

    @model_validator(mode="after")
    def _ordered(self) -> BlameSpan:
        if self.end <= self.start:
            raise ValueError(f"span end {self.end} must be greater than start {self.start}")
        return self


class Person(_Strict):
    """A named person in a note and their role in it (used for fairness stats and de-id tests)."""

    name: str
    role: str


class Family(_Strict):
    """Who causes harm and who is the survivor, by role and gender, for fairness accounting."""

    perpetrator: str | None = None
    perpetrator_gender: str | None = None
    survivor: str | None = None
    survivor_gender: str | None = None
    couple: str | None = None
    dv_present: bool = True

    @property
    def known_perpetrator_not_man_in_hetero_couple(self) -> bool:
        """True only when the perpetrator is known and is not a man harming a female partner.

        Unknown genders or couple types never count, so the fairness share is conservative.
        """
        known = self.perpetrator_gender not in (None, "", "unknown")
        return known and not (self.perpetrator_gender == "male" and self.couple == "hetero")


class NoteRubric(_Strict):
    """Note-level rating from the guidelines' rubric: quality 1-5 and component coverage."""

    quality_rating: int = Field(ge=1, le=5)
    components: dict[Component, bool]

    @model_validator(mode="after")
    def _all_components(self) -> NoteRubric:
        missing = set(Component) - set(self.components)
        if missing:
            raise ValueError(f"components is missing {sorted(missing)}")
        return self


class NoteRecord(_Strict):
    """A full case note (or a single targeted sentence treated as a one-sentence note)."""

    note_id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    register: Register
    source: Source
    split: Split
    quality_tier: Literal["exemplary", "ordinary", "poor"] | None = None
    date: str | None = None
    case_id: str | None = None
    worker_id: str | None = None
    unit: str | None = None
    family: Family | None = None
    people: list[Person] = Field(default_factory=list)
    rubric: NoteRubric | None = None


class SentenceRecord(_Strict):
    """One annotated sentence: its place in the note, its labels and its blaming spans."""

    id: str = Field(min_length=1)
    note_id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(gt=0)
    labels: list[Label]
    spans: list[BlameSpan] = Field(default_factory=list)
    cats: dict[Label, int]
    annotator: str
    split: Split
    register: Register
    source: Source

    @model_validator(mode="after")
    def _consistent(self) -> SentenceRecord:
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"start..end ({self.start}..{self.end}) spans {self.end - self.start} characters"
                f" but text has {len(self.text)}"
            )
        if len(set(self.labels)) != len(self.labels):
            raise ValueError("labels contains duplicates")
        expected = {label: int(label in self.labels) for label in LABELS}
        if dict(self.cats) != expected:
            raise ValueError("cats does not match labels (cats must be 1 exactly for each label)")
        for span in self.spans:
            if span.end > len(self.text):
                raise ValueError(
                    f"span {span.start}..{span.end} lies outside the sentence"
                    f" (length {len(self.text)})"
                )
        if self.spans and Label.BLAMING_LANGUAGE not in self.labels:
            raise ValueError("blaming spans on a sentence without the blaming_language label")
        return self

    @classmethod
    def build(cls, **fields: object) -> SentenceRecord:
        """Create a record, deriving `cats` from `labels` and ordering labels canonically."""
        labels = [Label(str(x)) for x in fields.pop("labels")]  # type: ignore[attr-defined]
        ordered = [label for label in LABELS if label in labels]
        cats = {label: int(label in ordered) for label in LABELS}
        return cls.model_validate({**fields, "labels": ordered, "cats": cats})

    def span_texts(self) -> list[str]:
        return [self.text[s.start : s.end] for s in self.spans]
