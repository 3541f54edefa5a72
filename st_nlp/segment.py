"""Sentence segmentation tuned for case notes, with exact character offsets.

Case notes break the assumptions of news-trained sentence splitters: shorthand with periods
("Mr.", "y.o.", "D.O.B.", "10:30 a.m."), initials ("J.R."), bullet lines, headers run into the
text ("Safety Assessment: BM reports..."), quotes that contain full stops, and line breaks that
end an item without any punctuation. A small pipeline component (`SENTENCE_HINTS`) presets
`Token.is_sent_start` from the line structure before spaCy's dependency parser runs; the parser
respects preset boundaries and decides the remaining ones.

Offsets are Python string indices (Unicode code points) into the text that was passed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

SENTENCE_HINTS = "st_nlp_sentence_hints"

MAX_NOTE_CHARS = 1_000_000

# Titles and initials never end a sentence: "Mr. Reed", "Dr. Okafor", "J. R. Smith".
_TITLES = frozenset(
    t.lower()
    for t in (
        "Mr.",
        "Ms.",
        "Mrs.",
        "Mx.",
        "Dr.",
        "Sgt.",
        "Det.",
        "Ofc.",
        "Off.",
        "Atty.",
        "Hon.",
        "Lt.",
        "Cpl.",
        "Capt.",
        "Rev.",
        "Prof.",
        "St.",
        "Jr.",
        "Sr.",
        "vs.",
        "v.",
        "No.",
        "Apt.",
        "approx.",
        "appt.",
        "e.g.",
        "i.e.",
    )
)
# Shorthand that usually continues the sentence unless a capitalized word follows.
_UNIT_ABBREVIATIONS = frozenset(("hrs.", "yrs.", "mos.", "wks."))
_SOFT_ABBREVIATIONS = frozenset(
    t.lower() for t in ("y.o.", "D.O.B.", "DOB.", "hrs.", "yrs.", "mos.", "wks.", "a.m.", "p.m.")
)
_INITIAL = re.compile(r"^[A-Z]\.$|^(?:[A-Z]\.){2,4}$")
# A line break with the whitespace around it, and the marks that end a sentence at a line's end.
_LINE_BREAK = re.compile(r"[^\S\n]*\n\s*")
_TERMINAL_MARKS = frozenset('.!?:;"”')
# The symbols that start a bulleted line ("- ", "• ", "> "), for here and the rewriter.
BULLET_SYMBOLS = "-*•·▪‣◦–—>"
_BULLET = re.compile(rf"^(?:[{re.escape(BULLET_SYMBOLS)}]|\(?\d{{1,2}}[.)]|\(?[a-zA-Z][.)])$")
_HEADER_WORD = re.compile(r"^(?:[A-Z][A-Za-z'/&-]*|[0-9/.-]+|&|/|-|of|and|the|to|for|with)$")
_CONTINUATION_WORDS = frozenset(
    "and or but the a an to of with w/ at in on for by from as which who that because when if"
    " while than into onto about".split()
)
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may"
    " june july august september october november december jan feb mar apr jun jul aug sep sept"
    " oct nov dec".split()
)
_OPEN_QUOTES = frozenset({'"', "“"})
_CLOSE_QUOTES = frozenset({'"', "”"})


@dataclass(frozen=True)
class Sentence:
    """A sentence of a note: its text and where it sits in the note (code-point offsets)."""

    text: str
    start: int
    end: int


@Language.component(SENTENCE_HINTS)
def sentence_hints(doc: Doc) -> Doc:
    """Preset sentence starts from line structure, headers, bullets, quotes and shorthand."""
    lines = list(_lines(doc))
    text = doc.text  # built from the tokens on each access: once per doc, not once per line
    for line_index, line in enumerate(lines):
        first = line[0]
        first.is_sent_start = line_index == 0 or _starts_new_item(text, lines[line_index - 1], line)
        _hint_within_line(line)
    return doc


def _lines(doc: Doc) -> Iterator[list[Token]]:
    """Yield the non-space tokens of each line of the document."""
    current: list[Token] = []
    for token in doc:
        if token.is_space:
            if "\n" in token.text and current:
                yield current
                current = []
            continue
        current.append(token)
        if "\n" in token.whitespace_ and current:
            yield current
            current = []
    if current:
        yield current


def _blank_line_between(text: str, previous: list[Token], line: list[Token]) -> bool:
    gap = text[previous[-1].idx + len(previous[-1].text) : line[0].idx]
    return gap.count("\n") >= 2


def _starts_new_item(text: str, previous: list[Token], line: list[Token]) -> bool:
    """True when a line break ends the sentence, False for a hard-wrapped sentence."""
    if _blank_line_between(text, previous, line):
        return True
    first = line[0]
    if _BULLET.match(first.text) or first.text[:1].isupper() or first.text[:1].isdigit():
        return True
    last = previous[-1]
    line_chars = previous[-1].idx + len(previous[-1].text) - previous[0].idx
    if line_chars < 60 or last.text[-1:] in {".", "!", "?", ":", ";", '"', "”"}:
        return True  # short lines are items; terminal punctuation ends the sentence
    # Line breaks in case-management systems are almost always intentional; only a long line
    # that stops on a comma or a function word is read as a hard-wrapped sentence.
    return not (last.text in {",", "(", "&"} or last.lower_ in _CONTINUATION_WORDS)


def _bullet_length(line: list[Token]) -> int:
    """How many tokens at the start of a line form its bullet or list number ("-", "1.", "(a)")."""
    texts = [t.text for t in line[:3]]
    if len(texts) >= 2 and _BULLET.match(texts[0]) and texts[0][-1:] in {".", ")"}:
        return 1
    if len(texts) >= 2 and _BULLET.match(texts[0]) and texts[0] in BULLET_SYMBOLS:
        return 1
    if len(texts) >= 3 and texts[0] == "(" and re.fullmatch(r"\d{1,2}|[a-zA-Z]", texts[1]):
        return 3 if texts[2] == ")" else 0
    if len(texts) >= 3 and re.fullmatch(r"\d{1,2}|[a-zA-Z]", texts[0]) and texts[1] in {".", ")"}:
        return 2
    return 0


def _hint_within_line(line: list[Token]) -> None:
    header_end = _run_on_header_end(line)
    bullet_end = _bullet_length(line)
    in_quote = False
    for position, token in enumerate(line):
        if position == 0:
            if token.text in _OPEN_QUOTES:
                in_quote = True
            continue
        previous = line[position - 1]
        if position == header_end:
            token.is_sent_start = True
        elif position <= bullet_end:
            token.is_sent_start = False
        elif in_quote:  # inside a quotation, including its closing mark
            token.is_sent_start = False
        elif position == 1 and previous.text[:1].isalnum() and position - 1 != header_end:
            token.is_sent_start = False  # never a one-word sentence at the start of a line
        elif previous.text in _CLOSE_QUOTES and token.text[:1].islower():
            token.is_sent_start = False
        elif previous.lower_ in _TITLES or _INITIAL.match(previous.text):
            token.is_sent_start = False
        elif previous.lower_ in _SOFT_ABBREVIATIONS and not token.text[:1].isupper():
            token.is_sent_start = False  # "6 y.o. female", "10 a.m. on 3/2"
        elif previous.lower_ in _UNIT_ABBREVIATIONS and token.lower_ not in _CALENDAR:
            token.is_sent_start = True  # "at 1530 hrs. LE responded": a count ends the clause
        # Before a capital after "a.m."/"p.m." ("at 9 p.m. FOB grabbed her" vs. "at 10 a.m.
        # BM answered"), both readings occur; the parser decides.
        elif token.is_punct and token.text not in _OPEN_QUOTES and not _BULLET.match(token.text):
            # Closing punctuation and quotes stay with the sentence they close.
            token.is_sent_start = False
        if token.text in _OPEN_QUOTES and token.text in _CLOSE_QUOTES:
            in_quote = not in_quote
        elif token.text in _OPEN_QUOTES:
            in_quote = True
        elif token.text in _CLOSE_QUOTES:
            in_quote = False


def _run_on_header_end(line: list[Token]) -> int | None:
    """Position of the first token after a short "Header:" that starts a line, if any."""
    start = _bullet_length(line)
    for position in range(start, min(len(line), start + 7)):
        token = line[position]
        if token.text == ":":
            words = line[start:position]
            if (
                words
                and position + 1 < len(line)
                and all(_HEADER_WORD.match(w.text) for w in words)
                and words[0].text[:1].isupper()
            ):
                return position + 1
            return None
        if not _HEADER_WORD.match(token.text):
            return None
    return None


def sentence_spans(doc: Doc) -> list[Span]:
    """The sentences of a processed doc, trimmed of surrounding whitespace, none empty."""
    spans: list[Span] = []
    for sent in doc.sents:
        tokens = [t for t in sent if not t.is_space]
        if not tokens:
            continue
        span = doc[tokens[0].i : tokens[-1].i + 1]
        if spans and all(t.is_punct for t in span):
            # A stray closing quote or bracket belongs to the sentence before it.
            spans[-1] = doc[spans[-1].start : span.end]
            continue
        spans.append(span)
    return spans


def check_length(text: str) -> None:
    """Refuse texts longer than `MAX_NOTE_CHARS`, with a message that names the limit."""
    if len(text) > MAX_NOTE_CHARS:
        raise ValueError(
            f"note is {len(text)} characters long; the limit is {MAX_NOTE_CHARS} characters"
        )


def note_blocks(text: str) -> list[str]:
    """`text` cut into blocks at the line breaks that always start a new sentence; the blocks
    concatenate back to `text` exactly (each keeps its trailing whitespace).

    A block starts after a blank line, at a line whose first character is an uppercase letter
    or a digit, or after a line ending in terminal punctuation: for each of these,
    `sentence_hints` presets a sentence start, so no sentence ever crosses a block boundary.
    Parsing blocks on their own (`parse_notes`) lets a re-sent note reuse the parses of the
    blocks it did not change; an edit re-parses one block, not the whole note.
    """
    blocks: list[str] = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        end = match.end()
        # The match took the whitespace around the break, so the character before it is the
        # previous line's last one (no slicing: a megabyte note with many breaks stays linear).
        if end >= len(text) or match.start() <= start:
            continue
        following = text[end]
        if (
            match.group().count("\n") >= 2
            or following.isupper()
            or following.isdigit()
            or text[match.start() - 1] in _TERMINAL_MARKS
        ):
            blocks.append(text[start:end])
            start = end
    blocks.append(text[start:])
    return blocks


def join_blocks(docs: Sequence[Doc]) -> Doc:
    """One doc from the parsed blocks of a note (a new doc; the block docs are not changed)."""
    return Doc.from_docs(list(docs), ensure_whitespace=False)


def parse_notes(nlp: Language, texts: Sequence[str], batch_size: int = 32) -> list[Doc]:
    """Each text parsed block by block (`note_blocks`), the blocks of all texts in one batch."""
    blocks = [note_blocks(text) for text in texts]
    parsed = iter(nlp.pipe([b for per_text in blocks for b in per_text], batch_size=batch_size))
    return [join_blocks([next(parsed) for _ in per_text]) for per_text in blocks]


def segment(text: str, nlp: Language | None = None) -> list[Sentence]:
    """Split a case note into sentences with exact code-point offsets into `text`."""
    check_length(text)
    if not text.strip():
        return []
    if nlp is None:
        from st_nlp.nlp import load_pipeline

        nlp = load_pipeline(disable=("ner", "lemmatizer"))
    doc = parse_notes(nlp, [text])[0]
    return [Sentence(span.text, span.start_char, span.end_char) for span in sentence_spans(doc)]
