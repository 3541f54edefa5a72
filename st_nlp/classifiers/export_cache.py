"""The cache folder of derived ONNX files: built once, reused, and pruned.

Each exported graph is named by a fingerprint of everything it was built from (weights, their
install location and time, exporter and runtime versions), so a reinstall, an upgrade or a
second virtual environment builds a new file, and the old one is never read again. Unpruned,
that grows without bound: about 110 MB per install (the frozen base is 90 MB), 1.9 GB in one
day of clean-clone CI runs on the development machine. So each use of a file touches it, and
after a new file is built only the `KEEP` most recently used files of its kind stay.

Pruning is safe for processes running beside this one: a graph an ONNX Runtime session has
already loaded does not need its file again, and a process that is about to load a file has
just touched it, which makes it one of the most recent.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from pathlib import Path

CACHE_ENV = "ST_NLP_CACHE_DIR"
# Per kind: a model's fp32 and int8 graphs, for the current install and the one before it.
KEEP = 4


def cache_dir() -> Path:
    """`$ST_NLP_CACHE_DIR`, else `$XDG_CACHE_HOME/st-nlp`, else `~/.cache/st-nlp`."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "st-nlp"


def cached_graph(kind: str, fingerprint: str, build: Callable[[Path], None]) -> Path:
    """The cached file `<kind>-<fingerprint>.onnx`, built by `build(path)` when missing.

    `build` must create the file atomically (write elsewhere, then rename), as processes may
    build the same file at once.
    """
    folder = cache_dir() / "onnx"
    path = folder / f"{kind}-{fingerprint}.onnx"
    if path.exists():
        _touch(path)
        return path
    build(path)
    prune(folder, kind, KEEP)
    return path


def prune(folder: Path, kind: str, keep: int) -> list[Path]:
    """Delete the files of `kind` in `folder` beyond the `keep` most recently used; returns
    what was deleted. Other kinds' files (`minilm-base-…` is not `minilm-…`) stay."""
    pattern = re.compile(rf"{re.escape(kind)}-[0-9a-f]+\.onnx")
    files: list[tuple[float, Path]] = []
    for candidate in folder.glob(f"{kind}-*.onnx"):
        if not pattern.fullmatch(candidate.name):
            continue
        try:
            files.append((candidate.stat().st_mtime, candidate))
        except FileNotFoundError:  # pruned by another process meanwhile
            continue
    files.sort(reverse=True)
    deleted = []
    for _, stale in files[keep:]:
        try:
            stale.unlink()
        except FileNotFoundError:
            continue
        except OSError:  # a read-only or shared cache: leave it to its owner
            break
        deleted.append(stale)
    return deleted


def _touch(path: Path) -> None:
    """Mark `path` as just used (its modification time is what pruning reads)."""
    with contextlib.suppress(OSError):  # a read-only cache is still usable, just not pruned
        os.utime(path)
