"""What every test module shares: a private font cache for the whole run.

LAYOUT_CACHE_DIR points at a session tmp folder, so no test touches
~/.cache and subprocesses inherit it; tests about the cache itself set
their own folder on top.
"""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def cache(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("layout-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAYOUT_CACHE_DIR", str(path))
        yield path


@pytest.fixture(autouse=True)
def fresh_page_runs():
    """The tree search keeps the runs it filled for the next search (pagetree._RUNS); a
    test that changes a cost or a method must not be answered from another test's."""
    from layout import pagetree
    pagetree._RUNS.clear()
    yield
    pagetree._RUNS.clear()
