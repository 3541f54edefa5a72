from __future__ import annotations

import json

import pytest

from st_nlp.cli.main import app
from st_nlp.corpus.agreement import compare_passes
from st_nlp.corpus.formats import csv_format, docbin, hf, labelstudio
from st_nlp.corpus.jsonl import DataError, iter_json_lines
from st_nlp.corpus.near_duplicates import near_duplicate_pairs
from st_nlp.corpus.paths import REWRITES_FILE
from st_nlp.corpus.records import SentenceRecord
from st_nlp.corpus.splits import assign_splits
from st_nlp.corpus.stats import corpus_stats
from st_nlp.corpus.validate import validate_corpus


def _rewrite_line(path, line_number: int, **changes) -> None:  # type: ignore[no-untyped-def]
    lines = path.read_text().splitlines()
    record = json.loads(lines[line_number - 1])
    record.update(changes)
    lines[line_number - 1] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n")


def test_corpus_validate_accepts_a_valid_corpus(tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = tiny_corpus
    assert validate_corpus(folder) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"labels": ["blame"], "cats": {}}, "labels"),
        ({"start": 1, "end": 42}, "do not match the note text"),
        ({"spans": [{"start": 30, "end": 99, "subtype": "mutualizing"}]}, "outside the sentence"),
        ({"spans": [{"start": 0, "end": 3, "subtype": "victim_blame"}]}, "subtype"),
        ({"id": "n-1-s01"}, "duplicate id"),
        ({"split": "dev"}, "differs from its note"),
    ],
)
def test_corpus_validate_names_the_line_of_each_problem(tiny_corpus, changes, message) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = tiny_corpus
    _rewrite_line(folder / "sentences.jsonl", 3, **changes)
    problems = validate_corpus(folder)
    assert problems, "the corrupted corpus must not validate"
    assert any(p.line == 3 and message in p.message for p in problems), problems


