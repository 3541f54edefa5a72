"""Batch throughput on a fixed number of cores, run as its own process by `st-nlp bench`.

`python -m st_nlp.bench.batch --cores N --work DIR --out FILE` pins itself to N cores
(CPU affinity) and sets torch's and ONNX Runtime's thread counts to N, then measures:
- the reference: raw fp32 PyTorch forward passes of the packaged MiniLM (transformers
  `AutoModel`, batches of 32 in input order, mean pooling), the naive way to serve it;
- `Reviewer.classify` with the optimized runtime, on the same sentences and on all of them;
- `Reviewer.classify` with the unoptimized (torch) runtime on the same sentences;
- on N ≥ 2 cores, `classify` in N worker processes (`st-nlp classify --workers N`) on the same
  sentences: one process uses about one core (spaCy and the rules are single-threaded Python);
- `Reviewer.review_many` (with suggestions) on the notes.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

CHUNK = 256


def pin(cores: int) -> list[int]:
    """Restrict this process to its first `cores` usable CPUs; returns them."""
    import torch

    usable = sorted(os.sched_getaffinity(0))
    chosen = usable[:cores]
    os.sched_setaffinity(0, chosen)
    torch.set_num_threads(cores)
    return chosen


def _rate(count: int, run: Callable[[], Any]) -> dict[str, float]:
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    return {"items": count, "seconds": round(seconds, 2), "per_second": round(count / seconds, 1)}


def reference_forward(sentences: Sequence[str], batch_size: int = 32) -> None:
    """Raw fp32 MiniLM: tokenize, forward, mean-pool; batches in input order."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from st_nlp.classifiers.minilm import base_model_path

    path = base_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)  # type: ignore[no-untyped-call]
    model = AutoModel.from_pretrained(path, local_files_only=True).eval()
    with torch.inference_mode():
        for start in range(0, len(sentences), batch_size):
            encoded = tokenizer(
                list(sentences[start : start + batch_size]),
                padding=True,
                truncation=True,
                max_length=128,
                return_tensors="pt",
            )
            hidden = model(**encoded).last_hidden_state
            weights = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)


def _classify_all(reviewer: Any, sentences: Sequence[str]) -> None:
    for start in range(0, len(sentences), CHUNK):
        reviewer.classify(sentences[start : start + CHUNK])


def _classify_in_processes(
    cores: int, subset: Sequence[str], warm: Sequence[str]
) -> dict[str, float]:
    """`classify` in `cores` worker processes; loading and a warm-up call are not timed."""
    from st_nlp.parallel import ParallelReviewer

    pool = ParallelReviewer(None, cores, suggestions=False)
    try:
        pool.classify(list(warm) * cores)
        rate = _rate(len(subset), lambda: pool.classify(subset))
    finally:
        pool.close()
    rate["workers"] = cores
    return rate


def measure(cores: int, work: Path, sample: int, runtime: str) -> dict[str, Any]:
    from st_nlp.reviewer import Reviewer

    chosen = pin(cores)
    sentences: list[str] = json.loads((work / "sentences.json").read_text())
    notes = [json.loads(line)["text"] for line in (work / "notes.jsonl").open()]
    subset = sentences[:sample]
    result: dict[str, Any] = {"cores": cores, "cpus": chosen, "runtime": runtime}
    # Loading (and warming each path on a few sentences outside the sample) is not timed.
    warm = sentences[-16:]
    reference_forward(warm)
    result["reference_fp32"] = _rate(len(subset), lambda: reference_forward(subset))

    fast = Reviewer.load(runtime=runtime)
    fast.classify(warm)
    result["classify_same_sentences"] = _rate(len(subset), lambda: _classify_all(fast, subset))
    if fast.cache is not None:  # the sample is part of the whole set: start cold
        fast.cache.clear()
    result["classify_all"] = _rate(len(sentences), lambda: _classify_all(fast, sentences))
    result["cache_hits_in_classify_all"] = fast.cache.hits if fast.cache else 0

    if cores >= 2:
        result["classify_processes_same_sentences"] = _classify_in_processes(cores, subset, warm)

    slow = Reviewer.load(runtime="torch", suggestions=False, cache_size=0)
    slow.classify(warm)
    result["classify_torch_same_sentences"] = _rate(
        len(subset), lambda: _classify_all(slow, subset)
    )

    counted: list[int] = []

    def review_notes() -> None:
        for start in range(0, len(notes), 32):
            results = fast.review_many(notes[start : start + 32])
            counted.extend(len(r.sentences) for r in results)

    review = _rate(len(notes), review_notes)
    review["sentences"] = sum(counted)
    review["sentences_per_second"] = round(sum(counted) / review["seconds"], 1)
    result["review_notes"] = review
    return result


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cores", type=int, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--runtime", default="onnx-int8")
    args = parser.parse_args(argv)
    result = measure(args.cores, args.work, args.sample, args.runtime)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
