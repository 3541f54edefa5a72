"""The note quality score: its formula, the weight fit, and `st-nlp fit-quality` end to end."""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pytest

from st_nlp.cli.main import app
from st_nlp.corpus.jsonl import read_records, write_records
from st_nlp.corpus.paths import DATA_DIR, NOTES_FILE, SENTENCES_FILE
from st_nlp.corpus.records import NoteRecord, SentenceRecord
from st_nlp.model_store import REPO_MODELS_DIR
from st_nlp.quality import QualityWeights, assess, fit_weights, report_parts

FACT = ["behavioral_fact"]
PATTERN = ["behavioral_fact", "perpetrator_pattern"]
HARM = ["behavioral_fact", "perpetrator_pattern", "child_impact"]
PROTECTIVE = ["behavioral_fact", "survivor_protective_action"]
BLAMING = ["blaming_language"]


def _note(rng: np.random.Generator) -> list[tuple[str, list[str], list[str]]]:
    """A random note made of labelled sentences (text matters only for quotes/intersections)."""
    kinds = [
        ("CW met BM at the home.", FACT, []),
        ("FOB punched BM on 3/9.", PATTERN, []),
        ("FOB threw a chair while Luis (7) watched.", HARM, []),
        ("BM called 911 and left with the children.", PROTECTIVE, []),
        ('Luis said, "Daddy hurt Mommy."', ["behavioral_fact", "child_impact"], []),
        ("The couple has a volatile relationship.", BLAMING, ["mutualizing"]),
        ("Mother failed to protect the children.", BLAMING, ["survivor_blame"]),
        ("FOB is controlling.", ["perpetrator_pattern"], []),
    ]
    picks = rng.integers(0, len(kinds), size=int(rng.integers(3, 12)))
    return [kinds[i] for i in picks]


def test_blaming_language_lowers_the_score_and_documentation_raises_it() -> None:
    documented = [
        ("FOB punched BM on 3/9 while Luis (7) watched.", HARM, []),
        ("BM called 911 and left with the children.", PROTECTIVE, []),
        ('Luis said, "Daddy hurt Mommy."', ["behavioral_fact", "child_impact"], []),
    ]
    blamed = [*documented, ("Mother failed to protect the children.", BLAMING, ["survivor_blame"])]
    twice = [*blamed, ("The couple has a volatile relationship.", BLAMING, ["mutualizing"])]
    scores = [assess(note).score for note in (documented, blamed, twice)]
    assert scores[0] > scores[1] > scores[2]
    assert assess(documented[:1]).score < scores[0]  # fewer components documented
    assert assess([]).score == 0.0


def test_score_is_the_documented_formula_of_the_parts() -> None:
    weights = QualityWeights()
    note = [
        ("FOB punched BM on 3/9.", PATTERN, []),
        ("Mother failed to protect the children.", BLAMING, ["survivor_blame"]),
        ('BM said, "He took my phone."', PROTECTIVE, []),
    ]
    report = assess(note, weights)
    coverage = sum(report.components.values()) / 5
    rating = (
        weights.intercept
        + weights.fact * (2 / 3)
        + weights.coverage * coverage
        + weights.quotes * 0.5
        - weights.blame_penalty * (100 / 3)
        - weights.blame_count_penalty * math.log1p(1)
        - weights.vague_penalty * 0.0
    )
    assert report.score == pytest.approx(max(0.0, min(100.0, 25 * (rating - 1))), abs=0.05)
    assert report.weights == asdict(weights)


def test_fit_weights_recovers_the_weights_that_made_the_ratings() -> None:
    rng = np.random.default_rng(7)
    truth = QualityWeights(1.5, 0.8, 2.0, 0.4, 0.01, 0.6, 0.02)
    reports = [assess(_note(rng)) for _ in range(300)]
    ratings = [
        truth.intercept + float(np.dot(report_parts(r), [0.8, 2.0, 0.4, -0.01, -0.6, -0.02]))
        for r in reports
    ]
    fitted = fit_weights(reports, ratings)  # type: ignore[arg-type]
    for name, value in asdict(truth).items():
        assert getattr(fitted, name) == pytest.approx(value, abs=0.02), name


def test_fit_weights_never_rewards_blaming_language() -> None:
    rng = np.random.default_rng(3)
    reports = [assess(_note(rng)) for _ in range(200)]
    # Ratings that rise with blaming findings: the fit must not follow them.
    ratings = [1 + min(r.blaming_findings, 4) for r in reports]
    fitted = fit_weights(reports, ratings)
    assert fitted.blame_penalty == 0.0 and fitted.blame_count_penalty == 0.0
    with pytest.raises(ValueError, match="at least 3 rated notes"):
        fit_weights(reports[:2], ratings[:2])


@pytest.fixture
def small_rated_corpus(tmp_path: Path) -> Path:
    """The corpus's first rated train and dev notes (with their sentences) in a folder."""
    wanted = {"train": 10, "dev": 4}
    notes = []
    for _, note in read_records(DATA_DIR / NOTES_FILE, NoteRecord):
        if note.rubric is not None and note.source == "note" and wanted.get(note.split, 0) > 0:
            wanted[note.split] -= 1
            notes.append(note)
    ids = {n.note_id for n in notes}
    sentences = [
        s for _, s in read_records(DATA_DIR / SENTENCES_FILE, SentenceRecord) if s.note_id in ids
    ]
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_records(folder / NOTES_FILE, notes)
    write_records(folder / SENTENCES_FILE, sentences)
    return folder


def test_fit_quality_records_weights_in_the_model_config(cli, small_rated_corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    model = tmp_path / "model"
    shutil.copytree(REPO_MODELS_DIR / "default", model)
    config_path = model / "config.json"
    config = json.loads(config_path.read_text())
    config["quality_weights"] = asdict(replace(QualityWeights(), coverage=99.0))
    config_path.write_text(json.dumps(config))

    result = cli.invoke(
        app, ["fit-quality", "--model", str(model), "--data-dir", str(small_rated_corpus)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert set(summary) == {"weights", "spearman_rho_train", "spearman_rho_dev"}
    assert -1.0 <= summary["spearman_rho_train"] <= 1.0
    recorded = json.loads(config_path.read_text())["quality_weights"]
    assert recorded == summary["weights"] and recorded["coverage"] != 99.0
    assert all(value >= 0 for name, value in recorded.items() if name != "intercept")

    from st_nlp import Reviewer

    reviewer = Reviewer.load(model, suggestions=False, cache_size=0)
    assert reviewer.review("FOB punched BM on 3/9.").quality.weights == recorded


def test_fit_quality_names_a_corpus_without_rated_notes(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / NOTES_FILE).write_text("")
    (tmp_path / SENTENCES_FILE).write_text("")
    model = tmp_path / "model"
    shutil.copytree(REPO_MODELS_DIR / "default", model)
    result = cli.invoke(app, ["fit-quality", "--model", str(model), "--data-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "rated train notes" in result.output
