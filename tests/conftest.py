"""Shared fixtures: real stores (in memory or in a tmp dir) and the real ``openness`` command.

Kept small on purpose: each area's tests build what they need from these.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from openness.resources import data_dir
from openness.store import OxigraphStore


@pytest.fixture
def memory_store() -> Iterator[OxigraphStore]:
    """A fresh in-memory embedded store."""
    store = OxigraphStore(None)
    yield store
    store.close()


@pytest.fixture
def tmp_store_path(tmp_path: Path) -> Path:
    """A path for an on-disk embedded store (not yet created)."""
    return tmp_path / "store"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The bundled example claims (the report's spectrum), as shipped with the package."""
    return data_dir() / "examples"


from clisupport import RunCli, openness_executable  # noqa: E402 - re-exported

# Random-data tests (hypothesis) draw the same examples on every run by default, so that CI is
# repeatable and a failure found once is found again; HYPOTHESIS_PROFILE=explore draws new ones.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("repeatable", derandomize=True, database=None, print_blob=True)
_hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True)
_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture
def run_cli(tmp_path: Path) -> RunCli:
    """Run the real ``openness`` entry point in a subprocess (from ``tmp_path`` by default).

    ``OPENNESS_STORE`` points into ``tmp_path`` so no test ever touches the user's default store.
    """

    def run(
        *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "OPENNESS_STORE": str(tmp_path / "default-store"), "COLUMNS": "200"}
        full_env.update(env or {})
        return subprocess.run(
            [openness_executable(), *args],
            cwd=cwd or tmp_path,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


# The web-service fixtures (real server processes): see tests/server_fixtures.py.
from server_fixtures import live_server, live_server_store, server_factory  # noqa: E402, F401
