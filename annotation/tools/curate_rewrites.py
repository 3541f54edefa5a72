"""Curate writer rewrite pairs into the canonical `annotation/data/rewrites.jsonl`.

    python annotation/tools/curate_rewrites.py [--raw DIR] [--out FILE] [--strict]

Reads every `rewrites_*.jsonl` under `--raw`, checks each pair (schema, brackets, facts of the
original kept in the rewrite), drops near-duplicate originals, assigns stable train/dev/test
splits and writes the canonical file (see `st_nlp.corpus.rewrite_curation`). Rejected pairs are
listed by file, line, id and reason on stderr; the valid ones are still written. Exit status 1
with `--strict` when anything was rejected. Then run `st-nlp data validate`.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from st_nlp.corpus.jsonl import write_records
from st_nlp.corpus.paths import DATA_DIR, REWRITES_FILE
from st_nlp.corpus.rewrite_curation import curate
from st_nlp.nlp import load_pipeline

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=ROOT / "raw", help="folder of rewrites_*.jsonl")
    parser.add_argument("--out", type=Path, default=DATA_DIR / REWRITES_FILE)
    parser.add_argument("--strict", action="store_true", help="exit 1 if any pair is rejected")
    args = parser.parse_args(argv)
    paths = sorted(args.raw.glob("rewrites_*.jsonl"))
    if not paths:
        sys.stderr.write(f"error: no rewrites_*.jsonl in {args.raw}\n")
        return 2
    result = curate(paths, load_pipeline(disable=("ner",)))
    for rejection in result.rejected:
        sys.stderr.write(f"rejected {rejection}\n")
    write_records(args.out, result.pairs)
    splits = Counter(p.split for p in result.pairs)
    batches = Counter(p.batch for p in result.pairs)
    sys.stdout.write(
        f"wrote {len(result.pairs)} pairs to {args.out} ({len(result.rejected)} rejected);"
        f" splits {dict(sorted(splits.items()))}; batches {dict(sorted(batches.items()))}\n"
    )
    return 1 if args.strict and result.rejected else 0


if __name__ == "__main__":
    raise SystemExit(main())
