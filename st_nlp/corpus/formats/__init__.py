"""Converters between the canonical JSONL corpus and other tools' formats, each round-trippable."""

from __future__ import annotations

EXPORT_FORMATS = ("hf", "spacy", "labelstudio", "csv")
