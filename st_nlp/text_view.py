"""A view of the caller's text: what the reader reads, and where each of its characters came from.

The reviewer reads a note as it is meant (Unicode NFC, `st_nlp.normal_form`; rich-text markup
as a browser shows it, `st_nlp.markup`), but every offset it reports indexes the text the
caller sent. A `TextView` holds the text read and, in runs (`Piece`), the caller's span each
of its characters came from; `chain` joins two views made one after the other.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Piece:
    """A run of the view: from `shown_at` on, either a one-to-one copy of the caller's text
    from `source_start` (`copied`), or characters that all come from the caller's
    `source_start:source_end` (a tag, a reference, a character put in NFC)."""

    shown_at: int
    source_start: int
    source_end: int
    copied: bool


class TextView:
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

    def runs(self) -> list[tuple[Piece, str]]:
        """Each piece with the characters of the view it covers."""
        ends = [*self._starts[1:], len(self.text)]
        return [
            (piece, self.text[piece.shown_at : end])
            for piece, end in zip(self.pieces, ends, strict=True)
        ]

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
    """Builds a `TextView` left to right: text copied as it is, or shown for a source span."""

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

    def view(self) -> TextView:
        return TextView("".join(self.parts), self.pieces)


def chain(first: TextView, second: TextView) -> TextView:
    """`second`, a view of `first.text`, as a view of the text `first` was made of."""
    if second.is_identity:
        return TextView(second.text, first.pieces)
    if first.is_identity:
        return second
    builder = ViewBuilder()
    inner_runs = first.runs()
    for piece, text in second.runs():
        if not piece.copied:
            builder.show(text, *first.span(piece.source_start, piece.source_end))
            continue
        # A copy of `first.text[start:end]`: it maps through the runs of `first` it covers.
        start, end = piece.source_start, piece.source_end
        k = max(0, bisect_right(first._starts, start) - 1)
        while k < len(inner_runs) and inner_runs[k][0].shown_at < end:
            inner, inner_text = inner_runs[k]
            lo = max(start, inner.shown_at)
            hi = min(end, inner.shown_at + len(inner_text))
            if lo < hi:
                part = first.text[lo:hi]
                if inner.copied:
                    builder.copy(part, inner.source_start + lo - inner.shown_at)
                else:
                    builder.show(part, inner.source_start, inner.source_end)
            k += 1
    return builder.view()
