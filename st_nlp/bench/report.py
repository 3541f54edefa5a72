"""Markdown tables (ready for BENCHMARKS.md) from a benchmark result."""

from __future__ import annotations

from typing import Any

TARGETS = {
    "classify_ratio": 3.0,
    "f1_delta": 0.01,
    "audit_sentences_per_second": 200.0,
    "review_p95_cold_ms": 150.0,
    "review_p95_incremental_ms": 30.0,
    "service_rss_mb": 1536.0,
}


def _ok(met: bool) -> str:
    return "met" if met else "**missed**"


def targets(result: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(target, goal, measured, met?) for the issue's targets on 2 cores."""
    rows = []
    two = result["batch"].get("2")
    if two:
        ratio = two["ratio_same_sentences"]
        name = "classify vs raw fp32 MiniLM, one process"
        rows.append((name, "≥ 3.0×", f"{ratio:.2f}×", _ok(ratio >= 3.0)))
        if "ratio_processes" in two:
            ratio = two["ratio_processes"]
            name = "classify vs raw fp32 MiniLM, 2 worker processes"
            rows.append((name, "≥ 3.0×", f"{ratio:.2f}×", _ok(ratio >= 3.0)))
    quality = result.get("quality")
    if quality:
        delta = quality["delta_macro_f1_core"]
        rows.append(
            (
                "macro-F1 (core) change vs unoptimized",
                "within 0.01",
                f"{delta:+.4f}",
                _ok(abs(delta) <= 0.01),
            )
        )
    audit = result["audit"].get("2")
    if audit:
        rate = audit["sentences_per_second"]
        rows.append(("audit end to end", "≥ 200 sentences/s", f"{rate:.0f}/s", _ok(rate >= 200)))
    live = result.get("interactive")
    if live:
        cold = live["review_cold"]["p95_ms"]
        inc = live["review_incremental"]["p95_ms"]
        rss = live["peak_rss_mb"]
        rows.append(("/v1/review p95, cold", "≤ 150 ms", f"{cold:.0f} ms", _ok(cold <= 150)))
        rows.append(("/v1/review p95, incremental", "≤ 30 ms", f"{inc:.0f} ms", _ok(inc <= 30)))
        rows.append(("service peak RSS", "≤ 1.5 GB", f"{rss} MB", _ok(rss <= 1536)))
    return rows


def _processes(batch: dict[str, Any]) -> str:
    measured = batch.get("classify_processes_same_sentences")
    if measured is None:
        return "—"
    return f"{measured['per_second']:.0f} ({batch['ratio_processes']:.2f}×)"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _pair(timings: dict[str, Any], part: str) -> str:
    """`p50 / p95` of a server-side part, or a dash for a run that has none."""
    if f"{part}_p50_ms" not in timings:
        return "—"
    return f"{timings[f'{part}_p50_ms']:.0f} / {timings[f'{part}_p95_ms']:.0f} ms"


def render(result: dict[str, Any]) -> str:
    machine = result["machine"]
    workload = result["workload"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `st-nlp bench{' --quick' if result['quick'] else ''}` on"
        f" {result['date']} (runtime `{result['runtime']}`).",
        "",
        "## Machine",
        "",
        *_table(
            ["CPU", "cores (usable)", "RAM", "Python", "torch", "onnxruntime", "spaCy", "commit"],
            [
                [
                    machine["cpu"],
                    f"{machine['logical_cores']} ({machine['usable_cores']})",
                    f"{machine['ram_gb']} GB",
                    machine["python"],
                    machine["torch"],
                    machine["onnxruntime"],
                    machine["spacy"],
                    f"`{machine['git_commit']}`",
                ]
            ],
        ),
        "",
        f"Load average at start: {machine['load_average_at_start']}"
        + (f", at end: {result['load_average_at_end']}" if "load_average_at_end" in result else "")
        + " (other jobs share the machine; absolute numbers are noisy, ratios measured in the"
        " same process less so).",
        *(
            [
                "",
                f"Parts measured: {', '.join(result['parts'])} (`--only`); the others not run.",
            ]
            if result.get("parts") and len(result["parts"]) < 4
            else []
        ),
        "",
        "## Workload",
        "",
        f"Seed {workload['seed']}: {workload['sentences']} distinct sentences and"
        f" {workload['notes']} distinct notes made from the corpus with fresh names, dates and"
        f" numbers; reference and ratio on the first {workload['sample']} sentences;"
        f" audit of {workload['audit_notes']} notes.",
        "",
        "## Targets (2 cores)",
        "",
        *_table(["target", "goal", "measured", ""], [list(r) for r in targets(result)]),
        "",
        "## Batch throughput",
        "",
    ]
    rows = []
    for cores, batch in sorted(result["batch"].items()):
        review = batch["review_notes"]
        rows.append(
            [
                cores,
                f"{batch['reference_fp32']['per_second']:.0f}",
                f"{batch['classify_torch_same_sentences']['per_second']:.0f}",
                f"{batch['classify_same_sentences']['per_second']:.0f}",
                f"{batch['ratio_same_sentences']:.2f}×",
                _processes(batch),
                f"{batch['classify_all']['per_second']:.0f}",
                f"{review['per_second']:.1f} / {review['sentences_per_second']:.0f}",
            ]
        )
    lines += _table(
        [
            "cores",
            "raw fp32 MiniLM (sent/s)",
            "classify, torch runtime (sent/s)",
            "classify, optimized (sent/s)",
            "ratio to raw MiniLM",
            "classify, one worker process per core (sent/s, ratio)",
            "classify, all sentences (sent/s)",
            "review (notes/s / sent/s)",
        ],
        rows,
    )
    lines += [
        "",
        "`classify` is the whole `Reviewer.classify` (spaCy parse, rules, TF-IDF, MiniLM,"
        " ensemble); the raw reference is only the MiniLM forward pass (tokenize, batches of 32"
        " in input order, mean pooling). spaCy and the rules are single-threaded Python (only"
        " the int8 MiniLM's single-sentence runs go side by side), so a second core helps one"
        " process only through those runs; on 2 cores `st-nlp classify --workers 2` runs two"
        " processes. Loading the models is not timed in either.",
        "",
        "## Audit (`st-nlp audit`, separate process tree)",
        "",
    ]
    lines += _table(
        ["cores", "workers", "notes", "sentences", "seconds", "notes/s", "sent/s", "peak RSS"],
        [
            [
                cores,
                str(a["workers"]),
                str(a["notes"]),
                str(a["sentences"]),
                f"{a['seconds']:.1f}",
                f"{a['notes_per_second']:.1f}",
                f"{a['sentences_per_second']:.0f}",
                f"{a['peak_rss_mb']} MB",
            ]
            for cores, a in sorted(result["audit"].items())
        ],
    )
    lines += ["", "Wall time includes starting the process and loading the models.", ""]
    live = result.get("interactive")
    if live:
        lines += [
            f"## Interactive (HTTP, real server on {live['cores']} cores, ~150-word note)",
            "",
        ]
        lines += _table(
            [
                "endpoint",
                "pattern",
                "requests",
                "p50",
                "p95",
                "p99",
                "in the server p50 / p95",
                "model worker p50 / p95",
            ],
            [
                [
                    "/v1/review" if name == "review" else "/v2/check",
                    mode,
                    str(live[f"{name}_{mode}"]["requests"]),
                    f"{live[f'{name}_{mode}']['p50_ms']:.0f} ms",
                    f"{live[f'{name}_{mode}']['p95_ms']:.0f} ms",
                    f"{live[f'{name}_{mode}']['p99_ms']:.0f} ms",
                    _pair(live[f"{name}_{mode}"], "server"),
                    _pair(live[f"{name}_{mode}"], "model"),
                ]
                for name in ("review", "check")
                for mode in ("cold", "incremental")
            ],
        )
        lines += [
            "",
            "The client's latency includes the HTTP round trip; the server's request log gives the"
            " time inside the server and, within it, the wait for the model worker (the rest is"
            " HTTP, authentication, the access log's commit and response validation).",
            "",
            f"Service peak RSS (server + model worker + audit worker): {live['peak_rss_mb']} MB;"
            f" startup {live['startup_seconds']} s.",
            "",
        ]
    quality = result.get("quality")
    if quality:
        runtime = result["runtime"]
        lines += [f"## Quality ({quality['split']} split, {quality['sentences']} sentences)", ""]
        lines += _table(
            ["runtime", "macro-F1 (core)", "macro-F1 (all)"],
            [
                [
                    name,
                    f"{quality[name]['macro_f1_core']:.4f}",
                    f"{quality[name]['macro_f1_all']:.4f}",
                ]
                for name in ("torch", runtime)
            ],
        )
        lines += [
            "",
            f"Largest score difference between the runtimes: {quality['max_score_difference']}.",
            "",
        ]
    return "\n".join(lines)
