"""`st-nlp bench`: the performance benchmark (throughput, latency, memory, quality)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from st_nlp.cli.inputs import fail


def bench(
    out: Path = typer.Option(
        Path("BENCHMARKS.md"), "--out", "-o", help="Markdown report; the JSON goes beside it."
    ),
    quick: bool = typer.Option(False, "--quick", help="Small smoke run (a minute or two)."),
    seed: int = typer.Option(2024, help="Seed of the synthetic workload."),
    runtime: str = typer.Option("onnx-int8", help="Optimized runtime: onnx-int8 or onnx-fp32."),
    only: str | None = typer.Option(
        None,
        "--only",
        help="Comma-separated parts to run (batch, audit, interactive, quality); default all.",
    ),
    work_dir: Path | None = typer.Option(
        None, "--work-dir", help="Where the temporary workload goes (default: system temp)."
    ),
) -> None:
    """Benchmark batch throughput (1 and 2 cores), audit, HTTP latency, memory and quality."""
    from dataclasses import replace

    from st_nlp.bench.run import PARTS, BenchSettings, run_bench

    if runtime not in {"onnx-int8", "onnx-fp32"}:
        raise fail(f"--runtime must be onnx-int8 or onnx-fp32, not {runtime!r}")
    settings = BenchSettings.quick_run(runtime) if quick else BenchSettings(runtime=runtime)
    settings = replace(settings, seed=seed)
    if only is not None:
        parts = tuple(dict.fromkeys(p.strip() for p in only.split(",") if p.strip()))
        unknown = [p for p in parts if p not in PARTS]
        if unknown or not parts:
            raise fail(f"--only {only!r} is invalid; use a comma-separated subset of {list(PARTS)}")
        settings = replace(settings, parts=parts)
    console = Console(stderr=True)
    run_bench(settings, out, say=lambda message: console.log(message), work_dir=work_dir)
    typer.echo(f"wrote {out} and {out.with_suffix('.json')}")
