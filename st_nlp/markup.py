"""Notes exported with HTML markup, read as a browser shows them, offsets kept in the caller's text.

Case management systems keep notes written in rich-text editors; their exports and copies carry
tags ("<p>", "<br>", "<b>") and character references ("&nbsp;", "&#39;", "&amp;"). Read
literally, a tag is a word that can split a sentence or join two, and "don&#39;t" or
"failed&nbsp;to protect" is no wording a rule knows. `plain_view` gives the text a browser
shows: block-level tags as line breaks, table cells as spaces, inline tags as nothing and
references as their characters, with, for each character of the view, the span of the
caller's text it came from, so that offsets found in the view map back (`PlainView.span`).

Only the tags of rich-text editors and word processors (a fixed list) and references that
`html.unescape` knows are read: "<unclear>" in a dictated note, "x < y" or "AT&T" stay as
written.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

# Tags after which a browser starts a new line (and so a new sentence for `sentence_hints`).
BLOCK_TAGS = frozenset(
    "p br div li ul ol dl dt dd tr table thead tbody tfoot h1 h2 h3 h4 h5 h6 blockquote hr"
    " pre section article header footer caption".split()
)
# Tags that separate what they hold from its neighbours on the same line.
CELL_TAGS = frozenset({"td", "th"})
# Tags that only style what they hold; "o:p" is Word's paragraph marker in pasted HTML.
INLINE_TAGS = frozenset(
    "b i u em strong span font a sup sub s strike small big mark code abbr ins del label"
    " o:p".split()
)
_MARKUP = re.compile(
    r"<(?P<closing>/?)(?P<name>[a-zA-Z][a-zA-Z0-9]*(?::[a-zA-Z]+)?)(?:\s[^<>]*)?/?>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});"
)


@dataclass(frozen=True)
class Piece:
    """A run of the view: from `shown_at` on, either a one-to-one copy of the caller's text
    from `source_start` (`copied`), or characters that all come from the caller's
    `source_start:source_end` (a tag or a reference)."""

    shown_at: int
    source_start: int
    source_end: int
    copied: bool


class PlainView:
    """`text` as shown, and where each of its characters came from in the caller's text, in
    runs (`Piece`): a megabyte note costs a few entries per tag, not one per character. With
    no pieces the view is the caller's text itself."""

    def __init__(self, text: str, pieces: Sequence[Piece] = ()) -> None:
        self.text = text
        self.pieces = tuple(pieces)
        self._starts = [piece.shown_at for piece in self.pieces]

    @property
    def is_identity(self) -> bool:
        return not self.pieces

    def source(self, index: int) -> tuple[int, int]:
        """The caller's span that the view's character at `index` came from."""
        if not self.pieces:
            return index, index + 1
        piece = self.pieces[bisect_right(self._starts, index) - 1]
        if piece.copied:
            at = piece.source_start + index - piece.shown_at
            return at, at + 1
        return piece.source_start, piece.source_end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The caller's span for the view's `start:end` (a character from markup maps to the
        whole tag or reference it came from)."""
        if not self.pieces:
            return start, end
        if start >= end:
            at = self.source(start)[0] if start < len(self.text) else self.pieces[-1].source_end
            return at, at
        return self.source(start)[0], self.source(end - 1)[1]


class ViewBuilder:
    """Builds a `PlainView` left to right: text copied as it is, or shown for a source span."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pieces: list[Piece] = []
        self.length = 0

    def copy(self, text: str, source_start: int) -> None:
        """`text`, which is the caller's text from `source_start` on, shown as it is."""
        self._add(text, Piece(self.length, source_start, source_start + len(text), True))

    def show(self, shown: str, source_start: int, source_end: int) -> None:
        """`shown` for the caller's `source_start:source_end` (nothing shown: nothing kept)."""
        self._add(shown, Piece(self.length, source_start, source_end, False))

    def _add(self, text: str, piece: Piece) -> None:
        if text:
            self.parts.append(text)
            self.pieces.append(piece)
            self.length += len(text)

    def view(self) -> PlainView:
        return PlainView("".join(self.parts), self.pieces)


def _shown(match: re.Match[str]) -> str | None:
    """What a browser shows for one tag or reference; None for what is not read as markup."""
    name = match.group("name")
    if name is None:  # a character reference
        decoded = html.unescape(match.group(0))
        return None if decoded == match.group(0) else decoded
    name = name.lower()
    if name in BLOCK_TAGS:
        return "\n"
    if name in CELL_TAGS:
        return " " if match.group("closing") else ""
    if name in INLINE_TAGS:
        return ""
    return None


def plain_view(text: str) -> PlainView:
    """`text` with its rich-text markup read (see the module docstring)."""
    if "<" not in text and "&" not in text:
        return PlainView(text)
    builder = ViewBuilder()
    position = 0
    for match in _MARKUP.finditer(text):
        shown = _shown(match)
        if shown is None:
            continue
        builder.copy(text[position : match.start()], position)
        builder.show(shown, match.start(), match.end())
        position = match.end()
    if position == 0:
        return PlainView(text)
    builder.copy(text[position:], position)
    return builder.view()
