"""Shared fixtures: seeds, the spaCy pipeline, the CLI runner, annotation tools."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from typer.testing import CliRunner


@pytest.fixture(autouse=True)
def _seed() -> None:
    random.seed(0)
    np.random.seed(0)


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from st_nlp.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


@pytest.fixture
def annotation_tool():  # type: ignore[no-untyped-def]
    """Import a script of annotation/tools/ by name (scripts, not a package)."""

    def load(name: str) -> ModuleType:
        path = Path(__file__).resolve().parents[1] / "annotation" / "tools" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


NOTE_A = (
    "CW met with BM at the home on 3/14/24.\n"
    "FOB punched BM in the face while the children watched.\n"
    "The parents have a volatile relationship."
)
NOTE_B = "Mother called 911 and took the kids to MGM's home on 4/2."


def _sentence(note_id, note_text, index, text, labels, spans=(), split="train"):  # type: ignore[no-untyped-def]
    from st_nlp.corpus.records import SentenceRecord

    start = note_text.index(text)
    return SentenceRecord.build(
        id=f"{note_id}-s{index:02d}",
        note_id=note_id,
        text=text,
        start=start,
        end=start + len(text),
        labels=list(labels),
        spans=[
            {"start": text.index(w), "end": text.index(w) + len(w), "subtype": sub}
            for w, sub in spans
        ],
        annotator="adjudicated",
        split=split,
        register="home_visit",
        source="note",
    )


@pytest.fixture
def tiny_corpus(tmp_path):  # type: ignore[no-untyped-def]
    """A valid two-note corpus on disk: (folder, notes, sentences)."""
    from st_nlp.corpus.jsonl import write_records
    from st_nlp.corpus.records import NoteRecord

    notes = [
        NoteRecord(
            note_id="n-1",
            text=NOTE_A,
            register="home_visit",
            source="note",
            split="train",
            family={"perpetrator_gender": "male", "couple": "hetero"},
            people=[{"name": "Ana Morales", "role": "survivor"}],
        ),
        NoteRecord(
            note_id="n-2",
            text=NOTE_B,
            register="home_visit",
            source="note",
            split="test",
            family={"perpetrator_gender": "female", "couple": "same_sex_female"},
            people=[{"name": "Dana Lee", "role": "perpetrator"}],
        ),
    ]
    sentences = [
        _sentence("n-1", NOTE_A, 1, "CW met with BM at the home on 3/14/24.", ["behavioral_fact"]),
        _sentence(
            "n-1",
            NOTE_A,
            2,
            "FOB punched BM in the face while the children watched.",
            ["behavioral_fact", "perpetrator_pattern", "child_impact"],
        ),
        _sentence(
            "n-1",
            NOTE_A,
            3,
            "The parents have a volatile relationship.",
            ["blaming_language"],
            [("volatile relationship", "mutualizing")],
        ),
        _sentence(
            "n-2",
            NOTE_B,
            1,
            NOTE_B,
            ["behavioral_fact", "survivor_protective_action"],
            split="test",
        ),
    ]
    write_records(tmp_path / "notes.jsonl", notes)
    write_records(tmp_path / "sentences.jsonl", sentences)
    return tmp_path, notes, sentences


@pytest.fixture(scope="session")
def examples_file(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A tiny curated-pairs file (see tests/rewrite_fixtures.py)."""
    from rewrite_fixtures import write_pairs

    return write_pairs(tmp_path_factory.mktemp("rewrites") / "rewrites.jsonl")


@pytest.fixture(scope="session")
def rewriting_reviewer(examples_file):  # type: ignore[no-untyped-def]
    """The bundled model with the rewriter retrieving from the tiny curated pairs."""
    from st_nlp import Reviewer

    return Reviewer.load(examples=examples_file)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A real PostgreSQL server for the session (binaries from the `pgserver` wheel)."""
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    yield server
    server.cleanup()


@pytest.fixture
def postgres_url(postgres_server) -> str:  # type: ignore[no-untyped-def]
    """A fresh, empty database on the session's PostgreSQL server, as a SQLAlchemy URL."""
    import uuid

    name = f"st_nlp_{uuid.uuid4().hex[:12]}"
    postgres_server.psql(f"CREATE DATABASE {name};")
    uri: str = postgres_server.get_uri(name)
    return uri.replace("postgresql://", "postgresql+psycopg://", 1)
