from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from st_nlp.segment import MAX_NOTE_CHARS, note_blocks, segment
from st_nlp.spaces import same_width


def _texts(text: str, nlp) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.text for s in segment(text, nlp)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "CW met with BM at the home on 3/14/24 at 10:30 a.m. BM reported that Mr. Price"
            " punched her on 3/12.",
            [
                "CW met with BM at the home on 3/14/24 at 10:30 a.m.",
                "BM reported that Mr. Price punched her on 3/12.",
            ],
        ),
        (
            "Dr. J.R. Okafor examined the child, D.O.B. 4/2/2017, a 6 y.o. female.",
            ["Dr. J.R. Okafor examined the child, D.O.B. 4/2/2017, a 6 y.o. female."],
        ),
        (
            "The family has lived in the U.S. since 2019. Ms. Lee called LE at 1530 hrs. LE"
            " responded.",
            [
                "The family has lived in the U.S. since 2019.",
                "Ms. Lee called LE at 1530 hrs.",
                "LE responded.",
            ],
        ),
        (
            'Child stated "Daddy broke the door. I was scared." per MGM.',
            ['Child stated "Daddy broke the door. I was scared." per MGM.'],
        ),
        (
            'She reported he told her on 3/9, "If you call anybody, you won\'t see the kids again."'
            "\nBM called 911.",
            [
                "She reported he told her on 3/9, \"If you call anybody, you won't see the kids"
                ' again."',
                "BM called 911.",
            ],
        ),
        (
            "kids were dirty and hunter (6) had no socks on\nbm states they fight",
            ["kids were dirty and hunter (6) had no socks on", "bm states they fight"],
        ),
        (
            "Safety Assessment: BM reports FOB threw a plate at her.",
            ["Safety Assessment:", "BM reports FOB threw a plate at her."],
        ),
        (
            "- cw observed hole in wall\n- kids at school\n1. BM calls 911.\n2) BM stays w/ MGM.",
            [
                "- cw observed hole in wall",
                "- kids at school",
                "1. BM calls 911.",
                "2) BM stays w/ MGM.",
            ],
        ),
        (
            # Police text in capitals: its titles are titles too.
            "MS. JONES STATED SHE LEFT. VICTIM WAS ASSAULTED BY MR. HADDAD - SHE STATED HE"
            " CHOKED HER.",
            [
                "MS. JONES STATED SHE LEFT.",
                "VICTIM WAS ASSAULTED BY MR. HADDAD - SHE STATED HE CHOKED HER.",
            ],
        ),
        (
            "cw met w/ bm at home\nbm reports fob hit her\nkids were at school",
            ["cw met w/ bm at home", "bm reports fob hit her", "kids were at school"],
        ),
        (
            "Mother reported that the father has been controlling her finances for years and that\n"
            "he refuses to let her have a bank card.",
            [
                "Mother reported that the father has been controlling her finances for years and"
                " that\nhe refuses to let her have a bank card."
            ],
        ),
    ],
)
def test_segment_case_note_conventions(nlp, text: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert _texts(text, nlp) == expected


def test_segment_empty_and_whitespace_give_no_sentences(nlp) -> None:  # type: ignore[no-untyped-def]
    assert segment("", nlp) == []
    assert segment(" \n\t ", nlp) == []


def test_segment_refuses_overlong_text_naming_the_limit() -> None:
    with pytest.raises(ValueError, match=str(MAX_NOTE_CHARS)):
        segment("a" * (MAX_NOTE_CHARS + 1))


_note_alphabet = st.sampled_from(
    [*"abcdefghij ABCDE.,;:!?\"'()-/\n0123456789", "Mr.", " a.m.", "é", "🙂", "“", "”"]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_note_alphabet, max_size=120).map("".join))
def test_segment_offsets_slice_back_and_lose_nothing(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    sentences = segment(text, nlp)
    covered = [False] * len(text)
    previous_end = 0
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        assert sentence.start >= previous_end
        previous_end = sentence.end
        for i in range(sentence.start, sentence.end):
            covered[i] = True
    for i, char in enumerate(text):
        if not char.isspace():
            assert covered[i], f"character {char!r} at {i} lost"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_note_alphabet, max_size=120).map("".join))
def test_note_blocks_start_where_the_whole_note_starts_a_sentence(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    """Blocks concatenate back to the text, and a note parsed whole has a preset sentence start
    at every block's first word: parsing blocks apart never joins or cuts across them."""
    blocks = note_blocks(text)
    assert "".join(blocks) == text
    doc = nlp(text)
    starts = {t.idx: t for t in doc if not t.is_space}
    offset = len(blocks[0])
    for block in blocks[1:]:
        first = offset + len(block) - len(block.lstrip())
        if first in starts:
            assert starts[first].is_sent_start, f"block at {first} is inside a sentence"
        offset += len(block)


def test_note_blocks_cut_at_sentence_starting_lines_only() -> None:
    text = (
        "HV 3/4 w/ BM.\nFOB was not home\nbecause he was at work,\nper BM.\n\nnext para\n"
        "- bullet item\n2. numbered item"
    )
    assert note_blocks(text) == [
        "HV 3/4 w/ BM.\n",
        "FOB was not home\nbecause he was at work,\nper BM.\n\n",
        "next para\n- bullet item\n",
        "2. numbered item",
    ]
    wrapped = "FOB stayed at his brother's apartment on Lake Street for most of the night,\nper BM."
    assert note_blocks(wrapped) == [wrapped]
    assert len(segment(wrapped)) == 1


def test_same_width_keeps_every_offset() -> None:
    text = "Mother\u00a0failed\u2009to protect\r\rFOB\r\nleft.\u3000"
    normalized = same_width(text)
    assert normalized == "Mother failed to protect\n\nFOB\r\nleft. "
    assert len(normalized) == len(text)
