"""mypy passes over graph/ and api/ (pyproject.toml's [tool.mypy]; no bare ``# type: ignore``).

The sources are laid out as the installed package is (graph/ is ``openness``, api/ is
``openness.api``) in a temporary folder of links, so that api/'s ``from openness import ...``
is checked against graph/'s own types, from a clean clone or an installed wheel alike.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _layout(root: Path) -> Path:
    package = root / "openness"
    package.mkdir()
    for entry in (REPO / "graph").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    (package / "api").symlink_to(REPO / "api")
    return root


def _source_path(line: str) -> str:
    """``openness/api/x.py:3: error`` -> ``api/x.py:3: error`` (the paths of the repository)."""
    line = re.sub(r"^openness/api/", "api/", line)
    return re.sub(r"^openness/", "graph/", line)


def test_mypy_passes_over_graph_and_api(tmp_path: Path) -> None:
    root = _layout(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"),
         "--cache-dir", str(tmp_path / ".mypy_cache"), "-p", "openness"],
        capture_output=True, text=True, timeout=300, cwd=root,
        env={**os.environ, "MYPYPATH": str(root)},
    )
    report = "\n".join(_source_path(line) for line in proc.stdout.splitlines())
    assert proc.returncode == 0, f"mypy found type errors:\n{report}\n{proc.stderr}"
    assert "Success" in proc.stdout and "source files" in proc.stdout, proc.stdout
