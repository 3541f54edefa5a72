"""Curated rewrite pairs: a blaming or vague sentence and a fact-based rewrite of it.

Writers deliver raw pairs (`annotation/raw/rewrites_*.jsonl`, `RawRewritePair`); the curation
tool checks them and writes `annotation/data/rewrites.jsonl` (`RewritePair`, which adds the
split and the batch it came from). Both models are strict: a misspelt field is an error.

Bracket rule: every `[prompt]` in a rewrite is closed, not nested and not empty; the bracketed
text is what the writer still has to fill in, everything outside it is taken from the original.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from st_nlp.corpus.records import Split
from st_nlp.taxonomy import BlameSubtype

_ID = r"^rw-[a-z0-9]+-\d{4,}$"


class RewriteContext(BaseModel):
    """Who is who, as the writer saw it (mentions as they appear in the original)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    perpetrator: str | None = None
    survivor: str | None = None
    couple: str | None = None
    family: str | None = None


def bracket_problem(text: str) -> str | None:
    """Why the brackets of `text` are malformed (unclosed, nested, empty), or None."""
    depth = 0
    for char in text:
        if char == "[":
            depth += 1
            if depth > 1:
                return "nested '[' inside a placeholder"
        elif char == "]":
            depth -= 1
            if depth < 0:
                return "']' without an opening '['"
    if depth:
        return "unclosed '[' placeholder"
    if re.search(r"\[\s*\]", text):
        return "empty placeholder '[]'"
    return None


class RawRewritePair(BaseModel):
    """A pair as a writer delivers it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    original: str = Field(min_length=1)
    subtypes: list[BlameSubtype]
    vague: Literal["perpetrator", "survivor"] | None = None
    rewrite: str = Field(min_length=1)
    rationale: str = Field(min_length=1)
    context: RewriteContext = Field(default_factory=RewriteContext)

    @model_validator(mode="after")
    def _consistent(self) -> RawRewritePair:
        if not self.subtypes and self.vague is None:
            raise ValueError("a pair needs blaming subtypes or a 'vague' characterization")
        if len(set(self.subtypes)) != len(self.subtypes):
            raise ValueError("subtypes contains duplicates")
        problem = bracket_problem(self.rewrite)
        if problem:
            raise ValueError(f"rewrite: {problem}")
        if self.rewrite.strip() == self.original.strip():
            raise ValueError("rewrite is identical to the original")
        return self


class RewritePair(RawRewritePair):
    """A curated pair in `annotation/data/rewrites.jsonl`."""

    split: Split
    batch: str = Field(pattern=r"^[a-z0-9]+$")
