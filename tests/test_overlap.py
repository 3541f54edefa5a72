"""`st_nlp.overlap.beside`: a step in a background thread, its result or error handed back."""

from __future__ import annotations

import os
import threading

import pytest

from st_nlp.overlap import beside


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on the 2-core machines the overlap is for, whatever runs the tests."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})


@pytest.mark.usefixtures("two_cores")
def test_a_step_runs_in_another_thread_and_hands_back_its_result() -> None:
    caller = threading.get_ident()
    future = beside(lambda: (threading.get_ident(), 6 * 7))
    ran_in, value = future.result(timeout=10)
    assert ran_in != caller
    assert value == 42


def test_on_one_core_a_step_runs_at_once_in_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0})
    future = beside(threading.get_ident)
    assert future.done()
    assert future.result() == threading.get_ident()


@pytest.mark.usefixtures("two_cores")
def test_a_steps_error_is_raised_by_result() -> None:
    def broken() -> None:
        raise ValueError("the step's own error")

    with pytest.raises(ValueError, match="the step's own error"):
        beside(broken).result(timeout=10)


@pytest.mark.usefixtures("two_cores")
def test_steps_started_by_steps_never_wait_on_a_full_pool() -> None:
    """Deeper than the pool has threads: each nested step runs in its parent's thread."""

    def nested(depth: int) -> int:
        if depth == 0:
            return 0
        return 1 + beside(lambda: nested(depth - 1)).result(timeout=10)

    assert beside(lambda: nested(5)).result(timeout=10) == 5
