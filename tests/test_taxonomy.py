from __future__ import annotations

import pytest

from st_nlp.cli.main import app
from st_nlp.taxonomy import (
    COMPONENT_INFO,
    LABEL_INFO,
    LABELS,
    SUBTYPE_INFO,
    SUBTYPES,
    BlameSubtype,
    Label,
    parse_label,
    parse_subtype,
)


def test_taxonomy_has_the_five_labels_in_order() -> None:
    assert [str(label) for label in LABELS] == [
        "behavioral_fact",
        "perpetrator_pattern",
        "survivor_protective_action",
        "blaming_language",
        "child_impact",
    ]


def test_taxonomy_every_label_and_subtype_is_documented() -> None:
    assert set(LABEL_INFO) == set(Label)
    assert set(SUBTYPE_INFO) == set(BlameSubtype)
    for info in LABEL_INFO.values():
        assert info.definition and info.includes and info.excludes
    for sub in SUBTYPE_INFO.values():
        assert sub.cues, sub.subtype


def test_taxonomy_components_are_numbered_one_to_five() -> None:
    assert sorted(c.number for c in COMPONENT_INFO.values()) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("name", ["blaming_language", "child_impact"])
def test_taxonomy_parse_label_accepts_valid(name: str) -> None:
    assert parse_label(name) == Label(name)


def test_taxonomy_parse_label_rejects_unknown_and_lists_valid() -> None:
    with pytest.raises(ValueError, match=r"unknown label 'blame'.*behavioral_fact"):
        parse_label("blame")


def test_taxonomy_parse_subtype_rejects_unknown() -> None:
    with pytest.raises(ValueError, match="unknown blaming subtype 'victim_blame'"):
        parse_subtype("victim_blame")
    assert parse_subtype("agentless") in SUBTYPES


def test_cli_labels_prints_every_label_and_subtype(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli.invoke(app, ["labels"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for name in [*LABELS, *SUBTYPES]:
        assert str(name) in result.output


def test_cli_help_lists_subcommands(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "labels" in result.output


def test_cli_version(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("st-nlp ")
