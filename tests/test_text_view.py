"""What the reviewer reads of a text (NFC, markup as shown) and the map back to the text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from st_nlp.markup import plain_view
from st_nlp.normal_form import nfc_view
from st_nlp.reviewer import reading_view
from st_nlp.text_view import chain


def test_nfc_view_composes_and_maps_back() -> None:
    text = "Jose\u0301 met BM. Zoe\u0308 (4) was there."
    view = nfc_view(text)
    assert view.text == "José met BM. Zoë (4) was there."
    start = view.text.index("met")
    assert text[slice(*view.span(start, start + 3))] == "met"
    accent = view.text.index("é")
    assert text[slice(*view.span(accent, accent + 1))] == "e\u0301"
    assert nfc_view("Already NFC: José.").is_identity


def test_chained_views_map_through_both() -> None:
    text = "<p>Jose\u0301 said he was &quot;fine&quot;.</p>"
    view = reading_view(text)
    assert view.text == '\nJosé said he was "fine".\n'
    start = view.text.index("José")
    end = view.text.index(".") + 1
    assert text[slice(*view.span(start, end))] == "Jose\u0301 said he was &quot;fine&quot;."
    shown = plain_view(text)
    assert chain(shown, nfc_view(shown.text)).text == view.text
    # An accent split from its letter by a tag, or written as a reference, composes too.
    assert reading_view("Jose<b>\u0301</b> and Zoe&#776;").text == "José and Zoë"


_PIECES = st.sampled_from(
    ["<p>", "</b>", "<br>", "&nbsp;", "&amp;", "e\u0301", "o\u0308", "\u0301", "A", " ", ".", "&"]
)


@given(st.lists(_PIECES, max_size=40))
def test_reading_view_maps_every_character_back_in_order(parts: list[str]) -> None:
    text = "".join(parts)
    view = reading_view(text)
    assert unicodedata.is_normalized("NFC", view.text)
    previous = (0, 0)
    for i, char in enumerate(view.text):
        start, end = view.span(i, i + 1)
        assert 0 <= start < end <= len(text)
        assert start >= previous[1] or (start, end) == previous
        if end - start == 1:
            assert text[start] == char
        previous = (start, end)


def test_chaining_long_views_stays_linear() -> None:
    """A megabyte-scale note with markup and decomposed accents maps back in one pass."""
    paragraph = "<p>Jose\u0301 said FOB left &amp; came back.</p>"
    text = paragraph * 5000
    view = reading_view(text)
    assert view.text.count("José") == 5000
    start = view.text.rindex("FOB")
    assert text[slice(*view.span(start, start + 3))] == "FOB"
