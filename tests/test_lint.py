"""ruff passes over the whole repository (pyproject.toml's [tool.ruff], RUF100 included: no
unused ``noqa``), so that CI fails on a lint error as it does on a type error (tests/test_typing.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_ruff_passes() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )
    assert proc.returncode == 0, f"ruff found problems (run: ruff check .):\n{proc.stdout}\n{proc.stderr}"
