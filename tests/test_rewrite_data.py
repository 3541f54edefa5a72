"""Curated rewrite pairs: the curation tool, `data validate` on them, `evaluate-rewrites`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from rewrite_fixtures import PAIRS, write_pairs

from st_nlp.cli.main import app
from st_nlp.corpus.jsonl import read_records
from st_nlp.corpus.rewrite_curation import curate
from st_nlp.corpus.rewrite_records import RewritePair
from st_nlp.corpus.validate import validate_corpus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "annotation" / "tools"))


def _raw(i: int, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": f"rw-x-{i:04d}",
        "original": f"Mother failed to protect child number {i} from FOB on 3/{i % 28 + 1}.",
        "subtypes": ["survivor_blame"],
        "vague": None,
        "rewrite": f"FOB [what he did on 3/{i % 28 + 1}]; child number {i} [what they saw];"
        " Mother [her protective efforts].",
        "rationale": "Pivot to the perpetrator.",
        "context": {"perpetrator": "FOB", "survivor": "Mother"},
    }
    row.update(fields)
    return row


def _write(path: Path, rows: list[dict[str, Any]], tail: str = "") -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + tail, encoding="utf-8")
    return path


def test_curate_rejects_bad_pairs_by_line_and_id_and_keeps_the_rest(nlp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = [
        _raw(1),
        _raw(2, rewrite="FOB [what he did]; child number 2 [what they saw]."),  # lost 3/3
        _raw(3, rewrite="FOB [what he did on 3/4; child number 3 [nested [x]]."),
        _raw(4, subtypes=["blame"]),
        {**_raw(1), "id": "rw-x-0005", "original": _raw(1)["original"].replace("number", "no.")},
        _raw(1),  # duplicate id
    ]
    path = _write(tmp_path / "rewrites_x.jsonl", rows, tail='{"id": "rw-x-0099", "orig')
    result = curate([path], nlp)
    assert [p.id for p in result.pairs] == ["rw-x-0001"]
    reasons = {(r.line, r.pair_id): r.reason for r in result.rejected}
    assert "fact(s) of the original missing" in reasons[(2, "rw-x-0002")]
    assert "nested" in reasons[(3, "rw-x-0003")]
    assert "field 'subtypes.0'" in reasons[(4, "rw-x-0004")]
    assert "near-duplicate original of rw-x-0001" in reasons[(5, "rw-x-0005")]
    assert "duplicate id" in reasons[(6, "rw-x-0001")]
    assert "invalid JSON" in reasons[(7, None)]
    for rejection in result.rejected:  # no pair text in any message
        assert "Mother failed" not in str(rejection)


def test_curate_splits_are_stable_and_near_duplicates_share_a_split(nlp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = [
        _raw(
            i,
            original=f"BM let FOB in on day {i} number {i * 7} again.",
            rewrite=f"FOB came in on day {i} number {i * 7} [how]; BM [efforts].",
        )
        for i in range(1, 41)
    ]
    first = curate([_write(tmp_path / "rewrites_a.jsonl", rows)], nlp)
    splits = {p.id: p.split for p in first.pairs}
    assert set(splits.values()) == {"train", "dev", "test"}
    more = [_raw(i) for i in range(100, 110)]
    second = curate(
        [tmp_path / "rewrites_a.jsonl", _write(tmp_path / "rewrites_b.jsonl", more)], nlp
    )
    assert {p.id: p.split for p in second.pairs if p.id in splits} == splits
    assert {p.batch for p in second.pairs} == {"a", "b"}


def test_curate_tool_writes_the_canonical_file_that_validates(tmp_path, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    import curate_rewrites

    folder, _, _ = tiny_corpus
    raw = tmp_path / "raw"
    raw.mkdir()
    _write(raw / "rewrites_a.jsonl", [_raw(1), _raw(2, rewrite="[what happened]")])
    out = folder / "rewrites.jsonl"
    assert curate_rewrites.main(["--raw", str(raw), "--out", str(out)]) == 0
    assert curate_rewrites.main(["--raw", str(raw), "--out", str(out), "--strict"]) == 1
    assert [p.id for _, p in read_records(out, RewritePair)] == ["rw-x-0001"]
    assert validate_corpus(folder) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rewrite": "[Name] [what happened]."}, "fact(s) of the original missing"),
        ({"split": "holdout"}, "field 'split'"),
        ({"rewrite": "FOB [what he did on 2/2; BM"}, "unclosed"),
    ],
)
def test_data_validate_checks_rewrite_pairs(tiny_corpus, change, message) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = tiny_corpus
    rows = [dict(p) for p in PAIRS]
    write_pairs(folder / "rewrites.jsonl", rows)
    assert validate_corpus(folder) == []
    rows[3] = {**rows[3], **change}
    (folder / "rewrites.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
    )
    problems = [str(p) for p in validate_corpus(folder)]
    assert len(problems) == 1
    assert ":4:" in problems[0] and message in problems[0]


def test_data_validate_flags_near_duplicate_pairs_across_splits(tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = tiny_corpus
    rows = [dict(p) for p in PAIRS] + [{**PAIRS[0], "id": "rw-t-0009", "split": "test"}]
    write_pairs(folder / "rewrites.jsonl", rows)
    problems = [str(p) for p in validate_corpus(folder)]
    assert any("near-duplicate of line 1 across splits" in p for p in problems)


def test_cli_evaluate_rewrites_on_a_tiny_fixture(cli, tiny_corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = tiny_corpus
    write_pairs(folder / "rewrites.jsonl")
    out = tmp_path / "rewrite_metrics.json"
    result = cli.invoke(app, ["evaluate-rewrites", "--data-dir", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text())
    pairs, corpus = metrics["rewrite_pairs"], metrics["corpus_sentences"]
    assert pairs["flagged_sentences"] == 2  # the two test pairs
    assert corpus["flagged_sentences"] == 0  # the tiny corpus's test note is not flagged
    assert pairs["coverage"] == 1.0
    assert pairs["facts_kept"] == 1.0
    assert 0.0 <= pairs["chrf_corpus"] <= 100.0
    assert "flagged sentences" in result.output


def test_cli_evaluate_rewrites_missing_pairs_file_is_a_clear_error(cli, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = tiny_corpus
    result = cli.invoke(app, ["evaluate-rewrites", "--data-dir", str(folder), "--no-write"])
    assert result.exit_code == 2
    assert "rewrites.jsonl" in result.output
