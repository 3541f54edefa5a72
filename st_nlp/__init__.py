"""st-nlp: an offline reviewer of child-welfare case notes built on the Safe & Together(TM) Model.

The public entry point is `Reviewer` (see `st_nlp.reviewer`); it is imported lazily so that
`import st_nlp` stays cheap for tools that only need the taxonomy or the corpus utilities.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# ONNX Runtime 1.29+ collects usage telemetry on Linux too (a device id, process and session
# events, queued in ~/.cache/Microsoft/DeveloperTools and uploaded to Microsoft). st-nlp sends
# nothing anywhere, so it opts out before ONNX Runtime loads (checked with 1.32: with the
# variable set, no device id and no event queue are written; tests/test_privacy.py). Worker
# processes inherit it. Set it to 0 before starting st-nlp to allow the telemetry.
TELEMETRY_OPT_OUT = "ORT_DISABLE_TELEMETRY"
os.environ.setdefault(TELEMETRY_OPT_OUT, "1")

if TYPE_CHECKING:
    from st_nlp.reviewer import Reviewer

__all__ = ["TELEMETRY_OPT_OUT", "Reviewer", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Reviewer":
        from st_nlp.reviewer import Reviewer

        return Reviewer
    raise AttributeError(f"module 'st_nlp' has no attribute {name!r}")
