"""`st-nlp evaluate`: held-out scores, and scores on a round of notes the model never saw."""

from __future__ import annotations

import json
from pathlib import Path

from st_nlp.cli.main import app
from st_nlp.model_store import resolve_model_dir


def _summary(output: str) -> dict:  # type: ignore[type-arg]
    """The one-line JSON summary the command prints last."""
    return json.loads(output.strip().splitlines()[-1])


def test_cli_evaluate_scores_a_split_without_writing(cli, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    folder, _, sentences = tiny_corpus
    result = cli.invoke(
        app, ["evaluate", "--data-dir", str(folder), "--split", "test", "--no-write"]
    )
    assert result.exit_code == 0, result.output
    summary = _summary(result.output)
    assert summary["sentences"] == sum(s.split == "test" for s in sentences)
    assert set(summary["f1"]) == {
        "behavioral_fact",
        "perpetrator_pattern",
        "survivor_protective_action",
        "blaming_language",
        "child_impact",
    }


def test_cli_evaluate_on_chosen_notes_of_every_split_never_writes(cli, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    folder, _, sentences = tiny_corpus
    model = resolve_model_dir(None)
    before = {p.name: p.stat().st_mtime_ns for p in Path(model).iterdir()}
    result = cli.invoke(
        app, ["evaluate", "--data-dir", str(folder), "--split", "all", "--notes", "n-1"]
    )
    assert result.exit_code == 0, result.output
    assert _summary(result.output)["sentences"] == sum(s.note_id == "n-1" for s in sentences)
    assert {p.name: p.stat().st_mtime_ns for p in Path(model).iterdir()} == before


def test_cli_evaluate_rejects_unclear_selections(cli, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = tiny_corpus
    cases = [
        (["--split", "all"], "--notes"),
        (["--split", "everything"], "--split must be"),
        (["--split", "all", "--notes", "n-("], "not a regular expression"),
        (["--split", "test", "--notes", "nothing-.*"], "is empty"),
    ]
    for options, message in cases:
        result = cli.invoke(app, ["evaluate", "--data-dir", str(folder), "--no-write", *options])
        assert result.exit_code != 0, options
        assert message in result.output, (options, result.output)
