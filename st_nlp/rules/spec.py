"""The rule file's schema and loader, apart from spaCy.

The service's `/v1/labels` lists the rules from the web server's own process, which runs no
model: reading them must not import spaCy (hundreds of MB in every server process).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from st_nlp.taxonomy import BlameSubtype

RULES_RESOURCE = "resources/rules/blaming.yaml"
# Sentences of the corpus per lowercase word (annotation/tools/make_word_counts.py).
WORD_COUNTS_FILE = Path(__file__).resolve().parents[1] / "resources" / "rules" / "word_counts.json"


class RuleSpec(BaseModel):
    """One rule as written in the YAML file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z]{2}-[A-Z0-9-]+$")
    subtype: BlameSubtype
    severity: Literal["low", "medium", "high"]
    message: str
    rationale: str
    principle: str
    # token: the match is the finding; agentless_passive: passives of `verbs` with no agent;
    # conditioned: `patterns` match a consequence ("removal"), the finding is the "if" clause it
    # is tied to (`st_nlp.rules.conditions`).
    kind: Literal["token", "agentless_passive", "conditioned"] = "token"
    patterns: list[list[dict[str, Any]]] = Field(default_factory=list)
    verbs: list[str] = Field(default_factory=list)
    exclude_near: list[str] = Field(default_factory=list)
    # Look for `exclude_near` only this many tokens either side of the match's first word, not in
    # the whole sentence ("allowed CW to enter" is another sense; "..., despite CW
    # recommendations" later in the sentence does not make it one).
    exclude_window: int | None = Field(default=None, ge=1)
    require_near: list[str] = Field(default_factory=list)
    allow_reported: bool = False
    # Drop a match whose first word is negated or refused ("will not allow him in", "refused to
    # let him in"): the cue's opposite.
    exclude_negated: bool = False
    # Agentless passives only: keep a match only where the passive's subject is a person ("she
    # was followed home"), for verbs whose other senses take things ("the plan was followed").
    person_subject: bool = False
    # Agentless passives only: particles that give these verbs another sense, besides the ones
    # every passive rule knows ("locked up" is jailed, "tracked down" is found).
    other_sense_particles: list[str] = Field(default_factory=list)


# What a plain-fact pattern may read: the words alone, so that it runs on tokenized text (most
# sentences are never parsed, `RuleTriggers`).
PLAIN_FACT_ATTRIBUTES = frozenset({"LOWER", "ORTH", "TEXT", "OP", "IS_PUNCT", "LIKE_NUM"})


class PlainFactSpec(BaseModel):
    """Wording the codebook calls a plain fact, never blaming language by itself ("the
    children were at school during the incident", codebook 6.8). A sentence that matches, holds
    none of `exclude_near` (cue words that would make it blaming) and has no rule finding is not
    called blaming, whatever the classifier scores or the span tagger marks: both learn such
    sentences from look-alikes that add a blaming clause."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^FACT-[A-Z0-9-]+$")
    rationale: str
    patterns: list[list[dict[str, Any]]] = Field(min_length=1)
    exclude_near: list[str] = Field(default_factory=list)

    @field_validator("patterns")
    @classmethod
    def _words_only(cls, patterns: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        for pattern in patterns:
            for token in pattern:
                extra = set(token) - PLAIN_FACT_ATTRIBUTES
                if extra:
                    raise ValueError(
                        f"plain-fact patterns read words only; {sorted(extra)} needs a parse"
                    )
        return patterns


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    rules: list[RuleSpec]
    plain_facts: list[PlainFactSpec] = Field(default_factory=list)


@lru_cache(maxsize=1)
def word_counts() -> dict[str, dict[str, int]]:
    """How many corpus sentences hold each lowercase form (`LOWER`) and each lemma (`LEMMA`);
    empty tables when the file is missing."""
    if not WORD_COUNTS_FILE.exists():
        return {"LOWER": {}, "LEMMA": {}}
    counts: dict[str, dict[str, int]] = json.loads(WORD_COUNTS_FILE.read_text(encoding="utf-8"))
    return counts


def load_rule_file(path: Path | None = None) -> RuleFile:
    """Load and validate the rules; the packaged file unless `path` is given (the packaged
    file is parsed once per process: `/v1/labels` lists it on every call)."""
    if path is None:
        return _packaged_rule_file()
    return _parse_rule_file(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _packaged_rule_file() -> RuleFile:
    text = resources.files("st_nlp").joinpath(RULES_RESOURCE).read_text(encoding="utf-8")
    return _parse_rule_file(text)


def _parse_rule_file(text: str) -> RuleFile:
    rule_file = RuleFile.model_validate(yaml.safe_load(text))
    ids = [rule.id for rule in rule_file.rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate rule ids: {sorted(duplicates)}")
    return rule_file
