"""Shared fixtures: seeds, the spaCy pipeline, the CLI runner."""

from __future__ import annotations

import random

import numpy as np
import pytest
from typer.testing import CliRunner


@pytest.fixture(autouse=True)
def _seed() -> None:
    random.seed(0)
    np.random.seed(0)


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from st_nlp.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()
