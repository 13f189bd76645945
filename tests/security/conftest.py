"""Fixtures of the security suite (docs/security.md is what it checks).

* ``listener`` (per test): a :class:`~security_helpers.Listener` on 127.0.0.1, reset before each
  test; the suite's hostile documents point at it.
* ``cli`` (per test): runs the real ``openness`` command with a store in the test's folder,
  measuring wall time and peak memory of the process (:func:`~security_helpers.run_measured`).
* ``cli_startup`` (session): the fixed CPU cost of an ``openness`` command that refuses a file
  at once; bombs must be refused within 2 CPU seconds beyond it (CPU, not wall time: on a busy
  machine the wall time of the same command varies several-fold).
* ``write_server`` (session): a real ``openness serve`` with an update token, on an empty store,
  for every write route (``POST /api/claims``, SPARQL Update, Graph Store).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from security_helpers import TOKEN, Listener, Measured, run_measured
from server_fixtures import ServerProcess, build_store


@pytest.fixture(scope="session")
def _listener() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture
def listener(_listener: Listener) -> Listener:
    _listener.reset()
    return _listener


RunMeasured = Callable[..., Measured]


def openness_command() -> str:
    """The installed ``openness`` console script of the Python running the tests."""
    candidate = Path(sys.executable).parent / "openness"
    return str(candidate) if candidate.is_file() else (shutil.which("openness") or "openness")


@pytest.fixture
def cli(tmp_path: Path) -> RunMeasured:
    """``cli("load", "file.yaml")`` → :class:`Measured`; the store is ``tmp_path/store``."""

    def run(*args: str, timeout: float = 60) -> Measured:
        env = {
            **os.environ,
            "OPENNESS_STORE": str(tmp_path / "store"),
            "COLUMNS": "300",
            "NO_COLOR": "1",
        }
        env.pop("OPENNESS_UPDATE_TOKEN", None)
        return run_measured([openness_command(), *args], env=env, cwd=tmp_path, timeout=timeout)

    return run


@pytest.fixture(scope="session")
def cli_startup(tmp_path_factory: pytest.TempPathFactory) -> float:
    """CPU seconds ``openness load`` takes to refuse a one-line malformed file: the command's fixed
    cost (interpreter, imports, store), which a bomb's refusal cost is measured beyond."""
    folder = tmp_path_factory.mktemp("cli-startup")
    broken = folder / "broken.json"
    broken.write_text('{"id": \n', encoding="utf-8")
    env = {**os.environ, "OPENNESS_STORE": str(folder / "store")}
    runs = [run_measured([openness_command(), "load", str(broken)], env=env, cwd=folder) for _ in range(2)]
    assert all(r.returncode == 1 for r in runs), runs[0].stderr
    return min(r.cpu_seconds for r in runs)


@pytest.fixture(scope="session")
def write_server(server_factory, tmp_path_factory: pytest.TempPathFactory) -> ServerProcess:
    """A server that accepts writes (token :data:`TOKEN`), on an empty store."""
    store = build_store(tmp_path_factory.mktemp("security-server") / "store", files=[])
    return server_factory(store, update_token=TOKEN, timeout=5.0)
