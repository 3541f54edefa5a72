"""Same-width normalization of the spaces and line breaks that editors paste into notes.

Text copied from word processors and web forms carries non-breaking and typographic spaces
(U+00A0, U+2009, U+202F, ...) and, from old systems, lone carriage returns as line breaks.
spaCy's tokenizer splits only on the ASCII space, so "Mother\u00a0failed to protect" becomes one
token "Mother\u00a0failed" and no rule matches; a lone "\r" is no line break to the sentence
hints. Each such character is replaced by one ASCII space or "\n": the text keeps its length,
so every offset computed on the normalized text indexes the caller's text unchanged, and the
sentences returned are slices of the caller's own text.
"""

from __future__ import annotations

import re

_WIDE_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_LONE_CARRIAGE_RETURN = re.compile(r"\r(?!\n)")


def same_width(text: str) -> str:
    """`text` with typographic spaces as " " and lone carriage returns as "\n"; same length."""
    return _LONE_CARRIAGE_RETURN.sub("\n", _WIDE_SPACES.sub(" ", text))
