"""Write the planted-identifier fixtures for de-identification (seeded, reproducible).

    python annotation/tools/make_deid_fixtures.py

dev.jsonl: the dev world (templates and names the recognizers were tuned on).
heldout.jsonl: the held-out world (other templates, other names, other seeds): report on it.
"""

from __future__ import annotations

from pathlib import Path

from st_nlp.deid.synthetic import write_fixture

OUT = Path(__file__).resolve().parents[1] / "deid"

if __name__ == "__main__":
    write_fixture(OUT / "dev.jsonl", "dev", 60, seed=11)
    write_fixture(OUT / "heldout.jsonl", "heldout", 80, seed=1001)
