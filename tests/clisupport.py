"""What tests share besides fixtures: the real ``openness`` command and the type of ``run_cli``.

Kept out of conftest.py so that tests import it by a name no other folder's conftest shadows.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path


def openness_executable() -> str:
    """The installed ``openness`` console script of the Python running the tests."""
    candidate = Path(sys.executable).parent / "openness"
    if candidate.is_file():
        return str(candidate)
    found = shutil.which("openness")
    if not found:
        raise RuntimeError("the openness command is not installed next to this Python (pip install .)")
    return found


RunCli = Callable[..., subprocess.CompletedProcess[str]]
