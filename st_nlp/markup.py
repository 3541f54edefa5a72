"""Notes exported with HTML markup, read as a browser shows them, offsets kept in the caller's text.

Case management systems keep notes written in rich-text editors; their exports and copies carry
tags ("<p>", "<br>", "<b>") and character references ("&nbsp;", "&#39;", "&amp;"). Read
literally, a tag is a word that can split a sentence or join two, and "don&#39;t" or
"failed&nbsp;to protect" is no wording a rule knows. `plain_view` gives the text a browser
shows: block-level tags as line breaks, table cells as spaces, inline tags as nothing and
references as their characters, with, for each character of the view, the span of the
caller's text it came from, so that offsets found in the view map back (`st_nlp.text_view`).

Only the tags of rich-text editors and word processors (a fixed list) and references that
`html.unescape` knows are read: "<unclear>" in a dictated note, "x < y" or "AT&T" stay as
written.
"""

from __future__ import annotations

import html
import re

from st_nlp.text_view import TextView, ViewBuilder

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


def plain_view(text: str) -> TextView:
    """`text` with its rich-text markup read (see the module docstring)."""
    if "<" not in text and "&" not in text:
        return TextView(text)
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
        return TextView(text)
    builder.copy(text[position:], position)
    return builder.view()
