"""Text at the HTTP edge: NFC normalization with offsets mapped back, UTF-16 offsets for
LanguageTool clients, and the control characters that must never be echoed.

The reviewer works on NFC-normalized text (so "é" typed as e + combining accent is the same
word as "é"), but callers get offsets into the text they sent. Normalization runs per
"normalization unit" (a starter character and the combining marks after it), which keeps an
exact map from normalized positions back to original positions.
"""

from __future__ import annotations

import re
import unicodedata

CONTROL_CHARACTERS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def has_lone_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """NFC text and, for each of its positions (plus the end), the original position."""
    if unicodedata.is_normalized("NFC", text):
        return text, list(range(len(text) + 1))
    pieces: list[str] = []
    mapping: list[int] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or unicodedata.combining(text[i]) == 0:
            unit = unicodedata.normalize("NFC", text[start:i])
            pieces.append(unit)
            mapping.extend([start] * len(unit))
            start = i
    mapping.append(len(text))
    return "".join(pieces), mapping


def utf16_offset(text: str, index: int) -> int:
    """Position `index` (code points) of `text` in UTF-16 code units, as LanguageTool counts."""
    prefix = text[:index]
    return index + sum(1 for c in prefix if ord(c) > 0xFFFF)
