"""The MiniLM member served by ONNX Runtime, optionally with int8 dynamic quantization.

Why: on CPUs, ONNX Runtime's fused kernels and int8 matrix products run the same network
several times faster than eager PyTorch, and an int8 model takes a quarter of the memory.
The ONNX file is derived from the installed base weights plus the model folder's fine-tuned
head; it is built on first load (a few seconds), never committed, and kept in a cache folder
keyed by everything it depends on (head and base checksums, exporter and runtime versions) and
pruned to the most recently used versions (`export_cache`). The cache holds model weights only,
never text.

The exported graph computes the attention mask itself (no data-dependent branches from the
transformers implementation get traced), so padded batches give the same logits as single
sentences, up to int8 rounding.
"""

from __future__ import annotations

import copy
import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np
import torch
from torch import nn

from st_nlp.classifiers.export_cache import cached_graph
from st_nlp.classifiers.minilm import MiniLMClassifier, _batches_by_length
from st_nlp.taxonomy import LABELS, Label

Runtime = Literal["torch", "onnx-fp32", "onnx-int8"]
MINILM_THREADS_ENV = "ST_NLP_MINILM_THREADS"
RUNTIMES: tuple[str, ...] = ("torch", "onnx-fp32", "onnx-int8")
T = TypeVar("T")
R = TypeVar("R")
EXPORT_VERSION = "1"


class _Exportable(nn.Module):
    """Embeddings, every layer, mean pooling and the head, with an explicit attention mask."""

    def __init__(self, network: Any) -> None:
        super().__init__()
        self.encoder = network.encoder
        self.head = network.head

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder.embeddings(input_ids=input_ids)
        weights = attention_mask.to(hidden.dtype)
        extended = (1.0 - weights[:, None, None, :]) * torch.finfo(hidden.dtype).min
        for layer in self.encoder.encoder.layer:
            hidden = layer(hidden, attention_mask=extended)[0]
        pooled = (hidden * weights.unsqueeze(-1)).sum(1) / weights.sum(1, keepdim=True).clamp(
            min=1.0
        )
        logits: torch.Tensor = self.head(pooled)
        return logits


def _fingerprint(model_key: str, quantize: bool) -> str:
    import onnxruntime

    parts = [model_key, EXPORT_VERSION, torch.__version__, onnxruntime.__version__, str(quantize)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def export_graph(
    module: nn.Module, tokenizer: Any, path: Path, output: str, output_axes: dict[int, str]
) -> None:
    """Export `module(input_ids, attention_mask) -> output` with a dynamic batch size and
    sentence length (traced on two padded sample sentences)."""
    sample = tokenizer(["a b c", "a"], padding=True, return_tensors="pt")
    with torch.no_grad():
        torch.onnx.export(
            module,
            (sample["input_ids"], sample["attention_mask"]),
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=[output],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                output: output_axes,
            },
            opset_version=17,
            dynamo=False,
        )


def cpu_session(path: Path, threads: int | None = None) -> Any:
    """An ONNX Runtime session on the CPU, with `threads` threads (default: as many as torch
    is allowed)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, torch.get_num_threads() if threads is None else threads)
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Idle pool threads sleep instead of spinning: on a small machine a spinning thread takes
    # the core the web server or another worker needs between runs.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _export(minilm: MiniLMClassifier, target: Path, quantize: bool) -> None:
    """Export to ONNX (and quantize) into a temporary file, then rename: safe under races."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        fp32 = Path(tmp) / "model.onnx"
        # A copy: the exporter switches module modes, the caller's network must stay as it is.
        module = _Exportable(copy.deepcopy(minilm.network)).eval()
        export_graph(module, minilm.tokenizer, fp32, "logits", {0: "batch"})
        produced = fp32
        if quantize:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            produced = Path(tmp) / "model.int8.onnx"
            quantize_dynamic(fp32, produced, weight_type=QuantType.QInt8, per_channel=True)
        os.replace(produced, target)


