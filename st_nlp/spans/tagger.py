"""A learned tagger for the exact words of blaming language, beside the hand-written rules.

The rules know the classic phrases and say precisely why each is a problem, but writers find
endless other wordings ("her story keeps changing", "the parents' DV"). The tagger learns the
annotators' spans: a small bidirectional LSTM over the frozen MiniLM token states, predicting
BIO tags with one of the five subtypes. The committed artifact is just the LSTM and its output
layer (about 2 MB); the MiniLM weights come from the installed package.

The tagger runs only on sentences the classifier already labels as blaming language, and the
reviewer keeps a rule's finding wherever one fired (rules carry messages and rationales); the
tagger fills in the spans no rule knows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn
from transformers import PreTrainedTokenizerBase

from st_nlp.classifiers.minilm import frozen_base
from st_nlp.taxonomy import BlameSubtype

ARTIFACT = "span_tagger.safetensors"
SUBTYPES: tuple[str, ...] = tuple(str(s) for s in BlameSubtype)
TAGS: tuple[str, ...] = ("O", *(f"{p}-{s}" for s in SUBTYPES for p in ("B", "I")))
IGNORE = -100
MAX_LENGTH = 128


@dataclass(frozen=True)
class TaggerSettings:
    lstm_size: int = 128
    dropout: float = 0.25
    epochs: int = 30
    batch_size: int = 32
    learning_rate: float = 2e-3
    negatives_per_positive: float = 1.0
    seed: int = 17


@dataclass(frozen=True)
class TaggedSpan:
    start: int
    end: int
    subtype: str
    score: float


class _Head(nn.Module):
    def __init__(self, hidden: int, settings: TaggerSettings) -> None:
        super().__init__()
        self.lstm = nn.LSTM(hidden, settings.lstm_size, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(settings.dropout)
        self.out = nn.Linear(2 * settings.lstm_size, len(TAGS))

    def forward(self, states: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        if bool((lengths == states.shape[1]).all()):
            # No padding (one sentence, as while a caseworker types): packing would change
            # nothing but cost a third of the head's time.
            output = self.lstm(states)[0]
        else:
            output = self._packed(states, lengths)
        logits: torch.Tensor = self.out(self.dropout(output))
        return logits

    def _packed(self, states: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """The LSTM's outputs for padded rows: packed, so padding never reaches a state."""
        packed = nn.utils.rnn.pack_padded_sequence(
            states, lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        output, _ = self.lstm(packed)
        padded: torch.Tensor = nn.utils.rnn.pad_packed_sequence(
            output, batch_first=True, total_length=states.shape[1]
        )[0]
        return padded


def token_tags(offsets: list[tuple[int, int]], spans: Sequence[tuple[int, int, str]]) -> list[int]:
    """BIO tag ids for tokens with character `offsets`; special tokens get IGNORE."""
    tags: list[int] = []
    previous: tuple[int, int, str] | None = None
    for start, end in offsets:
        if start == end:
            tags.append(IGNORE)
            continue
        inside = next((s for s in spans if start < s[1] and s[0] < end), None)
        if inside is None:
            tags.append(0)
        else:
            prefix = "I" if inside == previous else "B"
            tags.append(TAGS.index(f"{prefix}-{inside[2]}"))
        previous = inside
    return tags


# Decoding: a token is inside a span when the tags that say "inside some span" (any B or I)
# hold at least IN_SPAN of its probability mass, summed over subtypes: argmax over eleven tags
# let "O" win with 0.4 against 0.6 spread over several subtypes, and a subtype switch mid-phrase
# split "engage in arguments with father" into three spans. A single token between two inside
# tokens joins them when its inside mass is at least BRIDGE ("engage [in] arguments"). The
# span's subtype is the one with the most mass over its tokens. Chosen on the dev split
# (`st-nlp evaluate --split dev`, with the model of corpus rounds 1-2): exact-offset span F1
# 0.268 -> 0.289, overlap 0.695 -> 0.705.
IN_SPAN = 0.5
BRIDGE = 0.15
_BEGIN = np.array([TAGS.index(f"B-{s}") for s in SUBTYPES])
_INSIDE = np.array([TAGS.index(f"I-{s}") for s in SUBTYPES])


def decode(
    text: str, offsets: list[tuple[int, int]], probabilities: np.ndarray
) -> list[TaggedSpan]:
    """Runs of tokens inside a span -> character spans expanded to whole words."""
    tokens = [(start, end, row) for (start, end), row in zip(offsets, probabilities, strict=True)]
    tokens = [token for token in tokens if token[0] != token[1]]
    mass = [1.0 - float(row[0]) for _, _, row in tokens]
    inside = [m >= IN_SPAN for m in mass]
    for k in range(1, len(tokens) - 1):
        if not inside[k] and inside[k - 1] and inside[k + 1] and mass[k] >= BRIDGE:
            inside[k] = True
    runs: list[list[Any]] = []  # [start, end, [rows]]
    for k, (start, end, row) in enumerate(tokens):
        if not inside[k]:
            continue
        # A new span starts after an outside token, or where the tagger says "begin" at a new
        # word (a word piece always continues its word).
        if (
            k > 0
            and inside[k - 1]
            and (row[_INSIDE].sum() >= row[_BEGIN].sum() or start <= runs[-1][1])
        ):
            runs[-1][1] = end
            runs[-1][2].append(row)
        else:
            runs.append([start, end, [row]])
    return [_span(text, start, end, rows) for start, end, rows in runs]


def _span(text: str, start: int, end: int, rows: list[np.ndarray]) -> TaggedSpan:
    total = np.sum(rows, axis=0)
    subtype = SUBTYPES[int(np.argmax(total[_BEGIN] + total[_INSIDE]))]
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    score = float(np.mean([1.0 - row[0] for row in rows]))
    return TaggedSpan(start, end, subtype, round(score, 4))


class SpanTagger:
    """BIO tagger for blaming spans; `predict` returns character spans per text."""

    def __init__(
        self,
        tokenizer: PreTrainedTokenizerBase,
        encoder: Any,
        head: _Head,
        settings: TaggerSettings,
    ) -> None:
        self.tokenizer = tokenizer
        self.encoder = encoder.eval()
        self.head = head.eval()
        self.settings = settings

    @staticmethod
    def _base() -> tuple[PreTrainedTokenizerBase, Any]:
        return frozen_base()

    def _encode(
        self, texts: Sequence[str]
    ) -> Iterator[tuple[list[int], torch.Tensor, torch.Tensor, list[list[tuple[int, int]]]]]:
        """Frozen token states in length-sorted batches, with offsets and original positions."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        size = self.settings.batch_size
        for first in range(0, len(order), size):
            index = order[first : first + size]
            encoded = self.tokenizer(
                [texts[i] for i in index],
                padding=True,
                truncation=True,
                max_length=MAX_LENGTH,
                return_offsets_mapping=True,
                return_tensors="pt",
            )
            offsets = [[(int(a), int(b)) for a, b in row] for row in encoded.pop("offset_mapping")]
            with torch.no_grad():
                states = self.encoder(**encoded).last_hidden_state
            lengths = encoded["attention_mask"].sum(1)
            yield index, states, lengths, offsets

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int, str]]],
        settings: TaggerSettings | None = None,
        progress: Any = None,
    ) -> SpanTagger:
        """Train on sentences with their gold blaming spans (sentence-relative offsets).

        All sentences with spans are used, plus a seeded sample of sentences without any, so the
        tagger learns where blaming words are not as well.
        """
        settings = settings or TaggerSettings()
        random.seed(settings.seed)
        torch.manual_seed(settings.seed)
        tokenizer, encoder = cls._base()
        head = _Head(encoder.config.hidden_size, settings)
        tagger = cls(tokenizer, encoder, head, settings)
        positives = [i for i, s in enumerate(spans) if s]
        negatives = [i for i, s in enumerate(spans) if not s]
        rng = random.Random(settings.seed)
        rng.shuffle(negatives)
        chosen = positives + negatives[: int(len(positives) * settings.negatives_per_positive)]
        chosen_texts = [texts[i] for i in chosen]
        batches: list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]] = []
        for index, states, lengths, offsets in tagger._encode(chosen_texts):
            tags = torch.full(states.shape[:2], IGNORE, dtype=torch.long)
            for row, (position, token_offsets) in enumerate(zip(index, offsets, strict=True)):
                ids = token_tags(token_offsets, spans[chosen[position]])
                tags[row, : len(ids)] = torch.tensor(ids)
            batches.append((states, lengths, tags))
        counts = np.bincount(
            torch.cat([t[t != IGNORE] for _, _, t in batches]).numpy(), minlength=len(TAGS)
        )
        weights = torch.tensor(
            np.sqrt(counts.sum() / np.maximum(counts, 1) / len(TAGS)), dtype=torch.float32
        ).clamp(max=10.0)
        loss_fn = nn.CrossEntropyLoss(weight=weights, ignore_index=IGNORE)
        optimizer = torch.optim.AdamW(head.parameters(), lr=settings.learning_rate)
        head.train()
        for epoch in range(settings.epochs):
            rng.shuffle(batches)
            total = 0.0
            for states, lengths, tags in batches:
                optimizer.zero_grad()
                logits = head(states, lengths)
                loss = loss_fn(logits.reshape(-1, len(TAGS)), tags.reshape(-1))
                loss.backward()
                nn.utils.clip_grad_norm_(head.parameters(), 1.0)
                optimizer.step()
                total += loss.item()
            if progress is not None:
                progress(epoch + 1, settings.epochs, total / max(len(batches), 1))
        head.eval()
        return tagger

    def predict(self, texts: Sequence[str]) -> list[list[TaggedSpan]]:
        """Blaming spans per text (character offsets into that text)."""
        results: list[list[TaggedSpan]] = [[] for _ in texts]
        if not texts:
            return results
        with torch.no_grad():
            for index, states, lengths, offsets in self._encode(texts):
                probabilities = torch.softmax(self.head(states, lengths), dim=-1).numpy()
                for row, position in enumerate(index):
                    results[position] = decode(texts[position], offsets[row], probabilities[row])
        return results

    def save(self, path: Path) -> dict[str, Any]:
        """Write the head's tensors; returns the settings for the model config."""
        save_file({k: v.contiguous() for k, v in self.head.state_dict().items()}, str(path))
        return asdict(self.settings)

    @classmethod
    def load(cls, path: Path, settings: dict[str, Any], runtime: str = "torch") -> SpanTagger:
        """The saved head on the frozen base, run by `runtime` (`torch`, or ONNX Runtime for
        `onnx-fp32`/`onnx-int8`: see `st_nlp.classifiers.onnx_encoder`). The head is trained on
        the fp32 states; int8 moves a span's edge now and then (dev: exact span F1 0.427 ->
        0.424, overlap 0.779 -> 0.772, labels the same), for a base twice as fast."""
        from st_nlp.classifiers.onnx_encoder import frozen_encoder

        parsed = TaggerSettings(**settings)
        tokenizer, encoder = frozen_encoder(runtime)
        head = _Head(encoder.config.hidden_size, parsed)
        head.load_state_dict(load_file(str(path)))
        return cls(tokenizer, encoder, head, parsed)
