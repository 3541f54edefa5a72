"""Where the corpus lives in the repository, in one place."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "annotation" / "data"
NOTES_FILE = "notes.jsonl"
SENTENCES_FILE = "sentences.jsonl"
REWRITES_FILE = "rewrites.jsonl"
PASSES_DIR = "passes"
ADJUDICATION_LOG = "adjudication_log.jsonl"
