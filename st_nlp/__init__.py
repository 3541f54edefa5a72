"""st-nlp: an offline reviewer of child-welfare case notes built on the Safe & Together(TM) Model.

The public entry point is `Reviewer` (see `st_nlp.reviewer`); it is imported lazily so that
`import st_nlp` stays cheap for tools that only need the taxonomy or the corpus utilities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from st_nlp.reviewer import Reviewer

__all__ = ["Reviewer", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Reviewer":
        from st_nlp.reviewer import Reviewer

        return Reviewer
    raise AttributeError(f"module 'st_nlp' has no attribute {name!r}")
