"""Unicode NFC for the reader, offsets kept in the caller's text.

"é" typed as "e" plus a combining accent (as some keyboards, PDFs and macOS file names give it)
is two code points, and spaCy, the rules and the name checks read it as another word than the
one-code-point "é". The reviewer reads NFC; `nfc_view` normalizes one normalization unit at a
time (a starter and the combining marks after it), so that each changed unit maps back to the
caller's code points (`st_nlp.text_view`).
"""

from __future__ import annotations

import unicodedata

from st_nlp.text_view import TextView, ViewBuilder


def nfc_view(text: str) -> TextView:
    """`text` in NFC, with the map back to `text`."""
    if unicodedata.is_normalized("NFC", text):
        return TextView(text)
    builder = ViewBuilder()
    copied_from = 0
    start = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and unicodedata.combining(text[i]) != 0:
            continue
        unit = text[start:i]
        normal = unicodedata.normalize("NFC", unit)
        if normal != unit:
            builder.copy(text[copied_from:start], copied_from)
            builder.show(normal, start, i)
            copied_from = i
        start = i
    builder.copy(text[copied_from:], copied_from)
    return builder.view()
