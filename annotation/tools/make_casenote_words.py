"""Write the case-note vocabulary the de-identifier treats as ordinary words (reproducible).

    python annotation/tools/make_casenote_words.py

Lowercase words of the corpus (notes, sentences, rewrite pairs) that the dictionary in
`st_nlp/deid/dictionary.py` lacks ("counseling", "hotline", "paperwork", "hrs"), minus every
part of a person's name in the notes' `people` lists and every word the corpus also writes
capitalized mid-sentence (a proper noun somewhere, so possibly a name). Without it, lowercase
case-note words that a 1934 dictionary lacks would be redacted as names.
"""

from __future__ import annotations

import json
import re

from st_nlp.corpus.paths import DATA_DIR
from st_nlp.deid.dictionary import CASENOTE_WORDS_FILE, dictionary_words

FILES = ("notes.jsonl", "sentences.jsonl", "rewrites.jsonl")
LOWER = re.compile(r"(?<![\w'’-])[a-z]{2,}(?![\w'’-])")
MID_SENTENCE_CAPITAL = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")


def build() -> list[str]:
    lower: set[str] = set()
    capitalized: set[str] = set()
    names: set[str] = set()
    for name in FILES:
        for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            for person in record.get("people") or []:
                names.update(w.lower() for w in re.findall(r"[A-Za-z]+", str(person["name"])))
            for field in ("text", "original", "rewrite"):
                text = record.get(field)
                if isinstance(text, str):
                    lower.update(LOWER.findall(text))
                    capitalized.update(w.lower() for w in MID_SENTENCE_CAPITAL.findall(text))
    known = dictionary_words()
    return sorted(w for w in lower - names - capitalized if w not in known)


if __name__ == "__main__":
    words = build()
    CASENOTE_WORDS_FILE.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {CASENOTE_WORDS_FILE}")
