"""The whole benchmark: workload, batch (1 and 2 cores), audit, interactive, quality, report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from st_nlp.bench import audit as audit_bench
from st_nlp.bench import interactive, quality
from st_nlp.bench.machine import machine_info
from st_nlp.bench.report import render
from st_nlp.bench.workload import build_workload, write_notes_jsonl
from st_nlp.corpus.paths import REPO_ROOT
from st_nlp.parallel import usable_cores

PARTS: tuple[str, ...] = ("batch", "audit", "interactive", "quality")


@dataclass(frozen=True)
class BenchSettings:
    """Sizes of one run; `quick()` is a smoke run of a minute or two."""

    sentences: int = 20_000
    notes: int = 1_000
    sample: int = 2_000
    audit_notes: int = 10_000
    audit_notes_one_core: int = 1_000
    requests: int = 200
    seed: int = 2024
    runtime: str = "onnx-int8"
    quick: bool = False
    parts: tuple[str, ...] = PARTS

    @classmethod
    def quick_run(cls, runtime: str = "onnx-int8") -> BenchSettings:
        return cls(
            sentences=1_000,
            notes=40,
            sample=64,
            audit_notes=40,
            audit_notes_one_core=20,
            requests=5,
            runtime=runtime,
            quick=True,
        )


def _batch(work: Path, cores: int, settings: BenchSettings) -> dict[str, Any]:
    out = work / f"batch-{cores}.json"
    command = [sys.executable, "-m", "st_nlp.bench.batch", "--cores", str(cores)]
    command += ["--work", str(work), "--out", str(out), "--sample", str(settings.sample)]
    command += ["--runtime", settings.runtime]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    result: dict[str, Any] = json.loads(out.read_text())
    reference = result["reference_fp32"]["per_second"]
    result["ratio_same_sentences"] = round(
        result["classify_same_sentences"]["per_second"] / reference, 2
    )
    if "classify_processes_same_sentences" in result:
        result["ratio_processes"] = round(
            result["classify_processes_same_sentences"]["per_second"] / reference, 2
        )
    return result


def run_bench(
    settings: BenchSettings,
    markdown_path: Path,
    say: Callable[[str], None] = lambda message: None,
    work_dir: Path | None = None,
) -> dict[str, Any]:
    """Run every measurement; write Markdown to `markdown_path` and JSON beside it."""
    available = usable_cores()
    core_counts = [c for c in (1, 2) if c <= available]
    with tempfile.TemporaryDirectory(prefix="st-nlp-bench-", dir=work_dir) as tmp:
        work = Path(tmp)
        result: dict[str, Any] = {
            "quick": settings.quick,
            "date": time.strftime("%Y-%m-%d %H:%M %Z"),
            "runtime": settings.runtime,
            "machine": machine_info(REPO_ROOT),
        }
        say("building the workload")
        n_notes = max(settings.notes, settings.audit_notes)
        workload = build_workload(settings.sentences, n_notes, settings.seed)
        (work / "sentences.json").write_text(json.dumps(workload.sentences))
        write_notes_jsonl(workload.notes[: settings.notes], work / "notes.jsonl")
        result["workload"] = {
            "seed": settings.seed,
            "sentences": len(workload.sentences),
            "notes": settings.notes,
            "sample": settings.sample,
            "audit_notes": settings.audit_notes,
        }

        result["parts"] = list(settings.parts)
        result["batch"] = {}
        for cores in core_counts if "batch" in settings.parts else []:
            say(f"batch throughput on {cores} core(s)")
            result["batch"][str(cores)] = _batch(work, cores, settings)

        result["audit"] = {}
        for cores in core_counts if "audit" in settings.parts else []:
            count = settings.audit_notes if cores == 2 else settings.audit_notes_one_core
            say(f"audit of {count} notes on {cores} core(s)")
            source = write_notes_jsonl(workload.notes[:count], work / f"audit-{cores}.jsonl")
            result["audit"][str(cores)] = audit_bench.run_audit(
                source, work / f"audit-{cores}", cores, workers=cores
            )

        if "interactive" in settings.parts:
            say("interactive latency over HTTP")
            result["interactive"] = interactive.measure(
                workload.sentences, work, settings.requests, max(core_counts), settings.seed
            )

        if "quality" in settings.parts:
            say("quality: macro-F1 of both runtimes on the test split")
            result["quality"] = quality.compare(settings.runtime)
        result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]

    markdown_path.parent.mkdir(parents=True, exist_ok=True)
    markdown_path.write_text(render(result) + "\n", encoding="utf-8")
    markdown_path.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    return result
