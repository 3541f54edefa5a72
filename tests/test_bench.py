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


def test_bench_workload_is_distinct_and_seeded() -> None:
    first = build_workload(n_sentences=3_000, n_notes=900, seed=7)
    again = build_workload(n_sentences=3_000, n_notes=900, seed=7)
    other = build_workload(n_sentences=3_000, n_notes=900, seed=8)
    assert len(set(first.sentences)) == 3_000
    assert len({n["text"] for n in first.notes}) == 900
    assert first == again
    assert first.sentences != other.sentences


def test_bench_workload_varies_names_and_dates() -> None:
    workload = build_workload(n_sentences=5_000, n_notes=10, seed=1)
    variants = workload.sentences[2_500:]  # past the first round, which is the corpus itself
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
    assert result["quality"]["torch"]["macro_f1_core"] > 0
