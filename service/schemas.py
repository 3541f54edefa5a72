"""Request and response schemas at the HTTP edge (pydantic, unknown fields rejected)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from service.text import has_lone_surrogate


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Party(_Strict):
    name: str = Field(max_length=200)
    role: Literal["perpetrator", "survivor", "child", "other"]


class ReviewContext(_Strict):
    parties: list[Party] = Field(default_factory=list, max_length=20)


class ReviewRequest(_Strict):
    text: str = Field(description="The case note. Offsets in the response index into it.")
    context: ReviewContext | None = None

    @field_validator("text")
    @classmethod
    def _encodable(cls, value: str) -> str:
        if has_lone_surrogate(value):
            raise ValueError("text contains a lone surrogate (not valid Unicode)")
        return value


class ClassifyRequest(_Strict):
    sentences: list[str] = Field(description="Sentences to label, one string each.")

    @field_validator("sentences")
    @classmethod
    def _encodable(cls, value: list[str]) -> list[str]:
        if any(has_lone_surrogate(s) for s in value):
            raise ValueError("a sentence contains a lone surrogate (not valid Unicode)")
        return value


class Finding(BaseModel):
    rule_id: str
    label: str
    subtype: str
    start: int
    end: int
    message: str
    severity: str


class Suggestion(BaseModel):
    text: str
    rationale: str
    principle: str
    placeholders: list[str]
    start: int
    end: int
    strategy: str


class SentencePublic(BaseModel):
    text: str
    start: int
    end: int
    labels: list[str]
    scores: dict[str, float]
    findings: list[Finding]
    suggestions: list[Suggestion]


class ReviewPublic(BaseModel):
    sentences: list[SentencePublic]
    quality: dict[str, Any]


class Classification(BaseModel):
    text: str
    labels: list[str]
    scores: dict[str, float]


class ClassifyPublic(BaseModel):
    results: list[Classification]


class ErrorPublic(BaseModel):
    detail: Any
    request_id: str | None = None


class ExampleSetCreate(_Strict):
    label: str = Field(max_length=40, description="Sentence label, e.g. blaming_language.")
    subtype: str | None = Field(None, max_length=40, description="Blaming subtype (optional).")
    n: int = Field(ge=1, le=200, description="How many examples.")
    source: str = Field(
        max_length=80, description='"corpus" or "audit:<job_id>" (a finished audit you can see).'
    )
    reviewed_by: str | None = Field(
        None, max_length=120, description="Who reviewed the set; without it the set is a draft."
    )


class ExampleItemPublic(BaseModel):
    text: str
    labels: list[str]
    subtype: str | None
    register: str
    findings: list[dict[str, Any]]
    suggestions: list[str]
    confidence: float


class ExampleSetPublic(BaseModel):
    id: str
    draft: bool
    reviewed_by: str | None
    created_at: str
    items: list[ExampleItemPublic]
