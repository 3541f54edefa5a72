"""The ONNX export cache reuses its files, and keeps only the most recently used versions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from st_nlp.classifiers import export_cache
from st_nlp.classifiers.export_cache import CACHE_ENV, KEEP, cached_graph, prune


def _file(folder: Path, name: str, age_seconds: float) -> Path:
    path = folder / name
    path.write_bytes(b"weights")
    stamp = 1_700_000_000 - age_seconds
    os.utime(path, (stamp, stamp))
    return path


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_prune_keeps_the_most_recent_of_one_kind_only(tmp_path: Path) -> None:
    for age in range(6):
        _file(tmp_path, f"minilm-{age:020x}.onnx", age)
        _file(tmp_path, f"minilm-base-{age:020x}.onnx", age)
    _file(tmp_path, "minilm-notes.onnx", 100)  # not a fingerprint: not ours to delete
    (tmp_path / "tmpabc").mkdir()

    deleted = prune(tmp_path, "minilm", keep=2)

    assert sorted(p.name for p in deleted) == [f"minilm-{age:020x}.onnx" for age in range(2, 6)]
    assert _names(tmp_path) == (
        {f"minilm-{age:020x}.onnx" for age in range(2)}
        | {f"minilm-base-{age:020x}.onnx" for age in range(6)}
        | {"minilm-notes.onnx", "tmpabc"}
    )


def test_cached_graph_builds_once_touches_on_use_and_prunes_after_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    folder = tmp_path / "onnx"
    folder.mkdir()
    stale = [_file(folder, f"minilm-base-{age:020x}.onnx", 1000 + age) for age in range(KEEP)]
    builds: list[Path] = []

    def build(target: Path) -> None:
        builds.append(target)
        partial = target.with_suffix(".partial")
        partial.write_bytes(b"exported graph")
        partial.replace(target)

    # Using the oldest file makes it the most recent one: it survives the next prune.
    used = cached_graph("minilm-base", f"{KEEP - 1:020x}", build)
    assert used == stale[-1] and builds == []
    assert used.stat().st_mtime > stale[0].stat().st_mtime

    built = cached_graph("minilm-base", "f" * 20, build)
    assert builds == [built] and built.read_bytes() == b"exported graph"
    assert _names(folder) == {built.name, used.name} | {p.name for p in stale[: KEEP - 2]}

    assert cached_graph("minilm-base", "f" * 20, build) == built and len(builds) == 1


def test_a_read_only_cache_is_still_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    folder = tmp_path / "onnx"
    folder.mkdir()
    kept = _file(folder, f"minilm-{0:020x}.onnx", 10)

    def refuse(*_: object, **__: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(export_cache.os, "utime", refuse)
    assert cached_graph("minilm", f"{0:020x}", lambda _: None) == kept
