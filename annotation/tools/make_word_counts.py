"""Write how many corpus sentences hold each word, for choosing the rules' anchors (reproducible).

    python annotation/tools/make_word_counts.py

The rule engine runs spaCy's Matcher only on sentences holding an anchor word of some pattern
(`st_nlp.rules.engine.pattern_anchors`), and picks each pattern's rarest required word by these
counts: per lowercase form (`LOWER` patterns) and per lemma (`LEMMA` patterns), as the reviewer's
spaCy pipeline reads the corpus sentences. Only words and counts are written (words in at least
two sentences), no text. The counts steer speed, never results: any choice of anchors finds the
same matches.
"""

from __future__ import annotations

import json
from collections import Counter

from st_nlp.corpus.paths import DATA_DIR, SENTENCES_FILE
from st_nlp.nlp import load_pipeline
from st_nlp.rules.spec import WORD_COUNTS_FILE

MIN_SENTENCES = 2


def build() -> dict[str, dict[str, int]]:
    texts = [
        json.loads(line)["text"]
        for line in (DATA_DIR / SENTENCES_FILE).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    lower: Counter[str] = Counter()
    lemma: Counter[str] = Counter()
    for doc in load_pipeline(disable=("ner",)).pipe(texts, batch_size=64):
        words = [t for t in doc if not t.is_space and not t.is_punct]
        lower.update({t.lower_ for t in words})
        lemma.update({t.lemma_ for t in words})
    return {
        name: {w: n for w, n in sorted(counts.items()) if n >= MIN_SENTENCES}
        for name, counts in (("LOWER", lower), ("LEMMA", lemma))
    }


def render(counts: dict[str, dict[str, int]]) -> str:
    return json.dumps(counts, indent=0, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    table = build()
    WORD_COUNTS_FILE.write_text(render(table), encoding="utf-8")
    print(f"{len(table['LOWER'])} forms, {len(table['LEMMA'])} lemmas -> {WORD_COUNTS_FILE}")
