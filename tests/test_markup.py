"""`st_nlp.markup.plain_view`: rich-text markup read as shown, every offset mapped back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from st_nlp.markup import plain_view


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<p>HV 3/4.</p><p>BM left.</p>", "\nHV 3/4.\n\nBM left.\n"),
        ("Mother <b>failed</b>&nbsp;to protect.", "Mother failed\u00a0to protect."),
        ("FOB said &quot;I don&#39;t hit her.&quot;<br/>", 'FOB said "I don\'t hit her."\n'),
        ("<td>3/4</td><td>HV</td>", "3/4 HV "),
        ("<o:p></o:p>Word&#x27;s paste", "Word's paste"),
        # Not markup a rich-text editor writes: kept as written.
        (
            "BM said <unclear> at AT&T; x < y & z &bogus;",
            "BM said <unclear> at AT&T; x < y & z &bogus;",
        ),
        ("Plain note, no markup.", "Plain note, no markup."),
    ],
)
def test_plain_view_shows_what_a_browser_shows(text: str, shown: str) -> None:
    assert plain_view(text).text == shown


def test_plain_view_spans_map_back_to_the_callers_text() -> None:
    text = "<p>Mother <b>failed</b>&nbsp;to protect.</p>"
    view = plain_view(text)
    start = view.text.index("Mother")
    end = view.text.index(".") + 1
    assert text[slice(*view.span(start, end))] == "Mother <b>failed</b>&nbsp;to protect."
    # A character that came from a reference maps to the whole reference.
    nbsp = view.text.index("\u00a0")
    assert text[slice(*view.span(nbsp, nbsp + 1))] == "&nbsp;"
    assert view.span(len(view.text), len(view.text)) == (len(text), len(text))


def test_plain_view_of_text_without_markup_is_the_text_itself() -> None:
    view = plain_view("No tags here & none there.")
    assert view.is_identity
    assert view.span(3, 7) == (3, 7)


_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<br>",
        "<b>",
        "</b>",
        "&nbsp;",
        "&amp;",
        "&#39;",
        "<td>",
        "</td>",
        "<x>",
        "&",
        "<",
    ]
)
_WORDS = st.text(alphabet="ab .\n", max_size=5)


@given(st.lists(st.one_of(_PIECES, _WORDS), max_size=30))
def test_plain_view_keeps_every_character_that_is_not_markup(parts: list[str]) -> None:
    """Each view character maps to a span of the original, in order; characters outside
    markup map to themselves."""
    text = "".join(parts)
    view = plain_view(text)
    previous_end = 0
    for i, char in enumerate(view.text):
        start, end = view.span(i, i + 1)
        assert 0 <= start < end <= len(text)
        assert start >= previous_end or (start, end) == view.span(i - 1, i)
        if end - start == 1:
            assert text[start] == char
        previous_end = end


def test_plain_view_keeps_runs_not_one_entry_per_character() -> None:
    """A long exported note costs a few entries per tag (notes may be a megabyte long)."""
    paragraph = "<p>CW met with BM at the home on 3/4 and she said FOB left.</p>"
    view = plain_view(paragraph * 2000)
    assert len(view.pieces) <= 3 * 2 * 2000
    start = view.text.index("FOB", len(view.text) // 2)
    source = view.span(start, start + 3)
    assert (paragraph * 2000)[slice(*source)] == "FOB"