def test_corpus_validate_rejects_near_duplicates_across_splits(tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = tiny_corpus
    notes_path = folder / "notes.jsonl"
    lines = notes_path.read_text().splitlines()
    leak = json.loads(lines[0]) | {"note_id": "n-3", "split": "test"}
    notes_path.write_text("\n".join([*lines, json.dumps(leak)]) + "\n")
    text = "FOB punched BM in the face while the children watched."
    start = leak["text"].index(text)
    record = SentenceRecord.build(
        id="n-3-s01",
        note_id="n-3",
        text=text,
        start=start,
        end=start + len(text),
        labels=["behavioral_fact"],
        annotator="a",
        split="test",
        register="home_visit",
        source="note",
    )
    with (folder / "sentences.jsonl").open("a") as handle:
        handle.write(record.model_dump_json() + "\n")
    problems = validate_corpus(folder)
    assert any("near-duplicate" in p.message for p in problems)


def test_corpus_jsonl_errors_name_line_and_byte_offset(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": "caf\xe9"}\n')
    with pytest.raises(DataError, match=r"x.jsonl:2: not valid UTF-8: byte offset 19 in the file"):
        list(iter_json_lines(path))
    path.write_text('{"a": 1}\n{"b": \n')
    with pytest.raises(DataError, match=r"x.jsonl:2: invalid JSON"):
        list(iter_json_lines(path))


def test_corpus_validation_errors_never_echo_text(tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = tiny_corpus
    _rewrite_line(folder / "sentences.jsonl", 2, text="CANARY Zebediah Quux punched")
    problems = validate_corpus(folder)
    assert problems and not any("Zebediah" in str(p) for p in problems)


def test_corpus_near_duplicates_use_token_jaccard() -> None:
    texts = [
        "FOB punched BM in the face on Friday night",
        "FOB punched BM in the face on Friday evening",
        "Mother called the police and left with the kids",
        "LE responded.",
        "LE responded.",
    ]
    pairs = near_duplicate_pairs(texts)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    assert pairs[0][2] == pytest.approx(8 / 10)


def test_corpus_splits_keep_near_duplicate_notes_together() -> None:
    sentences = {
        f"n{i}": [f"unique sentence number {i} about case {i * 7} here"] for i in range(40)
    }
    sentences["n0"] = ["FOB punched BM in the face on Friday night at home"]
    sentences["n1"] = ["FOB punched BM in the face on Friday night at home again"]
    strata = dict.fromkeys(sentences, "s")
    splits = assign_splits(sentences, strata, seed=1)
    assert splits["n0"] == splits["n1"]
    assert set(splits.values()) == {"train", "dev", "test"}
    assert assign_splits(sentences, strata, seed=1) == splits


def test_corpus_stats_counts(tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = tiny_corpus
    stats = corpus_stats(folder)
    assert stats.sentences == 4
    assert stats.positives["behavioral_fact"] == 3
    assert stats.subtype_spans["mutualizing"] == 1
    assert stats.perpetrator_sentences == 1 and stats.perpetrator_not_male_hetero == 0
    assert stats.distinct_names == 2


def test_corpus_stats_count_rewrite_pairs_by_subtype_and_vague_role(tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = tiny_corpus
    rows = [
        {"subtypes": ["survivor_blame", "agentless"]},
        {"subtypes": [], "vague": "perpetrator"},
        {"subtypes": ["mutualizing"]},
    ]
    (folder / REWRITES_FILE).write_text("".join(json.dumps(r) + "\n" for r in rows))
    stats = corpus_stats(folder)
    assert stats.rewrites == 3
    assert stats.rewrite_subtypes == {
        "survivor_blame": 1,
        "agentless": 1,
        "mutualizing": 1,
        "vague perpetrator": 1,
    }


@pytest.mark.parametrize(
    ("exporter", "importer", "target"),
    [
        (hf.export_hf, hf.import_hf, "hf"),
        (docbin.export_docbin, docbin.import_docbin, "corpus.spacy"),
        (csv_format.export_csv, csv_format.import_csv, "corpus.csv"),
    ],
)
def test_corpus_formats_round_trip(tiny_corpus, tmp_path, exporter, importer, target) -> None:  # type: ignore[no-untyped-def]
    _, _, sentences = tiny_corpus
    out = tmp_path / "export" / target
    assert exporter(sentences, out) == len(sentences)
    back = sorted(importer(out), key=lambda r: r.id)
    assert back == sorted(sentences, key=lambda r: r.id)


def test_corpus_labelstudio_round_trip_through_an_export(tiny_corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, _, sentences = tiny_corpus
    labelstudio.export_labelstudio(sentences, tmp_path / "ls")
    config = (tmp_path / "ls" / "labeling_config.xml").read_text()
    assert '<Choice value="child_impact"' in config and '<Label value="agentless"' in config
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text())
    # What Label Studio exports after a person accepts the pre-annotations.
    export = [
        {
            **task,
            "id": i,
            "annotations": [{"completed_by": 7, "result": task["predictions"][0]["result"]}],
        }
        for i, task in enumerate(tasks)
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    back = labelstudio.import_labelstudio(path)
    assert [r.model_dump(exclude={"annotator"}) for r in back] == [
        r.model_dump(exclude={"annotator"}) for r in sentences
    ]
    assert back[0].annotator == "labelstudio:7"


def test_corpus_agreement_kappa(tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    _, _, sentences = tiny_corpus
    report = compare_passes(sentences, sentences)
    assert all(item.kappa == 1.0 and item.alpha == 1.0 for item in report.labels)
    flipped = [
        r.model_copy(update={"labels": [], "spans": [], "cats": dict.fromkeys(r.cats, 0)})
        if r.id.endswith("s02")
        else r
        for r in sentences
    ]
    report = compare_passes(sentences, flipped)
    assert report.kappa("perpetrator_pattern") == 0.0
    assert report.kappa("blaming_language") == 1.0
    assert report.spans.exact_f1 == 1.0


def test_cli_data_validate_and_stats(cli, tiny_corpus) -> None:  # type: ignore[no-untyped-def]
    folder, _, _ = tiny_corpus
    result = cli.invoke(app, ["data", "validate", "--data-dir", str(folder)])
    assert result.exit_code == 0, result.output
    result = cli.invoke(app, ["data", "stats", "--data-dir", str(folder)], env={"COLUMNS": "160"})
    assert result.exit_code == 0 and "labeled sentences" in result.output
    _rewrite_line(folder / "sentences.jsonl", 2, start=0)
    result = cli.invoke(app, ["data", "validate", "--data-dir", str(folder)])
    assert result.exit_code == 1
    assert "sentences.jsonl:2" in result.output


def test_cli_data_export_and_import(cli, tiny_corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder, _, sentences = tiny_corpus
    out = tmp_path / "c.csv"
    result = cli.invoke(
        app, ["data", "export", "--format", "csv", "--out", str(out), "--data-dir", str(folder)]
    )
    assert result.exit_code == 0, result.output
    back = tmp_path / "back.jsonl"
    result = cli.invoke(app, ["data", "import", str(out), "--from", "csv", "--out", str(back)])
    assert result.exit_code == 0, result.output
    assert len(back.read_text().splitlines()) == len(sentences)
    result = cli.invoke(
        app, ["data", "export", "--format", "xml", "--out", str(out), "--data-dir", str(folder)]
    )
    assert result.exit_code == 2 and "hf, spacy, labelstudio, csv" in result.output