def minilm_threads() -> int:
    """How many sentences the int8 MiniLM scores at once: `$ST_NLP_MINILM_THREADS`, else
    torch's thread count."""
    value = os.environ.get(MINILM_THREADS_ENV, "").strip()
    if not value:
        return max(1, torch.get_num_threads())
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{MINILM_THREADS_ENV}={value!r} is invalid; use a whole number ≥ 1")
    return int(value)


class SideBySide:
    """Runs one graph call on several inputs at once, for sessions that run single-threaded
    (int8, one sentence per run): ONNX Runtime releases the GIL while a graph runs. The thread
    pool is made on first use, so an owner pickled before it (a worker's classifier) never
    carries one."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._pool: ThreadPoolExecutor | None = None

    def map(self, run: Callable[[T], R], items: Sequence[T], threads: int) -> list[R]:
        """`run` over `items`, in order: on `threads` threads where there are several items."""
        if threads <= 1 or len(items) <= 1:
            return [run(item) for item in items]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(threads, self.name)
        return list(self._pool.map(run, items))


class OnnxMiniLMClassifier:
    """Drop-in for `MiniLMClassifier.predict_proba`, run by ONNX Runtime on the CPU.

    With one sentence per run (int8), a run is too small for several threads to share: the
    session runs single-threaded and several sentences run at once (ONNX Runtime releases the
    GIL and a session may run from several threads): `$ST_NLP_MINILM_THREADS` of them, default
    as many as torch is allowed threads. Measured with two on 2 cores: 2.0 -> 1.3 ms a
    sentence, the same scores.
    """

    labels: tuple[Label, ...] = LABELS

    def __init__(self, tokenizer: Any, path: Path, runtime: str, batch_size: int = 16) -> None:
        self.concurrent = minilm_threads() if batch_size == 1 else 1
        self.session = cpu_session(path, threads=1 if batch_size == 1 else None)
        self.tokenizer = tokenizer
        self.name = f"minilm_head.v1+{runtime}"
        self.runtime = runtime
        self.batch_size = batch_size
        self._side_by_side = SideBySide("st-nlp-minilm")

    def _run(self, batch: dict[str, torch.Tensor]) -> np.ndarray:
        logits: np.ndarray = self.session.run(
            ["logits"],
            {
                "input_ids": batch["input_ids"].numpy(),
                "attention_mask": batch["attention_mask"].numpy(),
            },
        )[0]
        return logits

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.start(texts)()

    def start(self, texts: Sequence[str]) -> Callable[[], np.ndarray]:
        """Tokenize `texts` now; the returned call runs the graphs and gives the
        probabilities. Between the two the caller may start Python work in another thread
        (`st_nlp.overlap`): it then runs while the graphs do, not while this thread tokenizes.
        """
        batches = list(_batches_by_length(texts, self.tokenizer, self.batch_size))

        def finish() -> np.ndarray:
            out = np.zeros((len(texts), len(self.labels)), dtype=np.float64)
            results = self._side_by_side.map(
                self._run, [batch for _, batch in batches], self.concurrent
            )
            for (index, _), logits in zip(batches, results, strict=True):
                out[index] = 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))
            return out

        return finish


def to_onnx(minilm: MiniLMClassifier, model_key: str, runtime: str) -> OnnxMiniLMClassifier:
    """The ONNX Runtime version of `minilm` (built once per model and versions, then cached).

    `model_key` identifies the weights (e.g. the checksums in the model folder's config).
    """
    if runtime not in ("onnx-fp32", "onnx-int8"):
        raise ValueError(
            f"runtime {runtime!r} is invalid; must be one of ['onnx-fp32', 'onnx-int8']"
        )
    quantize = runtime == "onnx-int8"
    path = cached_graph(
        "minilm",
        _fingerprint(model_key, quantize),
        lambda target: _export(minilm, target, quantize),
    )
    # int8: one sentence per run. Dynamic quantization scales activations per tensor, so in a
    # padded batch a sentence's scores would depend on its batch-mates; alone they do not.
    return OnnxMiniLMClassifier(minilm.tokenizer, path, runtime, batch_size=1 if quantize else 16)
