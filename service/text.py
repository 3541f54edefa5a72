"""Text at the HTTP edge: UTF-16 offsets for LanguageTool clients, lone surrogates, and the
control characters that must never be echoed. (The reviewer itself reads NFC and maps offsets
back to the text it was given: `st_nlp.normal_form`.)"""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def has_lone_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def utf16_offset(text: str, index: int) -> int:
    """Position `index` (code points) of `text` in UTF-16 code units, as LanguageTool counts."""
    prefix = text[:index]
    return index + sum(1 for c in prefix if ord(c) > 0xFFFF)
