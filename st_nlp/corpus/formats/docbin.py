"""spaCy `DocBin`: `doc.cats` for the labels, `doc.spans["blaming"]` for the blaming spans.

Exact character offsets and record metadata also travel in `doc.user_data`, so spans that do
not fall on token boundaries survive the round trip unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from st_nlp.corpus.records import SentenceRecord
from st_nlp.taxonomy import LABELS

SPANS_KEY = "blaming"
META_FIELDS = ("id", "note_id", "start", "end", "annotator", "split", "register", "source")


def export_docbin(records: Iterable[SentenceRecord], out_file: Path) -> int:
    nlp = spacy.blank("en")
    doc_bin = DocBin(store_user_data=True)
    count = 0
    for record in records:
        doc = nlp.make_doc(record.text)
        doc.cats = {str(label): float(label in record.labels) for label in LABELS}
        spans = []
        for span in record.spans:
            char_span = doc.char_span(
                span.start, span.end, label=str(span.subtype), alignment_mode="expand"
            )
            if char_span is not None:
                spans.append(char_span)
        doc.spans[SPANS_KEY] = spans
        doc.user_data["st_nlp"] = {
            **{name: getattr(record, name) for name in META_FIELDS},
            "spans": [s.model_dump(mode="json") for s in record.spans],
        }
        doc_bin.add(doc)
        count += 1
    out_file.parent.mkdir(parents=True, exist_ok=True)
    doc_bin.to_disk(out_file)
    return count


def import_docbin(in_file: Path) -> list[SentenceRecord]:
    nlp = spacy.blank("en")
    records = []
    for doc in DocBin().from_disk(in_file).get_docs(nlp.vocab):
        meta = doc.user_data["st_nlp"]
        records.append(
            SentenceRecord.build(
                text=doc.text,
                labels=[label for label in LABELS if doc.cats.get(str(label), 0.0) >= 0.5],
                **{name: meta[name] for name in META_FIELDS},
                spans=meta["spans"],
            )
        )
    return records
