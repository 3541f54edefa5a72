"""Tiny curated rewrite pairs for retrieval and evaluation tests (synthetic)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from st_nlp import Reviewer
from st_nlp.corpus.jsonl import write_records
from st_nlp.corpus.rewrite_records import RewritePair
from st_nlp.reviewer import SentenceResult
from st_nlp.rewrite.rewriter import FactBasedRewriter

# The first pair carries facts no test note has (Zebediah Quill, 4/4/19, "never again"): a
# suggestion that contains them copied an example.
PAIRS: list[dict[str, Any]] = [
    {
        "id": "rw-t-0001",
        "original": "The parents have a volatile relationship and fight often.",
        "subtypes": ["mutualizing"],
        "rewrite": "Mr. Zebediah Quill [specific acts toward his partner] on 4/4/19 and said"
        ' "never again" [what the children saw or heard].',
        "rationale": "Names one actor.",
        "context": {"perpetrator": "Mr. Zebediah Quill"},
        "split": "train",
        "batch": "t",
    },
    {
        "id": "rw-t-0002",
        "original": "Mother was beaten last week.",
        "subtypes": ["agentless"],
        "rewrite": "[Name] beat Mother last week [where, injuries].",
        "rationale": "Names the actor.",
        "split": "train",
        "batch": "t",
    },
    {
        "id": "rw-t-0003",
        "original": "Father is very controlling.",
        "subtypes": [],
        "vague": "perpetrator",
        "rewrite": "Father [specific behaviors, e.g. takes her phone, tracks her car].",
        "rationale": "A label is not a behavior.",
        "split": "train",
        "batch": "t",
    },
    {
        "id": "rw-t-0004",
        "original": "BM failed to protect the kids from FOB on 2/2.",
        "subtypes": ["survivor_blame"],
        "rewrite": "FOB [what he did on 2/2]; BM [her protective efforts].",
        "rationale": "Pivot to the perpetrator.",
        "split": "test",
        "batch": "t",
    },
    {
        "id": "rw-t-0005",
        "original": "Mom is protective of the kids.",
        "subtypes": [],
        "vague": "survivor",
        "rewrite": "Mom [specific protective actions].",
        "rationale": "Protective efforts as actions.",
        "split": "test",
        "batch": "t",
    },
]


def write_pairs(path: Path, pairs: list[dict[str, Any]] = PAIRS) -> Path:
    write_records(path, [RewritePair.model_validate(p) for p in pairs])
    return path


def rewriter_of(reviewer: Reviewer) -> FactBasedRewriter:
    assert isinstance(reviewer.rewriter, FactBasedRewriter)
    return reviewer.rewriter


def suggestions_for(
    reviewer: Reviewer, text: str, labels: list[str], note: str | None = None
) -> list[dict[str, Any]]:
    """Suggestions for `text` as one flagged sentence of `note` (default: alone), with the
    labels given and the rules' findings only: the rewriter's own choices, whatever the model's
    classifier and span tagger would add."""
    note = note if note is not None else text
    start = note.index(text)
    findings = (
        [
            replace(f, start=f.start + start, end=f.end + start)
            for f in reviewer.rules.find(reviewer.nlp(text))
        ]
        if "blaming_language" in labels
        else []
    )
    sentence = SentenceResult(text, start, start + len(text), labels, {}, findings)
    rewriter_of(reviewer).suggest_note([sentence], reviewer.nlp(note), None)
    return sentence.suggestions
