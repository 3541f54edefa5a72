"""The frozen MiniLM base, served by ONNX Runtime for the readers that never train it.

The span tagger and the rewrite retrieval read the packaged MiniLM's token states for one or a
few sentences at a time, while a caseworker waits. For such small inputs eager PyTorch spends
most of its time in per-operator overhead; ONNX Runtime's fused graph gives the same states
about 2.7 times faster (one 19-token sentence on 2 cores: 8.1 ms → 3.0 ms; largest absolute
difference 2e-6). `onnx-fp32` serves that graph.

`onnx-int8` serves it with int8 dynamic quantization, about twice as fast again (one 25-token
sentence on 2 cores: 5.8 ms → 2.8 ms). Quantization moves the states (by up to about 0.7); the
span tagger, trained on the fp32 states, reads them with its labels unchanged on dev and its
spans' edges moved now and then (exact span F1 0.427 → 0.424, overlap 0.779 → 0.772). A head
retrained on the int8 states did worse (exact 0.396; README, "Performance"). Dynamic
quantization scales activations per tensor, so in a padded batch a sentence's states would
depend on its batch-mates: int8 runs every sentence alone, and the same sentence always gets
the same states.

Like `onnx_minilm`, the files are exported on first use into the cache folder, keyed by the
installed weights and the exporter and runtime versions; they hold weights only, never text.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from threading import Lock
from types import SimpleNamespace
from typing import Any

import numpy as np
import torch
from torch import nn
from transformers import AutoTokenizer, PreTrainedTokenizerBase

from st_nlp.classifiers.export_cache import cached_graph
from st_nlp.classifiers.minilm import base_model_path, frozen_base
from st_nlp.classifiers.onnx_minilm import (
    SideBySide,
    cpu_session,
    export_graph,
    minilm_threads,
)
from st_nlp.review_cache import LruMemo

EXPORT_VERSION = "1"
# Single-sentence inputs whose states are kept (`OnnxEncoder`): a few notes' worth of edits.
RECENT_INPUTS = 32
WEIGHTS_FILE = "model.safetensors"


class _States(nn.Module):
    """The encoder's last hidden states, as the exported graph's only output."""

    def __init__(self, encoder: Any) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        states: torch.Tensor = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask
        ).last_hidden_state
        return states


def _fingerprint() -> str:
    """Which weights and versions the exported file depends on (the weights file's size and
    modification time change whenever the package is reinstalled)."""
    import onnxruntime

    weights = base_model_path() / WEIGHTS_FILE
    stat = weights.stat()
    parts = [
        str(weights),
        str(stat.st_size),
        str(stat.st_mtime_ns),
        EXPORT_VERSION,
        torch.__version__,
        onnxruntime.__version__,
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def _export(target: Path) -> None:
    """Export the frozen base into a temporary file, then rename: safe under races."""
    tokenizer, encoder = frozen_base()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        produced = Path(tmp) / "base.onnx"
        axes = {0: "batch", 1: "tokens"}
        export_graph(_States(encoder).eval(), tokenizer, produced, "last_hidden_state", axes)
        os.replace(produced, target)
    frozen_base.cache_clear()  # the torch copy was only needed to export


def _export_int8(target: Path) -> None:
    """Quantize the fp32 graph (exported first where it is missing) into `target`."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = cached_graph("minilm-base", _fingerprint(), _export)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        produced = Path(tmp) / "base.int8.onnx"
        quantize_dynamic(fp32, produced, weight_type=QuantType.QInt8, per_channel=True)
        os.replace(produced, target)


