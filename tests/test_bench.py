"""`st-nlp bench`: the workload is distinct and seeded; `--quick` writes well-formed tables.

No timing assertions: speed numbers come from the benchmark itself, never from tests.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from st_nlp.bench.workload import FAMILY_NAMES, build_workload
from st_nlp.corpus.paths import DATA_DIR, SENTENCES_FILE


def _corpus_sentence_count() -> int:
    """The workload's first round is the corpus itself: its distinct sentences."""
    with (DATA_DIR / SENTENCES_FILE).open(encoding="utf-8") as handle:
        return len({json.loads(line)["text"] for line in handle if line.strip()})


def test_bench_workload_is_distinct_and_seeded() -> None:
    n_sentences = _corpus_sentence_count() + 1_000  # reach into the varied rounds
    first = build_workload(n_sentences=n_sentences, n_notes=900, seed=7)
    again = build_workload(n_sentences=n_sentences, n_notes=900, seed=7)
    other = build_workload(n_sentences=n_sentences, n_notes=900, seed=8)
    assert len(set(first.sentences)) == n_sentences
    assert len({n["text"] for n in first.notes}) == 900
    assert first == again
    assert first.sentences != other.sentences
    assert first.notes != other.notes


def test_bench_workload_varies_names_and_dates() -> None:
    base = _corpus_sentence_count()
    workload = build_workload(n_sentences=base + 2_500, n_notes=10, seed=1)
    variants = workload.sentences[base:]  # past the first round, which is the corpus itself
    family = re.compile(r"\b(" + "|".join(FAMILY_NAMES) + r")\b")
    assert sum(bool(family.search(s)) for s in variants) > 100
    dates = {m for s in variants for m in re.findall(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b", s)}
    assert len(dates) > 50


def test_bench_quick_writes_well_formed_tables(tmp_path: Path) -> None:
    out = tmp_path / "BENCH.md"
    subprocess.run(
        [sys.executable, "-m", "st_nlp", "bench", "--quick", "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    text = out.read_text()
    result = json.loads(out.with_suffix(".json").read_text())
    for heading in ("## Machine", "## Targets (2 cores)", "## Batch throughput", "## Audit"):
        assert heading in text
    for line in text.splitlines():
        if line.startswith("|"):
            assert line.endswith("|")
    assert result["batch"]["1"]["cache_hits_in_classify_all"] == 0
    assert result["batch"]["1"]["reference_fp32"]["per_second"] > 0
    assert result["interactive"]["review_cold"]["requests"] == 5
    # From the server's request log: the model worker's wait is a part of the server's time.
    for part in ("review_cold", "check_incremental"):
        timings = result["interactive"][part]
        assert timings["server_p95_ms"] >= timings["model_p95_ms"] > 0
    assert "model worker p50 / p95" in text
    assert result["quality"]["torch"]["macro_f1_core"] > 0
    two = result["batch"].get("2")
    if two is not None:  # on a machine with two usable cores: classify in two processes too
        assert two["classify_processes_same_sentences"]["workers"] == 2
        assert two["classify_processes_same_sentences"]["per_second"] > 0
        assert "2 worker processes" in text
