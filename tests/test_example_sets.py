"""Example sets: built from a small corpus with planted identifiers, exported in every format.

The corpus is written here from the held-out synthetic world, so every identifier in it is
known and the tests can prove none survives in any export.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from st_nlp.cli.main import app
from st_nlp.corpus.formats.labelstudio import from_export
from st_nlp.deid.deidentifier import Deidentifier
from st_nlp.example_sets.build import ExampleSet, build_example_set
from st_nlp.example_sets.export import FORMATS, labelstudio_tasks, write

FAMILIES = [
    ("Guadalupe Castillo", "Darnell Castillo", "Imani", 7, "12 Juniper Ln, Apt 4C", "3/14/24"),
    ("Ngozi Adeyemi", "Tomasz Novak", "Kofi", 5, "880 Summit Rd", "April 2, 2024"),
    ("Svetlana Rossi", "Arjun Kaur", "Lucia", 9, "41 Cobble Ave, Lot 14", "14 Mar 24"),
    ("Marisol Delgado", "Rashad Park", "Minh", 3, "7 Orchard Way", "02/01/2025"),
    ("Thuy Nakamura", "Hiroshi Osei", "Dalia", 11, "300 Bayside Blvd", "9-3-2024"),
    ("Wanjiru Mbeki", "Emeka Yazzie", "Farid", 6, "19 Redstone Ct", "June 5"),
]
SENTENCES = [
    (
        "BM {m} failed to protect {c} ({age}) from FOB {f} at {addr} on {date}.",
        "survivor_blame",
        "failed to protect",
    ),
    (
        "{m} and {f} have a volatile relationship since {date}; {c} is at Holloway Elementary.",
        "mutualizing",
        "volatile relationship",
    ),
    (
        "Per CW, {m} chose to stay with {f} at {addr} despite the risk to {c}.",
        "survivor_blame",
        "chose to stay",
    ),
]


def planted_corpus(folder: Path) -> list[str]:
    """Write notes.jsonl and sentences.jsonl; return every identifier string planted."""
    planted: list[str] = []
    notes, sentences = [], []
    for number, (mother, father, child, age, address, date) in enumerate(FAMILIES):
        note_id = f"pl-{number:03d}"
        texts = []
        for template, subtype, phrase in SENTENCES:
            text = template.format(m=mother, f=father, c=child, age=age, addr=address, date=date)
            texts.append((text, subtype, phrase))
        note_text = " ".join(t for t, _, _ in texts)
        position = 0
        for index, (text, subtype, phrase) in enumerate(texts):
            start = note_text.index(text, position)
            position = start + len(text)
            span_start = text.index(phrase)
            sentences.append(
                {
                    "id": f"{note_id}-s{index:02d}",
                    "note_id": note_id,
                    "text": text,
                    "start": start,
                    "end": start + len(text),
                    "labels": ["blaming_language"],
                    "spans": [
                        {
                            "start": span_start,
                            "end": span_start + len(phrase),
                            "label": "blaming_language",
                            "subtype": subtype,
                        }
                    ],
                    "cats": {
                        "behavioral_fact": 0,
                        "perpetrator_pattern": 0,
                        "survivor_protective_action": 0,
                        "blaming_language": 1,
                        "child_impact": 0,
                    },
                    "annotator": "test",
                    "split": "test",
                    "register": ["home_visit", "court_report", "hotline_intake"][index],
                    "source": "note",
                }
            )
        notes.append(
            {
                "note_id": note_id,
                "text": note_text,
                "register": "home_visit",
                "source": "note",
                "split": "test",
                "people": [
                    {"name": mother, "role": "survivor"},
                    {"name": father, "role": "perpetrator"},
                    {"name": child, "role": "child"},
                ],
            }
        )
        planted += [*mother.split(), *father.split(), child, address, date]
        planted += [address.split(",")[0], "Holloway Elementary"]
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("notes.jsonl", notes), ("sentences.jsonl", sentences)):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return planted


@pytest.fixture(scope="module")
def reviewer():  # type: ignore[no-untyped-def]
    from st_nlp.reviewer import Reviewer

    return Reviewer.load()


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("planted-corpus")
    return folder, planted_corpus(folder)


@pytest.fixture(scope="module")
def example_set(reviewer, planted) -> ExampleSet:  # type: ignore[no-untyped-def]
    folder, _ = planted
    return build_example_set(
        reviewer, Deidentifier(), "blaming_language", None, 8, "corpus", data_dir=folder
    )


def _export_text(example_set: ExampleSet, fmt: str, out: Path) -> str:
    target = out / f"set.{fmt}"
    write(example_set, fmt, target)
    if target.is_dir():
        return "\n".join(
            p.read_text("utf-8", errors="ignore") for p in target.rglob("*") if p.is_file()
        )
    return target.read_text("utf-8")


def test_examples_are_diverse_and_carry_findings(example_set: ExampleSet) -> None:
    # 18 sentences from 3 templates: once names are tokens, few remain distinct
    assert 3 <= len(example_set.items) <= 8
    assert any("distinct" in note for note in example_set.notes)
    texts = [item.text for item in example_set.items]
    assert len(set(texts)) == len(texts)
    assert {item.register for item in example_set.items} == {
        "home_visit",
        "court_report",
        "hotline_intake",
    }
    assert all("blaming_language" in item.labels for item in example_set.items)
    with_findings = [item for item in example_set.items if item.findings]
    assert with_findings
    for item in with_findings:
        for finding in item.findings:
            assert item.text[finding["start"] : finding["end"]] == finding["phrase"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_planted_identifier_survives_in_any_format(
    example_set: ExampleSet, planted: tuple[Path, list[str]], fmt: str, tmp_path: Path
) -> None:
    text = _export_text(example_set, fmt, tmp_path)
    if fmt == "hf":
        from datasets import load_from_disk

        text = json.dumps(load_from_disk(str(tmp_path / "set.hf")).to_list())
    for identifier in planted[1]:
        assert identifier.lower() not in text.lower(), (fmt, identifier)


def test_suggestions_are_deidentified_with_the_sentence_tokens(example_set: ExampleSet) -> None:
    suggestions = [s for item in example_set.items for s in item.suggestions]
    assert suggestions
    assert any("[" in s for s in suggestions)


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "jsonl", "labelstudio", "hf"])
def test_export_is_draft_until_reviewed(example_set: ExampleSet, fmt: str, tmp_path: Path) -> None:
    draft = _export_text(example_set, fmt, tmp_path / "draft")
    assert "DRAFT" in draft
    reviewed = ExampleSet.from_dict(example_set.to_dict())
    from st_nlp.example_sets.build import mark_reviewed

    mark_reviewed(reviewed, "Pat Lee")
    text = _export_text(reviewed, fmt, tmp_path / "reviewed")
    if fmt == "hf":
        from datasets import load_from_disk

        dataset = load_from_disk(str(tmp_path / "reviewed" / "set.hf"))
        assert set(dataset["reviewed_by"]) == {"Pat Lee"}
        assert "reviewed by Pat Lee" in dataset.info.description
        return
    assert "DRAFT" not in text
    assert "Pat Lee" in text
    assert reviewed.reviewed_at is not None and reviewed.reviewed_at[:4] in text


def test_jsonl_and_csv_round_trip(example_set: ExampleSet, tmp_path: Path) -> None:
    write(example_set, "jsonl", tmp_path / "set.jsonl")
    write(example_set, "csv", tmp_path / "set.csv")
    rows = [json.loads(line) for line in (tmp_path / "set.jsonl").read_text().splitlines()]
    with (tmp_path / "set.csv").open(newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert (
        [r["text"] for r in rows]
        == [r["text"] for r in table]
        == [i.text for i in example_set.items]
    )
    assert [json.loads(r["findings"]) for r in table] == [r["findings"] for r in rows]
    assert {r["status"] for r in table} == {"DRAFT"}


def test_labelstudio_tasks_import_with_the_corpus_importer(example_set: ExampleSet) -> None:
    tasks: list[dict[str, Any]] = labelstudio_tasks(example_set)
    exported = [{**t, "annotations": t["predictions"]} for t in tasks]  # a reviewer accepted all
    records = from_export(exported)
    assert [r.text for r in records] == [i.text for i in example_set.items]
    for record, item in zip(records, example_set.items, strict=True):
        assert [s.subtype for s in record.spans] == [f["subtype"] for f in item.findings]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--label", "blame"], "unknown label 'blame'"),
        (["--label", "blaming_language", "--subtype", "rude"], "unknown blaming subtype 'rude'"),
        (["--label", "child_impact", "--subtype", "agentless"], "subtype applies only"),
        (["--label", "blaming_language", "--n", "0"], "n must be between 1 and 200"),
        (["--label", "blaming_language", "--format", "pdf"], "unknown format 'pdf'"),
        (["--label", "blaming_language", "--from", "/no/such/dir"], "neither 'corpus'"),
    ],
)
def test_cli_examples_bad_input(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["examples", *args, "--out", str(tmp_path / "x.md")])
    assert result.exit_code != 0
    assert message in result.output


def test_cli_examples_from_an_audit_folder(tmp_path: Path) -> None:
    audit = tmp_path / "audit"
    audit.mkdir()
    text = "BM Imani Castillo failed to protect the kids from FOB Darnell Castillo on 3/14/24."
    start = text.index("failed to protect")
    row = {
        "note_id": "n1",
        "sentence_index": 0,
        "start": 0,
        "end": len(text),
        "text": text,
        "labels": ["blaming_language"],
        "findings": [
            {
                "rule_id": "SB-FAIL-PROTECT",
                "label": "blaming_language",
                "subtype": "survivor_blame",
                "start": start,
                "end": start + 17,
                "message": "m",
                "severity": "high",
                "phrase": "failed to protect",
            }
        ],
        "suggestions": [],
    }
    (audit / "findings.jsonl").write_text(json.dumps(row) + "\n")
    out = tmp_path / "set.jsonl"
    result = CliRunner().invoke(
        app,
        [
            "examples",
            "--label",
            "blaming_language",
            "--n",
            "3",
            "--from",
            str(audit),
            "--format",
            "jsonl",
            "--out",
            str(out),
            "--reviewed-by",
            "Pat Lee",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 1
    assert rows[0]["status"] == "reviewed" and rows[0]["reviewed_by"] == "Pat Lee"
    for name in ("Imani", "Castillo", "Darnell", "3/14/24"):
        assert name not in rows[0]["text"]
    assert rows[0]["text"].startswith("BM [MOTHER] failed to protect")
    assert rows[0]["findings"][0]["phrase"] == "failed to protect"