class OnnxEncoder:
    """Drop-in for the frozen base's forward pass: `encoder(**tokenized).last_hidden_state`.

    The states of the last few single-sentence inputs are kept: the span tagger and the
    example retrieval both read the frozen base, and while a caseworker edits a note each of
    them asks for the one new sentence in turn. The key is the exact input (a SHA-256 digest of
    the token ids and mask: no text is held), so a hit returns the states a run gave for that
    very input.

    With `alone` (int8), every sentence of a batch runs by itself, without its padding, and
    each is kept like a single input (its states do not depend on the batch); several run at
    once on single-threaded sessions, as the int8 classifier's do (`OnnxMiniLMClassifier`).
    The padding positions of the returned states are zeros: every reader masks them.
    """

    def __init__(
        self,
        path: Path,
        recent: int = RECENT_INPUTS,
        threads: int | None = None,
        alone: bool = False,
    ) -> None:
        self.alone = alone
        self.concurrent = (threads or minilm_threads()) if alone else 1
        self.session = cpu_session(path, 1 if alone else threads)
        # What readers ask of a transformers config: the width of the states.
        self.config = SimpleNamespace(hidden_size=int(self.session.get_outputs()[0].shape[-1]))
        # No memo with `recent=0`; LruMemo keys are SHA-256 digests, so no token ids are held.
        self._recent: LruMemo[np.ndarray] | None = (
            LruMemo("frozen-base-states", recent) if recent else None
        )
        self._side_by_side = SideBySide("st-nlp-frozen-base")
        self.runs = 0  # graph runs, kept states not counted
        self._runs_lock = Lock()  # int8 sentences run from several threads

    def eval(self) -> OnnxEncoder:
        return self  # always in inference mode

    def _states(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """One graph run, or the kept states where `ids` is a single input seen lately."""

        def run(_: str) -> np.ndarray:
            with self._runs_lock:
                self.runs += 1
            states: np.ndarray = self.session.run(
                ["last_hidden_state"], {"input_ids": ids, "attention_mask": mask}
            )[0]
            return states

        if len(ids) == 1 and self._recent is not None:
            return self._recent.get(f"{ids.tobytes().hex()}|{mask.tobytes().hex()}", run)
        return run("")

    def _alone(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Each row's states from a run of its unpadded tokens, padded back with zeros."""
        states = np.zeros((*ids.shape, self.config.hidden_size), dtype=np.float32)
        kept = [np.flatnonzero(row) for row in mask]

        def one(row: int) -> np.ndarray:
            positions = kept[row]
            return self._states(ids[row : row + 1, positions], mask[row : row + 1, positions])

        rows = range(len(ids))
        results = self._side_by_side.map(one, rows, self.concurrent)
        for row, result in zip(rows, results, strict=True):
            states[row, kept[row]] = result[0]
        return states

    def __call__(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, **_: Any
    ) -> SimpleNamespace:
        """Token states; other tokenizer outputs (token type ids, all zeros for single
        sentences) are accepted and ignored, as the base's defaults are the same."""
        ids = input_ids.numpy().astype(np.int64)
        mask = attention_mask.numpy().astype(np.int64)
        states = self._alone(ids, mask) if self.alone else self._states(ids, mask)
        # A copy: callers own their tensor, the kept states stay as computed.
        return SimpleNamespace(last_hidden_state=torch.from_numpy(states.copy()))


@lru_cache(maxsize=1)
def _tokenizer() -> PreTrainedTokenizerBase:
    tokenizer: PreTrainedTokenizerBase = AutoTokenizer.from_pretrained(  # type: ignore[no-untyped-call]
        base_model_path(), local_files_only=True
    )
    return tokenizer


@lru_cache(maxsize=3)
def frozen_encoder(runtime: str = "torch") -> tuple[PreTrainedTokenizerBase, Any]:
    """The frozen base as (tokenizer, encoder) for `runtime`: eager PyTorch for `torch`, else
    the ONNX Runtime graph, fp32 or int8 (see the module's docstring). One shared copy per
    process and runtime."""
    if runtime == "torch":
        return frozen_base()
    if runtime == "onnx-int8":
        path = cached_graph("minilm-base-int8", _fingerprint(), _export_int8)
        return _tokenizer(), OnnxEncoder(path, alone=True)
    path = cached_graph("minilm-base", _fingerprint(), _export)
    # One sentence at a time while a caseworker waits: a single fp32 run does gain from a
    # second thread (2 cores: 4.0 -> 2.6 ms a sentence), so it may use the threads the int8
    # MiniLM's side-by-side runs use (`$ST_NLP_MINILM_THREADS`, set by the service's worker).
    return _tokenizer(), OnnxEncoder(path, threads=minilm_threads())
