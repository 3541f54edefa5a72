"""The model card describes the decisions the reviewer makes (`st_nlp.model_card`)."""

from __future__ import annotations

import json

from st_nlp.model_card import render_model_card
from st_nlp.model_store import resolve_model_dir
from st_nlp.reviewer import LONE_WORD_MIN_SCORE


def test_model_card_states_the_reviewers_span_and_plain_fact_decisions() -> None:
    folder = resolve_model_dir(None)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    card = render_model_card("default", config, metrics, {"adjudicated": 1})
    assert f"{LONE_WORD_MIN_SCORE:.2f} or more" in card
    assert "never blaming language without a rule hit" in card
    assert f"from {config['blaming_without_evidence']:.2f} up" in card
